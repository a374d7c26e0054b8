import { existsSync } from 'node:fs';
import { isAccessTokenError } from '../base/errors.js';
import type { EnvironmentVariables } from '../token/credentials.js';
import { type Parsed, parse } from './args.js';
import { doctor } from './doctor.js';
import { readDotenv } from './dotenv.js';
import { explain } from './explain.js';
import { InputError, UsageError } from './failure.js';
import { GRANT_FLAGS_BY_PATH } from './grant-flags.js';
import { help } from './help.js';
import { decode, verify } from './inspect.js';
import type { Io } from './io.js';
import { keys } from './keys.js';
import { mint } from './mint.js';
import { escapeControl, pathLabel, shown } from './show.js';

declare const __VERSION__: string;

/** Flags named in errors instead of option paths; the grant fields' come from the products' tables. */
const FLAGS = new Map<string, string>([
  ['identity', '--identity'],
  ['options.ttl', '--ttl'],
  ['options.nbf', '--nbf'],
  ['options.region', '--region'],
  ['options.algorithm', '--algorithm'],
  ...GRANT_FLAGS_BY_PATH,
]);

/**
 * Runs the CLI; returns the exit code: 0 success, 1 error, 2 usage.
 *
 * @param argv - The arguments after the script name.
 * @param io - Where to read and write.
 * @returns The exit code.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(parse(argv), argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`twilio-token: ${escapeControl(error.message)}\n`);
      return 2;
    }
    if (isAccessTokenError(error)) {
      const flag = error.path === undefined ? undefined : FLAGS.get(error.path);
      io.stderr(`twilio-token: ${error.code}${flag ? ` (${flag})` : ''}: ${escapeControl(error.message)}\n`);
      return 1;
    }
    if (error instanceof InputError) {
      io.stderr(`twilio-token: ${escapeControl(error.message)}\n`);
      return 1;
    }
    // Anything else is a bug or a system failure; its message may quote a path or a value.
    const [name, code] =
      typeof error === 'object' && error !== null ? [Reflect.get(error, 'name'), Reflect.get(error, 'code')] : [];
    const what = [name, code].filter((part) => typeof part === 'string' && part.length <= 32).join(' ');
    io.stderr(`twilio-token: unexpected failure${what === '' ? '' : ` (${escapeControl(what)})`}\n`);
    return 1;
  }
}

async function dispatch(parsed: Parsed, argv: readonly string[], io: Io): Promise<number> {
  if (parsed.command === 'usage') {
    // No arguments at all is a usage mistake (a script that lost its arguments): help on stderr.
    io.stderr(`${help()}\n`);
    return 2;
  }
  if (parsed.values.help === true) {
    io.stdout(`${help(argv[0])}\n`);
    return 0;
  }
  if (parsed.command === 'help') {
    io.stdout(`${help(parsed.positionals[0])}\n`);
    return 0;
  }
  if (parsed.command === 'version' || parsed.values.version === true) {
    io.stdout(`${typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-development'}\n`);
    return 0;
  }
  const output = parsed.values.output ?? 'text';
  if (output !== 'text' && output !== 'json')
    throw new UsageError(`-o must be text or json, not ${shown(String(output))}`);
  // decode, explain and init need no credentials: they read no .env (a broken one does not stop them).
  if (parsed.command === 'decode') return await decode(parsed, io);
  if (parsed.command === 'explain') return await explain(parsed, io, output);
  // Loaded on demand: the templates are a chunk of their own, which the other commands never read.
  if (parsed.command === 'init') return (await import('./init/init.js')).init(parsed, io);
  const run = { parsed, io, env: loadEnv(parsed, io), output } as const;
  if (parsed.command === 'verify') return await verify(run);
  if (parsed.command === 'doctor') return await doctor(run);
  if (parsed.command === 'keys') return keys(run);
  return mint(run);
}

function loadEnv(parsed: Parsed, io: Io): EnvironmentVariables {
  const given = parsed.values.dotenv;
  if (typeof given === 'string') {
    const label = pathLabel('--dotenv', given);
    if (!existsSync(given)) throw new InputError(`${label}: no such file`);
    return withEnvironment(readDotenv(given, label), io.env);
  }
  const path = `${io.cwd}/.env`;
  return existsSync(path) ? withEnvironment(readDotenv(path, '.env'), io.env) : io.env;
}

// Variables already set in the environment win over the file, as with dotenv.
function withEnvironment(file: Record<string, string>, env: EnvironmentVariables): EnvironmentVariables {
  // No prototype: a variable named __proto__ is a variable like any other.
  const out: Record<string, string> = Object.assign(Object.create(null), file);
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
