import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Parsed } from '../args.js';
import { InputError, UsageError } from '../failure.js';
import type { Io } from '../io.js';
import { shown } from '../show.js';
import { type Layout, PLATFORMS, type Platform } from './platforms.js';
import { type Project, readProject } from './project.js';
import { TEST_FILE } from './templates.js';

// `twilio-token init <platform>`: writes a token endpoint, a .env.example and a test into the
// current folder. Offline: it only writes files. It checks every path before it writes the first,
// so a refusal leaves the folder as it was.

/** The platform names, for usage messages. */
export const PLATFORM_NAMES: readonly string[] = [...PLATFORMS.keys()];

/**
 * Refuses a path init must not write: a symbolic link anywhere from the project folder down (the
 * file, or a folder on its way), which would send the write outside the project, even with
 * --force; a folder, FIFO, device or socket where the file goes (opening a FIFO blocks); a file
 * where a folder goes.
 */
function assertWritable(cwd: string, path: string): void {
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const shownPath = parts.slice(0, i).join('/');
    const stat = lstatSync(join(cwd, shownPath), { throwIfNoEntry: false });
    if (stat === undefined) return;
    const last = i === parts.length;
    if (stat.isSymbolicLink())
      throw new InputError(
        `${shownPath} is a symbolic link: init writes no file through one (it could point outside the project), not even with --force; nothing written`,
      );
    if (last && stat.isDirectory())
      throw new InputError(`${shownPath} is a directory where init writes a file: nothing written (move it away)`);
    if (last && !stat.isFile())
      throw new InputError(
        `${shownPath} is not a regular file (a FIFO, device or socket) where init writes a file: nothing written (move it away)`,
      );
    if (!last && !stat.isDirectory())
      throw new InputError(`${shownPath} is a file where init needs a directory: nothing written (move it away)`);
  }
}

/**
 * Writes one file. Without --force, 'wx' fails instead of overwriting a file created since the
 * check. With --force, a new file is written beside it and renamed over it: the old one is replaced,
 * never opened, so a hard link to a file outside the project is broken rather than written through,
 * and a link or FIFO swapped in after the check is replaced too (rename does not follow links).
 */
function writeOne(target: string, text: string, force: boolean): void {
  if (!force) {
    writeFileSync(target, text, { flag: 'wx' });
    return;
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.init-tmp`);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The variable names a .env file sets. */
const variables = (text: string) => [...text.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');

/** The `npm install` lines for the packages package.json lacks (all of them without one). */
function installs(platform: Platform, project: Project): string[] {
  const lacking = (names: readonly string[]) => names.filter((name) => !project.manifest?.packages.has(name));
  const dependencies = lacking(platform.needs.dependencies);
  const devDependencies = lacking(platform.needs.devDependencies);
  if (dependencies.length + devDependencies.length === 0) return [];
  const commands = [
    ...(dependencies.length > 0 ? [`npm install ${dependencies.join(' ')}`] : []),
    ...(devDependencies.length > 0 ? [`npm install --save-dev ${devDependencies.join(' ')}`] : []),
  ].join(' && ');
  if (project.manifestProblem !== undefined) return [`${project.manifestProblem}; the project needs: ${commands}`];
  if (project.manifest === undefined)
    return [`No package.json here: run init in your project's folder, or start one: npm init -y && ${commands}`];
  return [`package.json lacks ${[...dependencies, ...devDependencies].join(', ')}: ${commands}`];
}

/** The first next step: the variables into the local env file, without clobbering one that exists. */
function envStep(layout: Layout, project: Project, names: readonly string[]): readonly [string, string] {
  if (project.has(layout.envFile))
    return [`edit ${layout.envFile}`, `it exists, so no cp: add ${names.join(', ')} (see .env.example)`];
  return [`cp .env.example ${layout.envFile}`, 'then fill in your credentials'];
}

/** What init prints: the files, the TODO, what the project lacks, the next two commands. */
function report(platform: Platform, layout: Layout, project: Project, taken: readonly string[]): string {
  const paths = Object.keys(layout.files);
  const names = variables(layout.files['.env.example'] ?? '');
  const about = (path: string) =>
    path === '.env.example'
      ? `the variables it reads: ${names.join(', ')}`
      : path === TEST_FILE
        ? `mints and verifies a token with fake credentials: node --test ${TEST_FILE}`
        : (layout.about[path] ?? '');
  const next = [envStep(layout, project, names), layout.run];
  const width = Math.max(...paths.map((path) => path.length));
  const commandWidth = Math.max(...next.map(([command]) => command.length));
  const ignored = project.ignoresEnvExample;
  return [
    `Wrote a Twilio Access Token endpoint for ${platform.title}${taken.length > 0 ? ` (overwrote ${taken.join(', ')})` : ''}:`,
    ...paths.map((path) => `  ${path.padEnd(width)}  ${about(path)}`),
    '',
    `identify refuses everyone (401) until you fill it in: see the TODO in ${paths[0]}.`,
    ...layout.notes,
    ...installs(platform, project),
    ...(ignored === undefined
      ? []
      : [`.gitignore ignores .env.example (its line ${ignored}): add the line !.env.example to commit it.`]),
    '',
    'Next:',
    ...next.map(([command, comment]) => `  ${command.padEnd(commandWidth)}  # ${comment}`),
    '',
  ].join('\n');
}

/**
 * Writes the files of one platform into `io.cwd`, fitted to the project there, and prints what it
 * wrote and the next two commands.
 *
 * @param parsed - The command line: one positional, the platform; `--force` to overwrite.
 * @param io - Where to write.
 * @returns The exit code: 0 written, 1 a file exists, or a path is a symbolic link or the wrong kind (nothing written).
 * @throws {@link UsageError} for a missing or unknown platform, or more than one.
 */
export function init(parsed: Parsed, io: Io): number {
  const [name, extra] = parsed.positionals;
  const list = `Platforms: ${PLATFORM_NAMES.join(', ')}`;
  if (name === undefined) throw new UsageError(`init needs a platform. ${list}`);
  const platform = PLATFORMS.get(name);
  if (platform === undefined) throw new UsageError(`unknown platform ${shown(name)}. ${list}`);
  if (extra !== undefined) throw new UsageError(`init takes one platform; received also ${shown(extra)}`);
  const project = readProject(io.cwd);
  const layout = platform.layout(project);
  const paths = Object.keys(layout.files);
  const force = parsed.values.force === true;
  for (const path of paths) assertWritable(io.cwd, path);
  const taken = paths.filter((path) => project.has(path));
  if (taken.length > 0 && !force)
    throw new InputError(
      `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}: nothing written (--force overwrites)`,
    );
  for (const path of paths) {
    const target = join(io.cwd, path);
    mkdirSync(dirname(target), { recursive: true });
    writeOne(target, layout.files[path] ?? '', force);
  }
  io.stdout(report(platform, layout, project, taken));
  return 0;
}
