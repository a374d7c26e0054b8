import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { createAccessToken } from '../create-access-token.js';
import {
  CREDENTIAL_VARIABLES,
  type Credentials,
  credentialsFromEnv,
  type EnvironmentVariables,
} from '../credentials.js';
import { decodeAccessToken } from '../decode.js';
import { isAccessTokenError } from '../errors.js';
import { chatGrant } from '../grants/chat.js';
import type { Grant } from '../grants/index.js';
import { syncGrant } from '../grants/sync.js';
import { videoGrant } from '../grants/video.js';
import { voiceGrant } from '../grants/voice.js';
import { verifyAccessToken } from '../verify.js';
import { help, type Parsed, parse, UsageError } from './args.js';

declare const __VERSION__: string;

/** Clearly fake credentials for --demo: well formed, so the token decodes; Twilio rejects it. */
const DEMO: Credentials = {
  accountSid: `AC${'0'.repeat(32)}`,
  apiKeySid: `SK${'0'.repeat(32)}`,
  apiKeySecret: 'demo-secret-not-a-real-api-key!!',
};

/** Where the CLI writes, and what it reads: injectable for tests, the process's own by default. */
export interface Io {
  readonly env: EnvironmentVariables;
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): Promise<string>;
}

/** Flags named in errors instead of option paths. */
const FLAGS: Record<string, string> = {
  identity: '--identity',
  'options.ttl': '--ttl',
  'options.region': '--region',
  'grants.video.room': '--room-name',
  'grants.voice.outgoingApplicationSid': '--voice-app-sid',
  'grants.voice.pushCredentialSid': '--push-credential-sid',
  'grants.chat.serviceSid': '--chat-service-sid',
  'grants.chat.pushCredentialSid': '--push-credential-sid',
  'grants.sync.serviceSid': '--sync-service-sid',
};

/** Runs the CLI; returns the exit code: 0 success, 1 error, 2 usage. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
    if (parsed.values.help === true) {
      io.stdout(`${help(argv[0])}\n`);
      return 0;
    }
    if (parsed.command === 'help') {
      io.stdout(`${help(parsed.positionals[0])}\n`);
      return 0;
    }
    if (parsed.command === 'version') {
      io.stdout(`${__VERSION__}\n`);
      return 0;
    }
    const output = parsed.values.output ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, not '${output}'`);
    const env = loadEnv(parsed, io);
    if (parsed.command === 'decode') return await decode(parsed, io);
    if (parsed.command === 'verify') return await verify(parsed, io, env);
    return mint(parsed, io, env, output);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`twilio-token: ${error.message}\n`);
      return 2;
    }
    if (isAccessTokenError(error)) {
      const flag = error.path === undefined ? undefined : FLAGS[error.path];
      io.stderr(`twilio-token: ${error.code}${flag ? ` (${flag})` : ''}: ${error.message}\n`);
      return 1;
    }
    io.stderr(`twilio-token: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

function loadEnv(parsed: Parsed, io: Io): EnvironmentVariables {
  const given = parsed.values['env-file'];
  const path = typeof given === 'string' ? given : `${io.cwd}/.env`;
  if (typeof given === 'string' && !existsSync(path)) throw new Error(`--env-file ${given}: no such file`);
  if (!existsSync(path)) return io.env;
  // Variables already set in the environment win over the file, as with dotenv.
  return { ...parseEnv(readFileSync(path, 'utf8')), ...definedOnly(io.env) };
}

function definedOnly(env: EnvironmentVariables): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function required(values: Parsed['values'], flag: string, command: string): string {
  const value = values[flag];
  if (typeof value !== 'string')
    throw new UsageError(`${command} needs --${flag} (see 'twilio-token ${command} --help')`);
  return value;
}

function grantsFor(parsed: Parsed): Grant[] {
  const v = parsed.values;
  const str = (flag: string) => (typeof v[flag] === 'string' ? (v[flag] as string) : undefined);
  const voice = () =>
    voiceGrant({
      ...(str('voice-app-sid') === undefined ? {} : { outgoingApplicationSid: str('voice-app-sid') }),
      ...(v['allow-incoming'] === true ? { incomingAllow: true } : {}),
      ...(str('push-credential-sid') === undefined ? {} : { pushCredentialSid: str('push-credential-sid') }),
    });
  switch (parsed.command) {
    case 'video':
      return [videoGrant(str('room-name') === undefined ? {} : { room: str('room-name') })];
    case 'voice':
      if (str('voice-app-sid') === undefined && v['allow-incoming'] !== true) required(v, 'voice-app-sid', 'voice');
      return [voice()];
    case 'chat':
      return [
        chatGrant({
          serviceSid: required(v, 'chat-service-sid', 'chat'),
          ...(str('push-credential-sid') === undefined ? {} : { pushCredentialSid: str('push-credential-sid') }),
        }),
      ];
    case 'sync':
      return [syncGrant(str('sync-service-sid') === undefined ? {} : { serviceSid: str('sync-service-sid') })];
    default: {
      const grants: Grant[] = [];
      if (v.video === true || str('room-name') !== undefined)
        grants.push(videoGrant(str('room-name') === undefined ? {} : { room: str('room-name') }));
      if (str('voice-app-sid') !== undefined || v['allow-incoming'] === true) grants.push(voice());
      else if (str('push-credential-sid') !== undefined)
        throw new UsageError('--push-credential-sid needs a voice grant: add --voice-app-sid or --allow-incoming');
      if (str('chat-service-sid') !== undefined)
        grants.push(chatGrant({ serviceSid: str('chat-service-sid') as string }));
      if (v.sync === true || str('sync-service-sid') !== undefined)
        grants.push(syncGrant(str('sync-service-sid') === undefined ? {} : { serviceSid: str('sync-service-sid') }));
      if (grants.length === 0)
        throw new UsageError(
          "mint needs at least one grant flag: --video, --room-name, --voice-app-sid, --allow-incoming, --chat-service-sid, --sync (see 'twilio-token mint --help')",
        );
      return grants;
    }
  }
}

function mint(parsed: Parsed, io: Io, env: EnvironmentVariables, output: string): number {
  const v = parsed.values;
  const identity = typeof v.identity === 'string' ? v.identity : undefined;
  if (identity === undefined)
    throw new UsageError(`${parsed.command} needs --identity (see 'twilio-token ${parsed.command} --help')`);
  const grants = grantsFor(parsed);
  const ttl = typeof v.ttl === 'string' ? numberOrText(v.ttl) : undefined;
  const credentials = v.demo === true ? DEMO : credentialsFromEnv(env);
  const token = createAccessToken(identity, grants, {
    credentials,
    ...(ttl === undefined ? {} : { ttl: ttl as number }),
    ...(typeof v.region === 'string' ? { region: v.region } : {}),
  });
  if (output === 'json') {
    const { exp, iat } = decodeAccessToken(token).payload;
    const body = { token, identity, ttl: exp - iat, expiresAt: new Date(exp * 1000).toISOString() };
    io.stdout(`${JSON.stringify(body)}\n`);
  } else {
    io.stdout(`${token}\n`);
  }
  if (v.demo === true)
    io.stderr('twilio-token: signed with fake demo credentials (--demo): Twilio will reject this token.\n');
  return 0;
}

// A value that is not a number is passed on as text, so the error shows what was typed.
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

async function tokenArgument(parsed: Parsed, io: Io): Promise<string> {
  const [given, ...extra] = parsed.positionals;
  if (given === undefined)
    throw new UsageError(`${parsed.command} needs a token, or '-' to read one from standard input`);
  if (extra.length > 0) throw new UsageError(`${parsed.command} takes one token, got ${parsed.positionals.length}`);
  return (given === '-' ? await io.stdin() : given).trim();
}

async function decode(parsed: Parsed, io: Io): Promise<number> {
  const decoded = decodeAccessToken(await tokenArgument(parsed, io));
  io.stdout(`${JSON.stringify(decoded, null, 2)}\n`);
  io.stderr(
    `twilio-token: ${expiry(decoded.payload.exp)} (not verified; use 'twilio-token verify' to check the signature)\n`,
  );
  return 0;
}

async function verify(parsed: Parsed, io: Io, env: EnvironmentVariables): Promise<number> {
  const token = await tokenArgument(parsed, io);
  const name = CREDENTIAL_VARIABLES.apiKeySecret.find((n) => typeof env[n] === 'string' && env[n] !== '');
  if (name === undefined) {
    io.stderr(
      `twilio-token: ERR_MISSING_CREDENTIALS: verify needs the API Key secret: set ${CREDENTIAL_VARIABLES.apiKeySecret.join(', ')}\n`,
    );
    return 1;
  }
  try {
    const payload = verifyAccessToken(token, { apiKeySecret: env[name] as string });
    io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
    io.stderr(`twilio-token: valid: algorithm, signature, nbf and exp check out; ${expiry(payload.exp)}\n`);
    return 0;
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
    const check: Record<string, string> = {
      ERR_MALFORMED_TOKEN: 'format',
      ERR_UNSUPPORTED_ALGORITHM: 'algorithm',
      ERR_INVALID_SIGNATURE: 'signature',
      ERR_TOKEN_EXPIRED: 'expiry (exp)',
      ERR_TOKEN_NOT_YET_VALID: 'not-before (nbf)',
    };
    io.stderr(
      `twilio-token: ${error.code}: invalid: the ${check[error.code] ?? 'input'} check failed. ${error.message}\n`,
    );
    return 1;
  }
}

/** "expires in 59 min" or "expired 3 h ago". */
export function expiry(exp: number, now = Date.now() / 1000): string {
  const seconds = Math.abs(exp - now);
  const amount =
    seconds < 60
      ? `${Math.floor(seconds)} s`
      : seconds < 3600
        ? `${Math.floor(seconds / 60)} min`
        : seconds < 172_800
          ? `${Math.floor(seconds / 3600)} h`
          : `${Math.floor(seconds / 86_400)} d`;
  return exp > now ? `expires in ${amount}` : `expired ${amount} ago`;
}

const processIo: Io = {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  async stdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
