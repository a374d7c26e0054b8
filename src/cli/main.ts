import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { EnvironmentVariables } from '../credentials.js';
import { isAccessTokenError } from '../errors.js';
import { help, type Parsed, parse, UsageError } from './args.js';
import { doctor, explain } from './doctor.js';
import { decode, verify } from './inspect.js';
import type { Io } from './io.js';
import { mint } from './mint.js';

declare const __VERSION__: string;

/** Flags named in errors instead of option paths. */
const FLAGS: Record<string, string> = {
  identity: '--identity',
  'options.ttl': '--ttl',
  'options.nbf': '--nbf',
  'options.region': '--region',
  'options.algorithm': '--algorithm',
  'grants.voice.endpointId': '--endpoint-id',
  'grants.chat.endpointId': '--endpoint-id',
  'grants.sync.endpointId': '--endpoint-id',
  'grants.taskRouter.workspaceSid': '--workspace-sid',
  'grants.taskRouter.workerSid': '--worker-sid',
  'grants.taskRouter.role': '--role',
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
    if (parsed.command === 'version' || parsed.values.version === true) {
      io.stdout(`${__VERSION__}\n`);
      return 0;
    }
    const output = parsed.values.output ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`-o must be text or json, not '${output}'`);
    const env = loadEnv(parsed, io);
    if (parsed.command === 'decode') return await decode(parsed, io);
    if (parsed.command === 'verify') return await verify(parsed, io, env);
    if (parsed.command === 'doctor') return await doctor(parsed, io, env, output);
    if (parsed.command === 'explain') return explain(parsed, io, output);
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
  const given = parsed.values.dotenv;
  const path = typeof given === 'string' ? given : `${io.cwd}/.env`;
  if (typeof given === 'string' && !existsSync(path)) throw new Error(`--dotenv ${given}: no such file`);
  if (!existsSync(path)) return io.env;
  // Variables already set in the environment win over the file, as with dotenv.
  return { ...parseEnv(readFileSync(path, 'utf8')), ...definedOnly(io.env) };
}

function definedOnly(env: EnvironmentVariables): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
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
