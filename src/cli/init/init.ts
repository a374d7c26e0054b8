import { closeSync, constants, lstatSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Parsed } from '../args.js';
import { InputError, UsageError } from '../failure.js';
import type { Io } from '../io.js';
import { shown } from '../show.js';
import { COMMON_ABOUT, PLATFORMS } from './platforms.js';

// `twilio-token init <platform>`: writes a token endpoint, a .env.example and a test into the
// current folder. Offline: it only writes files. It checks every path before it writes the first,
// so a refusal leaves the folder as it was.

/** The platform names, for usage messages. */
export const PLATFORM_NAMES: readonly string[] = [...PLATFORMS.keys()];

const exists = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/**
 * Refuses a path init must not write: a symbolic link anywhere from the project folder down (the
 * file, or a folder on its way), which would send the write outside the project, even with
 * --force; a folder where the file goes; a file where a folder goes.
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
    if (!last && !stat.isDirectory())
      throw new InputError(`${shownPath} is a file where init needs a directory: nothing written (move it away)`);
  }
}

// With --force, overwrite without following a link swapped in after the check (where the OS has O_NOFOLLOW).
const OVERWRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

/** The variable names a .env file sets. */
const variables = (text: string) => [...text.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]);

/**
 * Writes the files of one platform into `io.cwd` and prints what it wrote and the next two commands.
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
  const paths = Object.keys(platform.files);
  const force = parsed.values.force === true;
  for (const path of paths) assertWritable(io.cwd, path);
  const taken = paths.filter((path) => exists(join(io.cwd, path)));
  if (taken.length > 0 && !force)
    throw new InputError(
      `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}: nothing written (--force overwrites)`,
    );
  for (const path of paths) {
    const target = join(io.cwd, path);
    mkdirSync(dirname(target), { recursive: true });
    // 'wx' fails instead of overwriting a file created since the check.
    const fd = openSync(target, force ? OVERWRITE : 'wx');
    try {
      writeFileSync(fd, platform.files[path] ?? '');
    } finally {
      closeSync(fd);
    }
  }
  const endpoint = paths[0] ?? '';
  const about = (path: string) =>
    path === '.env.example'
      ? `${COMMON_ABOUT[path]}: ${variables(platform.files[path] ?? '').join(', ')}`
      : (platform.about[path] ?? COMMON_ABOUT[path] ?? '');
  const width = Math.max(...paths.map((path) => path.length));
  const commandWidth = Math.max(...platform.next.map(([command]) => command.length));
  io.stdout(
    [
      `Wrote a Twilio Access Token endpoint for ${platform.title}${taken.length > 0 ? ` (overwrote ${taken.join(', ')})` : ''}:`,
      ...paths.map((path) => `  ${path.padEnd(width)}  ${about(path)}`),
      '',
      `identify refuses everyone (401) until you fill it in: see the TODO in ${endpoint}.`,
      `The project needs ${platform.needs.join(', ')}: npm install what it lacks.`,
      '',
      'Next:',
      ...platform.next.map(([command, comment]) => `  ${command.padEnd(commandWidth)}  # ${comment}`),
      '',
    ].join('\n'),
  );
  return 0;
}
