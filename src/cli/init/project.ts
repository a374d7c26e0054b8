import { lstatSync, readFileSync } from 'node:fs';
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

function readManifest(cwd: string): Pick<Project, 'manifest' | 'manifestProblem'> {
  let text: string;
  try {
    text = readFileSync(join(cwd, 'package.json'), 'utf8');
  } catch {
    return { manifest: undefined, manifestProblem: undefined };
  }
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
  let lines: string[];
  try {
    lines = readFileSync(join(cwd, '.gitignore'), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim());
  } catch {
    return undefined;
  }
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
