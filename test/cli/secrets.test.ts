import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { createAccessToken, videoGrant } from '../../src/index.js';
import { credentials, secretWindows, sid } from '../helpers.js';
import { emptyDir, type Outcome, runBuilt, runInProcess } from './harness.js';

// A secret typed in the wrong place is never printed: a random 32-40 character string goes into
// every position of the command line, the environment and the .env file, and none of its
// 6-character windows may appear on stdout or stderr.

/** Letters and digits that spell nothing the CLI prints; optionally starting like a SID. */
const arbSecret = fc
  .tuple(
    fc.constantFrom('', 'AC', 'SK', 'IS', 'AP', 'US', 'HS'),
    fc.string({ unit: fc.constantFrom(...'qxzjkvwyQXZJKVWY23456789'.split('')), minLength: 32, maxLength: 40 }),
  )
  .map(([prefix, body]) => (prefix + body).slice(0, 40));

const ENV = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};

/** The flags each command needs, so a secret in one position reaches the checks behind them. */
const BASE: Record<string, string[]> = {
  video: ['--identity', 'alice'],
  voice: ['--identity', 'alice', '--allow-incoming'],
  chat: ['--identity', 'alice', '--chat-service-sid', sid('IS')],
  conversations: ['--identity', 'alice', '--chat-service-sid', sid('IS')],
  sync: ['--identity', 'alice'],
  taskrouter: ['--identity', 'alice', '--workspace-sid', sid('WS'), '--worker-sid', sid('WK')],
  mint: ['--identity', 'alice', '--video'],
};
const STRING_FLAGS: Record<string, string[]> = {
  video: ['room-name'],
  voice: ['voice-app-sid', 'push-credential-sid', 'endpoint-id'],
  chat: ['chat-service-sid', 'push-credential-sid', 'endpoint-id'],
  conversations: ['chat-service-sid', 'push-credential-sid', 'endpoint-id'],
  sync: ['sync-service-sid', 'endpoint-id'],
  taskrouter: ['workspace-sid', 'worker-sid', 'role'],
  mint: ['room-name', 'voice-app-sid', 'push-credential-sid', 'chat-service-sid', 'sync-service-sid', 'role'],
};
const COMMON_STRING = ['identity', 'ttl', 'nbf', 'region', 'algorithm', 'dotenv', 'output', 'env-file'];
const BOOLEAN_FLAGS = ['demo', 'help', 'version', 'allow-incoming', 'video', 'sync'];
const INSPECTING = ['decode', 'verify', 'doctor', 'explain'];

/** The base flags with one flag's value replaced (or added). */
function withFlag(base: readonly string[], flag: string, value: string, inline: boolean): string[] {
  const out = [...base];
  const at = out.indexOf(`--${flag}`);
  if (at >= 0) out.splice(at, 2);
  return inline ? [...out, `--${flag}=${value}`] : [...out, `--${flag}`, value];
}

interface Position {
  name: string;
  args: string[];
  env?: Record<string, string>;
  dotenv?: string;
  input?: string;
}

const token = createAccessToken('alice', videoGrant(), { credentials });

/** Every place a caller can put a string. */
function positions(s: string): Position[] {
  const out: Position[] = [
    { name: 'command name', args: [s] },
    { name: 'command name with flags', args: [s, '--identity', 'a'] },
    { name: 'help topic', args: ['help', s] },
    { name: 'a plugin-style command', args: [`token:${s}`] },
  ];
  for (const [command, base] of Object.entries(BASE)) {
    out.push({ name: `${command} positional`, args: [command, ...base, s] });
    out.push({ name: `${command} long flag name`, args: [command, ...base, `--${s}`] });
    out.push({ name: `${command} flag name with value`, args: [command, ...base, `--${s}=1`] });
    out.push({ name: `${command} short flag`, args: [command, ...base, `-${s}`] });
    for (const flag of [...COMMON_STRING, ...(STRING_FLAGS[command] ?? [])])
      for (const inline of [false, true])
        out.push({
          name: `${command} --${flag}${inline ? '=' : ' '}`,
          args: [command, ...withFlag(base, flag, s, inline)],
        });
    for (const flag of BOOLEAN_FLAGS)
      out.push({ name: `${command} --${flag}=`, args: [command, ...base, `--${flag}=${s}`] });
  }
  for (const command of INSPECTING) {
    out.push({ name: `${command} argument`, args: [command, s] });
    out.push({ name: `${command} second argument`, args: [command, token, s] });
    out.push({ name: `${command} standard input`, args: [command, '-'], input: s });
    out.push({ name: `${command} flag name`, args: [command, token, `--${s}`] });
    for (const flag of ['dotenv', 'output', ...(command === 'verify' || command === 'doctor' ? ['keys'] : [])])
      out.push({ name: `${command} --${flag}`, args: [command, token, `--${flag}`, s] });
    out.push({ name: `${command} --help=`, args: [command, token, `--help=${s}`] });
  }
  for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY', 'ACCOUNT_SID', 'API_KEY']) {
    out.push({ name: `environment ${name}`, args: ['video', '--identity', 'a'], env: { ...ENV, [name]: s } });
    out.push({ name: `.env ${name}`, args: ['video', '--identity', 'a'], env: {}, dotenv: envFile({ [name]: s }) });
  }
  const lines: [string, string][] = [
    ['unterminated secret', `TWILIO_API_KEY_SECRET="${s}`],
    ['unterminated single-quoted secret', `TWILIO_API_KEY_SECRET='${s}`],
    ['unterminated unknown variable', `MY_VARIABLE_NAME="${s}`],
    ['unterminated variable named by the secret', `${s}="x`],
    ['a line with only the secret', s],
    ['the secret as a name', `${s}=1`],
    ['the secret with whitespace', `TWILIO_API_KEY_SECRET=" ${s} "`],
    ['the secret as the Auth Token too', `TWILIO_API_KEY_SECRET=${s}\nTWILIO_AUTH_TOKEN=${s}`],
  ];
  for (const [name, line] of lines)
    out.push({
      name: `.env ${name}`,
      args: ['video', '--identity', 'a'],
      env: {},
      dotenv: `${envFile({})}\n${line}\n`,
    });
  out.push({ name: 'keys argument', args: ['keys', s] });
  out.push({ name: 'keys flag name', args: ['keys', `--${s}`] });
  for (const flag of ['dotenv', 'output']) out.push({ name: `keys --${flag}`, args: ['keys', `--${flag}`, s] });
  out.push({ name: 'keys, TWILIO_API_KEYS', args: ['keys'], env: { ...ENV, TWILIO_API_KEYS: s } });
  out.push({
    name: 'keys, the secret in TWILIO_API_KEYS',
    args: ['keys'],
    env: { ...ENV, TWILIO_API_KEYS: `[{"sid":"${credentials.apiKeySid}","secret":"${s}"}]` },
  });
  out.push({ name: 'environment secret, verify', args: ['verify', token], env: { TWILIO_API_KEY_SECRET: s } });
  out.push({ name: 'environment secret, doctor', args: ['doctor', token], env: { TWILIO_API_KEY_SECRET: s } });
  out.push({
    name: 'environment secret, -o json',
    args: ['video', '--identity', 'a', '-o', 'json'],
    env: { ...ENV, TWILIO_API_KEY_SECRET: s },
  });
  return out;
}

function envFile(values: Record<string, string>): string {
  return Object.entries({ ...ENV, ...values })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

const dirs: string[] = [];
let runs = 0;
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function leaks(secret: string, outcome: Outcome): string[] {
  const all = outcome.stdout + outcome.stderr;
  return secretWindows(secret).filter((w) => all.includes(w));
}

describe('the CLI never prints a secret typed in the wrong place', () => {
  test('every argument, flag, .env value, environment variable and standard input (in process)', async () => {
    const dir = emptyDir();
    dirs.push(dir);
    await fc.assert(
      fc.asyncProperty(arbSecret, async (secret) => {
        for (const position of positions(secret)) {
          const cwd = join(dir, String(runs++));
          mkdirSync(cwd);
          if (position.dotenv !== undefined) writeFileSync(join(cwd, '.env'), position.dotenv);
          const outcome = await runInProcess(position.args, {
            env: position.env ?? ENV,
            input: position.input ?? '',
            dir: cwd,
          });
          expect(leaks(secret, outcome), `${position.name}: ${outcome.stderr}`).toEqual([]);
          // Each of these is a mistake or a lookup, or prints a token; never a crash.
          expect(outcome.stderr, position.name).not.toMatch(/unexpected failure/);
        }
      }),
      { numRuns: 20 }, // each run writes a directory per position and runs the CLI in each
    );
  });

  test('a --dotenv path that holds the secret, existing or not', async () => {
    const dir = emptyDir();
    dirs.push(dir);
    await fc.assert(
      fc.asyncProperty(arbSecret, async (secret) => {
        const file = join(dir, secret);
        writeFileSync(file, 'TWILIO_API_KEY_SECRET="unterminated\n');
        for (const path of [file, `${file}.missing`, join(file, 'child')]) {
          const outcome = await runInProcess(['video', '--identity', 'a', '--dotenv', path]);
          expect(outcome.code).toBe(1);
          expect(leaks(secret, outcome), outcome.stderr).toEqual([]);
        }
      }),
      { numRuns: 30 }, // each run writes a file and runs the CLI three times
    );
  });

  test('the built CLI, for positions the process wiring handles', () => {
    fc.assert(
      fc.property(arbSecret, (secret) => {
        for (const args of [
          [secret],
          ['video', `--${secret}`],
          ['video', '--identity', 'a', '--allow-incoming', secret],
        ]) {
          const outcome = runBuilt(args, { env: ENV });
          expect(outcome.code).toBe(2);
          expect(leaks(secret, outcome), outcome.stderr).toEqual([]);
        }
        const stdin = runBuilt(['decode', '-'], { input: secret });
        expect(stdin.code).toBe(1);
        expect(leaks(secret, stdin), stdin.stderr).toEqual([]);
      }),
      { numRuns: 5 }, // each run spawns the built CLI four times
    );
  });
});
