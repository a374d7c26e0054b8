import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccessToken, decodeAccessToken, videoGrant } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { cliPath, runBuilt, runInProcess, runPipeline } from './harness.js';

// The CLI's promises under attack, run as the built dist/cli.js unless the point is in-process.

const ENV = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};
const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
let dir: string;

beforeAll(() => {
  expect(readFileSync(cliPath, 'utf8')).toMatch(/^#!/);
  dir = mkdtempSync(join(tmpdir(), 'tat-cli-promises-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standard input is read to at most 64 KiB', () => {
  test.each(['decode', 'verify', 'doctor'])('`yes | twilio-token %s -` stops at once with exit 1', async (command) => {
    const r = await runPipeline('yes', [command, '-'], 10_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('twilio-token: standard input is over 64 KiB; a token is at most 64 KiB: stopped reading\n');
    // An unbounded read took 8 s and 2 GB before; stopping at 64 KiB takes well under a second.
    expect(r.ms).toBeLessThan(5_000);
  });

  test('64 KiB exactly is read; one byte more is refused', async () => {
    const exact = await runInProcess(['decode', '-'], { input: 'a'.repeat(64 * 1024) });
    expect(exact.code).toBe(1);
    expect(exact.stderr).toMatch(/^twilio-token: ERR_MALFORMED_TOKEN: /);
    const over = await runInProcess(['decode', '-'], { input: 'a'.repeat(64 * 1024 + 1) });
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/standard input is over 64 KiB/);
  });
});

describe('doctor and decode escape control characters from the token', () => {
  // A token whose grants try to clear the screen, print a fake "ok" and reorder text.
  const hostile = `${b64({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })}.${b64({
    jti: `${sid('SK')}-1`,
    iss: sid('SK'),
    sub: sid('AC'),
    iat: 1,
    exp: 9_999_999_999,
    grants: {
      identity: 'eve\u202Ekcatta',
      '\u001b[2J\u001b[H': {},
      '\nok: \u009b': {},
      '\u009b31m\u007f\u2066': {},
    },
  })}.sig`;
  // Everything a token can make a terminal do: C0 (tab and newline included), DEL, C1, bidi.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not be printed
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  test('doctor (text): one line per finding field, nothing raw, the escapes visible', () => {
    const r = runBuilt(['doctor', '-'], { input: hostile });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('\\u001b[2J');
    expect(r.stdout).toContain('\\u009b31m');
    // The fake "ok" never starts a line of its own.
    expect(r.stdout.split('\n').filter((line) => line.startsWith('ok'))).toEqual([]);
    expect(r.stdout).toMatch(/^not ok: /m);
  });

  test('doctor -o json and decode: JSON that parses to the same values, with no raw C1 or bidi', () => {
    for (const args of [
      ['doctor', '-', '-o', 'json'],
      ['decode', '-'],
    ]) {
      const r = runBuilt(args, { input: hostile });
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain('\\u202e');
      const parsed = JSON.parse(r.stdout) as { payload: unknown };
      expect(parsed.payload).toEqual(JSON.parse(Buffer.from(hostile.split('.')[1] as string, 'base64url').toString()));
    }
  });

  test('verify prints the payload escaped too', async () => {
    const t = createAccessToken('eve\u202Ekcatta', videoGrant({ room: 'r\u0085' }), { credentials });
    const r = await runInProcess(['verify', t], { env: ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(JSON.parse(r.stdout).grants).toEqual({ identity: 'eve\u202Ekcatta', video: { room: 'r\u0085' } });
  });
});

describe('.env files', () => {
  const head = `TWILIO_ACCOUNT_SID=${credentials.accountSid}\nTWILIO_API_KEY_SID=${credentials.apiKeySid}\n`;

  test('an unterminated quote is an error naming the file and line, never the value', () => {
    for (const quote of ['"', "'", '`']) {
      writeFileSync(join(dir, '.env'), `${head}TWILIO_API_KEY_SECRET=${quote}s3cretvalue0123456789\n# note\n`);
      const r = runBuilt(['video', '--identity', 'a'], { dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `twilio-token: .env, line 3: the value of TWILIO_API_KEY_SECRET opens a ${quote} quote that is never closed (Twilio would reject every token signed with it)\n`,
      );
    }
  });

  test('a quote closed only by the next assignment is unterminated too; a multi-line value is fine', async () => {
    writeFileSync(
      join(dir, 'run-on.env'),
      `TWILIO_API_KEY_SECRET="abc\nTWILIO_ACCOUNT_SID="${credentials.accountSid}"\n`,
    );
    const r = await runInProcess(['video', '--identity', 'a', '--dotenv', join(dir, 'run-on.env')]);
    expect(r.stderr).toMatch(
      /^twilio-token: --dotenv \(a path of \d+ characters\), line 1: the value of TWILIO_API_KEY_SECRET opens a " quote/,
    );
    writeFileSync(
      join(dir, 'pem.env'),
      `${head}PRIVATE_KEY="-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END KEY-----"\nTWILIO_API_KEY_SECRET='${credentials.apiKeySecret}' # a comment\n`,
    );
    const ok = await runInProcess(['video', '--identity', 'a', '--dotenv', join(dir, 'pem.env')]);
    expect(ok.stderr).toBe('');
    expect(decodeAccessToken(ok.stdout.trim()).payload.iss).toBe(credentials.apiKeySid);
  });

  test('a short --dotenv path is named; an unknown variable is described', async () => {
    writeFileSync(join(dir, 'a.env'), `${head}X="1\n`);
    const r = await runInProcess(['video', '--identity', 'a', '--dotenv', 'a.env'], { dir });
    // The path is resolved from the process's folder: run it from `dir`.
    expect(r.code).toBe(1);
    const built = runBuilt(['video', '--identity', 'a', '--dotenv', 'a.env'], { dir });
    expect(built.stderr).toBe(
      'twilio-token: --dotenv "a.env", line 3: the value of a variable named "X" opens a " quote that is never closed (Twilio would reject every token signed with it)\n',
    );
  });

  test('--dotenv /dev/zero stops at 1 MiB instead of filling memory', () => {
    const r = runBuilt(['video', '--identity', 'a', '--dotenv', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('twilio-token: --dotenv (a path of 9 characters) is over 1 MiB: is it a .env file?\n');
  });
});

describe('usage', () => {
  test('no arguments: help on stderr, nothing on stdout, exit 2', () => {
    const r = runBuilt([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^twilio-token: mint, decode and verify Twilio Access Tokens\.\n/);
    expect(r.stderr).toContain('npx twilio-access-token');
  });

  test.each([
    ['--allow-incoming=true', { incoming: { allow: true } }],
    ['--allow-incoming', { incoming: { allow: true } }],
  ])('voice %s', async (flag, voice) => {
    const r = await runInProcess(['voice', '--identity', 'a', flag], { env: ENV });
    expect(r.code).toBe(0);
    expect(decodeAccessToken(r.stdout.trim()).payload.grants.voice).toEqual(voice);
  });

  test('--allow-incoming=false turns incoming calls off (the twilio token plugin form)', async () => {
    const r = await runInProcess(['voice', '--identity', 'a', '--voice-app-sid', sid('AP'), '--allow-incoming=false'], {
      env: ENV,
    });
    expect(r.code).toBe(0);
    expect(decodeAccessToken(r.stdout.trim()).payload.grants.voice).toEqual({
      outgoing: { application_sid: sid('AP') },
    });
    const alone = await runInProcess(['voice', '--identity', 'a', '--allow-incoming=false'], { env: ENV });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/voice needs --voice-app-sid, --allow-incoming or both/);
    const mint = await runInProcess(['mint', '--identity', 'a', '--video', '--allow-incoming=false'], { env: ENV });
    expect(Object.keys(decodeAccessToken(mint.stdout.trim()).payload.grants)).toEqual(['identity', 'video']);
  });

  test.each([
    ['--demo=1', /^twilio-token: --demo takes no value; received "1"\n$/],
    ['--identityy', /^twilio-token: unknown option "--identityy" \(did you mean "--identity"\?\)/],
    ['--Room-Nam', /^twilio-token: unknown option "--Room-Nam" \(did you mean "--room-name"\?\)/],
    ['--voice-app-sid', /^twilio-token: --voice-app-sid is not a flag of video/],
    ['--ttl', /^twilio-token: --ttl needs a value/],
  ])('video %s', async (flag, message) => {
    const r = await runInProcess(['video', '--identity', 'a', flag], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('--allow-incoming=yes is neither true nor false', async () => {
    const r = await runInProcess(['voice', '--identity', 'a', '--allow-incoming=yes'], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('twilio-token: --allow-incoming takes no value, or =true or =false; received "yes"\n');
  });

  test('a value starting with a dash must be written inline', async () => {
    const r = await runInProcess(['video', '--identity', '--ttl', '60'], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--identity needs a value \(one that starts with "-" is written --identity=VALUE\)/);
    const inline = await runInProcess(['video', '--identity=-a'], { env: ENV });
    expect(decodeAccessToken(inline.stdout.trim()).payload.grants.identity).toBe('-a');
  });
});

describe('doctor on a --demo token', () => {
  test('the mint says Twilio will reject it, and doctor agrees: exit 1, DEMO_CREDENTIALS', () => {
    const minted = runBuilt(['video', '--identity', 'alice', '--demo']);
    expect(minted.stderr).toMatch(/Twilio will reject this token/);
    const r = runBuilt(['doctor', '-'], { input: minted.stdout });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error {3}DEMO_CREDENTIALS \(Twilio 20103\) at payload\.(iss|sub)\n/);
    expect(r.stdout).toMatch(/^not ok: 1 error, 0 warnings/m);
  });
});

describe('warnings', () => {
  test('a secret shaped like an Auth Token: one stderr line, not Node’s multi-line warning', () => {
    const r = runBuilt(['video', '--identity', 'a'], {
      env: { ...ENV, TWILIO_API_KEY_SECRET: '0123456789abcdef0123456789abcdef' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(r.stderr).toMatch(/^twilio-token: warning TWILIO_SECRET_LOOKS_LIKE_AUTH_TOKEN: [^\n]*20107[^\n]*\n$/);
    expect(r.stderr).not.toMatch(/\(node:\d+\)|--trace-warnings/);
    expect(r.stderr).not.toContain('0123456789abcdef');
    // node --no-warnings silences it, as it silences Node's own.
    const quiet = runBuilt(['video', '--identity', 'a'], {
      nodeArgs: ['--no-warnings'],
      env: { ...ENV, TWILIO_API_KEY_SECRET: '0123456789abcdef0123456789abcdef' },
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('unsupported Node.js', () => {
  const node18 = ['--import', join(fixtures, 'node18.mjs')];

  test('the simulated Node 18 has teeth: a named import of parseEnv fails at link time', () => {
    const file = join(dir, 'named-import.mjs');
    writeFileSync(file, "import { parseEnv } from 'node:util';\nconsole.log(typeof parseEnv);\n");
    const r = runBuilt([], { nodeArgs: [...node18, file] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SyntaxError: .*does not provide an export named 'parseEnv'/);
  });

  test('on Node 18 the CLI prints one line naming the requirement, exit 1', () => {
    const r = runBuilt(['video', '--identity', 'a', '--demo'], { nodeArgs: node18 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'twilio-token: needs Node.js >= 20.16.0, this is Node.js 18.20.4: upgrade Node.js (https://nodejs.org)\n',
    );
  });

  test('without the APIs Node 18 lacks but with a version of 20.16, the CLI still runs', () => {
    const r = runBuilt(['video', '--identity', 'a', '--demo'], {
      nodeArgs: node18,
      env: { FAKE_NODE_VERSION: '20.16.0' },
    });
    expect(r.code).toBe(0);
    expect(decodeAccessToken(r.stdout.trim()).payload.grants.identity).toBe('a');
  });

  test('dist/cli.js itself has no static import: everything loads after the check', () => {
    const source = readFileSync(cliPath, 'utf8');
    expect(source).not.toMatch(/^\s*import\s*[\w{*]/m);
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).toMatch(/nodeVersionProblem\(process\.versions\.node\)/);
  });
});
