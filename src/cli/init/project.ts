import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';

// What `init` reads of the project it writes into, to fit it: which paths exist, the packages and
// scripts of package.json, what .gitignore ignores. It never writes here and never reads a .env file.

/** The project folder, as init sees it. */
export interface Project {
  /** Whether the path (relative to the project) exists, as anything, a link included. */
  has(path: string): boolean;
  /** package.json's packages (every kind of dependency) and scripts; undefined without a readable one. */
  readonly manifest:
    | { readonly packages: ReadonlySet<string>; readonly scripts: Readonly<Record<string, string>> }
    | undefined;
  /** Why package.json could not be read, when it exists. */
  readonly manifestProblem: string | undefined;
  /** The .gitignore line that ignores .env.example, when one does and none re-includes it. */
  readonly ignoresEnvExample: string | undefined;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// A package.json or .gitignore larger than this is not read (a hostile one could be endless).
const MAX_BYTES = 1024 * 1024;

const kind = (stat: Stats) =>
  stat.isDirectory()
    ? 'a directory'
    : stat.isFIFO()
      ? 'a FIFO'
      : stat.isSocket()
        ? 'a socket'
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? 'a device'
          : 'not a file';

/**
 * The text of a regular file of the project, at most 1 MiB; undefined when it does not exist; else
 * why it cannot be read. O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it,
 * and a device a link points at, before any read.
 */
function readText(path: string, shownPath: string): { text: string } | { problem: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    return { problem: `${shownPath} cannot be read (${code ?? 'unknown error'})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      return { problem: `${shownPath} is not a regular file (${kind(stat)}), so init did not read it` };
    const buffer = Buffer.alloc(MAX_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_BYTES) return { problem: `${shownPath} is larger than 1 MiB, so init did not read it` };
    return { text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { problem: `${shownPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  } finally {
    closeSync(fd);
  }
}

function readManifest(cwd: string): Pick<Project, 'manifest' | 'manifestProblem'> {
  const read = readText(join(cwd, 'package.json'), 'package.json');
  if (read === undefined) return { manifest: undefined, manifestProblem: undefined };
  if ('problem' in read) return { manifest: undefined, manifestProblem: read.problem };
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { manifest: undefined, manifestProblem: 'package.json is not valid JSON' };
  }
  if (!isRecord(json)) return { manifest: undefined, manifestProblem: 'package.json is not a JSON object' };
  const packages = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const value = json[field];
    if (isRecord(value)) for (const name of Object.keys(value)) packages.add(name);
  }
  const scripts: Record<string, string> = {};
  if (isRecord(json.scripts))
    for (const [name, script] of Object.entries(json.scripts)) if (typeof script === 'string') scripts[name] = script;
  return { manifest: { packages, scripts }, manifestProblem: undefined };
}

// The usual ways a .gitignore catches .env.example: create-next-app writes `.env*`.
const CATCHES_EXAMPLE = new Set(['.env*', '/.env*', '.env.*', '/.env.*', '*.example', '.env.example', '/.env.example']);

function ignoresEnvExample(cwd: string): string | undefined {
  // An unreadable .gitignore (not a file, too large) ignores nothing init can tell of.
  const read = readText(join(cwd, '.gitignore'), '.gitignore');
  if (read === undefined || 'problem' in read) return undefined;
  const lines = read.text.split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => line === '!.env.example' || line === '!/.env.example')) return undefined;
  return lines.find((line) => CATCHES_EXAMPLE.has(line));
}

/** Reads what init needs to know of the project in `cwd`. */
export function readProject(cwd: string): Project {
  return {
    has: (path) => lstatSync(join(cwd, path), { throwIfNoEntry: false }) !== undefined,
    ...readManifest(cwd),
    ignoresEnvExample: ignoresEnvExample(cwd),
  };
}
