import { parseArgs } from 'node:util';
import { CLI_PRODUCTS } from '../grants/products.js';
import type { CliField } from '../grants/spec.js';
import { UsageError } from './failure.js';
import { shown, unknownName } from './show.js';

// The CLI's commands and flags. node:util parseArgs splits the command line (not strict: its own
// errors quote what was typed); the checks below name only what cannot be a secret. Flag names
// follow the `twilio token:*` CLI plugin.

/** The commands, aliases resolved. */
export type Command =
  | 'video'
  | 'voice'
  | 'chat'
  | 'sync'
  | 'taskrouter'
  | 'mint'
  | 'decode'
  | 'verify'
  | 'doctor'
  | 'explain'
  | 'keys'
  | 'init';

interface Flag {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

const S: Flag = { type: 'string' };
const B: Flag = { type: 'boolean' };

const COMMON: Readonly<Record<string, Flag>> = {
  identity: S,
  ttl: S,
  nbf: S,
  region: S,
  algorithm: S,
  dotenv: S,
  // The keyring to sign with (the JSON of TWILIO_API_KEYS), as verify and doctor take it.
  keys: S,
  // Node's own flag (Node 20 reads it even after the script name); accepted only to say so.
  'env-file': S,
  output: { type: 'string', short: 'o' },
  demo: B,
  help: { type: 'boolean', short: 'h' },
  version: B,
};

// A grant field's switch (`--allow-incoming`) also takes =true or =false, as the `twilio token`
// plugin writes it; other boolean flags take no value.
const SWITCH: Flag = { type: 'boolean' };
const flagOf = (field: CliField): Flag => (field.kind === 'true' ? SWITCH : S);

// Each product's command takes its fields' flags; mint takes every product's switch (--video) and
// the flags of its fields that only one product has there. All from the products' tables.
const GRANT_FLAGS: Readonly<Record<string, Readonly<Record<string, Flag>>>> = Object.fromEntries([
  ...CLI_PRODUCTS.filter((spec) => spec.command !== undefined).map((spec) => [
    spec.command,
    Object.fromEntries(spec.fields.filter((f) => f.flag !== undefined).map((f) => [f.flag, flagOf(f)])),
  ]),
  [
    'mint',
    Object.fromEntries(
      CLI_PRODUCTS.flatMap((spec) => [
        ...(spec.mintFlag === undefined ? [] : [[spec.mintFlag, B] as const]),
        ...spec.fields.filter((f) => f.flag !== undefined && f.mint !== false).map((f) => [f.flag, flagOf(f)] as const),
      ]),
    ),
  ],
]);

// decode and explain read no credentials, so they take no --dotenv; verify and doctor do.
const INSPECT: Readonly<Record<string, Flag>> = {
  'env-file': S,
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: B,
};
const INSPECT_WITH_SECRET: Readonly<Record<string, Flag>> = { ...INSPECT, dotenv: S, keys: S };
// doctor --online asks Twilio: the only flag that makes a command use the network.
const DOCTOR: Readonly<Record<string, Flag>> = { ...INSPECT_WITH_SECRET, online: B, push: S, timeout: S };
// keys reads the keyring from the environment (and .env): no token, no --keys file.
const KEYS: Readonly<Record<string, Flag>> = { ...INSPECT, dotenv: S };
// init writes files: no credentials, --force to overwrite.
const INIT: Readonly<Record<string, Flag>> = { ...INSPECT, force: B };

/** Other names of commands: `conversations` is `chat`. */
export const ALIASES: ReadonlyMap<string, Command> = new Map<string, Command>([['conversations', 'chat']]);
/** Every command name, aliases included. */
export const COMMANDS: readonly string[] = [
  'video',
  'voice',
  'chat',
  'conversations',
  'sync',
  'taskrouter',
  'mint',
  'decode',
  'verify',
  'doctor',
  'explain',
  'keys',
  'init',
];
const INSPECTING: readonly string[] = ['decode', 'verify', 'doctor', 'explain'];
// Every flag of every command: a known name, safe to show when given to the wrong command.
const ALL_FLAGS = new Set([COMMON, DOCTOR, ...Object.values(GRANT_FLAGS)].flatMap((flags) => Object.keys(flags)));

/** What the command line asked for. `usage`: no arguments at all. */
export interface Parsed {
  readonly command: Command | 'help' | 'version' | 'usage';
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** Resolves an alias. */
export function commandName(name: string | undefined): string | undefined {
  return name === undefined ? undefined : (ALIASES.get(name) ?? name);
}

/** Parses argv (without node and the script). */
export function parse(argv: readonly string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined) return { command: 'usage', values: {}, positionals: [] };
  if (first === '--help' || first === '-h' || first === 'help')
    return { command: 'help', values: {}, positionals: rest };
  if (first === '--version' || first === '-v') return { command: 'version', values: {}, positionals: [] };
  if (!COMMANDS.includes(first)) {
    // The `twilio token:*` plugin's command names (known names, so safe to show) get a suggestion.
    const plugin = first.startsWith('token:') && COMMANDS.includes(first.slice(6));
    const message = plugin
      ? `unknown command ${JSON.stringify(first)} (did you mean "${first.slice(6)}"?)`
      : unknownName(first, { kind: 'command', known: COMMANDS });
    throw new UsageError(`${message}. Commands: ${COMMANDS.join(', ')}`);
  }
  const command = ALIASES.get(first) ?? (first as Command);
  const options =
    command === 'doctor'
      ? DOCTOR
      : command === 'verify'
        ? INSPECT_WITH_SECRET
        : command === 'keys'
          ? KEYS
          : command === 'init'
            ? INIT
            : INSPECTING.includes(command)
              ? INSPECT
              : { ...COMMON, ...GRANT_FLAGS[command] };
  const { values, positionals } = check(rest, command, options);
  if (values['env-file'] !== undefined)
    throw new UsageError(
      `--env-file is Node's own flag (Node 20 reads it before this CLI runs); ${options === INSPECT ? `${command} reads no credentials` : 'use --dotenv PATH instead'}`,
    );
  return { command, values, positionals };
}

/** Checks every flag, value and positional; throws a UsageError that shows only what is safe to show. */
function check(args: readonly string[], command: Command, options: Readonly<Record<string, Flag>>) {
  const positionalsAllowed = INSPECTING.includes(command) || command === 'init';
  // Not strict: every option takes a value when given one inline, unknown ones included; checked here.
  const { tokens } = parseArgs({ args: [...args], options: { ...options }, strict: false, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const names = Object.keys(options);
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!positionalsAllowed)
        throw new UsageError(
          `unexpected argument: ${shown(token.value)} (flags take their value as --flag VALUE or --flag=VALUE)`,
        );
      positionals.push(token.value);
    }
    if (token.kind !== 'option') continue;
    const dashes = token.rawName.startsWith('--') ? '--' : '-';
    const flag = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (flag === undefined) {
      const elsewhere = ALL_FLAGS.has(token.name) ? `--${token.name} is not a flag of ${command}` : undefined;
      throw new UsageError(
        `${elsewhere ?? unknownName(token.name, { kind: 'option', known: names, dashes })} (see 'twilio-token ${command} --help')`,
      );
    }
    if (Object.hasOwn(values, token.name)) throw new UsageError(`--${token.name} was given twice; give it once`);
    values[token.name] = flagValue(flag, token);
  }
  return { values, positionals };
}

/** A flag's value as given: `--name value`, `--name=value` (inline) or `--name` alone. */
interface Given {
  readonly name: string;
  readonly value: string | undefined;
  readonly inlineValue: boolean | undefined;
}

function flagValue(flag: Flag, { name, value, inlineValue: inline }: Given): string | boolean {
  if (flag.type === 'string') {
    // `--identity --ttl 60`: parseArgs takes `--ttl` as the identity; a value starting with a dash
    // must be written inline.
    if (value === undefined || (!inline && value.startsWith('-')))
      throw new UsageError(`--${name} needs a value (one that starts with "-" is written --${name}=VALUE)`);
    return value;
  }
  if (value === undefined) return true;
  if (flag === SWITCH && (value === 'true' || value === 'false')) return value === 'true';
  const allowed = flag === SWITCH ? ', or =true or =false' : '';
  throw new UsageError(`--${name} takes no value${allowed}; received ${shown(value)}`);
}
