import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccessToken, videoGrant } from '../../src/index.js';
import { arbSecret, credentials, secretWindows } from '../helpers.js';
import { cliPath, type Outcome, runBuilt, runInProcess } from './harness.js';

// Where the CLI reads the API Key secret: a .env value must not swallow a comment line, a secret or
// SID never spans lines, verify and doctor refuse the Auth Token as minting does, and decode and
// explain (no credentials needed) read no .env at all.

// Letters and digits that spell no word of any message: a window found in output is a leak.
const SECRET = 'qxz7jkv2wy9qxz3jkv4wy5qxz6jkv8wy';
const HEAD = `TWILIO_ACCOUNT_SID=${credentials.accountSid}\nTWILIO_API_KEY_SID=${credentials.apiKeySid}\n`;
const ENV = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};
const REJECT = '(Twilio would reject every token signed with it)';
const token = createAccessToken('alice', videoGrant(), { credentials });
let dir: string;

beforeAll(() => {
  expect(readFileSync(cliPath, 'utf8')).toMatch(/^#!/);
  dir = mkdtempSync(join(tmpdir(), 'tat-cli-dotenv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function leaked(outcome: Outcome, secret = SECRET): string[] {
  return secretWindows(secret).filter((w) => outcome.stdout.includes(w) || outcome.stderr.includes(w));
}

/** A folder holding one .env file. */
function folderWith(dotenv: string): string {
  const folder = mkdtempSync(join(dir, 'f-'));
  writeFileSync(join(folder, '.env'), dotenv);
  return folder;
}

describe('a quote inside a comment line does not close a value', () => {
  test.each(["'", '"', '`'])('the attacker’s .env with %s: exit 1 naming the line, never the value', (quote) => {
    const folder = folderWith(`${HEAD}TWILIO_API_KEY_SECRET=${quote}${SECRET}\n# don${quote}t commit this\n`);
    const r = runBuilt(['video', '--identity', 'a'], { dir: folder });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `twilio-token: .env, line 3: the value of TWILIO_API_KEY_SECRET opens a ${quote} quote that is never closed ${REJECT}\n`,
    );
    expect(leaked(r)).toEqual([]);
  });

  test('a quote in the middle of any later line closes nothing, wherever it is (in process)', async () => {
    const folder = mkdtempSync(join(dir, 'p-'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("'", '"', '`'),
        fc.string({ unit: fc.constantFrom(...'ab #x'.split('')), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom(...'ab #x'.split('')), maxLength: 8 }).filter((s) => /[^\s]/.test(s)),
        fc.nat(3),
        async (quote, before, after, blank) => {
          // Only whitespace or a comment may follow a closing quote; here a word does.
          fc.pre(!after.trimStart().startsWith('#'));
          const lines = `${'\n'.repeat(blank)}${before}${quote}${after}`;
          writeFileSync(join(folder, '.env'), `${HEAD}TWILIO_API_KEY_SECRET=${quote}${SECRET}\n${lines}\n`);
          const r = await runInProcess(['video', '--identity', 'a'], { dir: folder, env: {} });
          expect(r.code).toBe(1);
          expect(r.stderr).toBe(
            `twilio-token: .env, line 3: the value of TWILIO_API_KEY_SECRET opens a ${quote} quote that is never closed ${REJECT}\n`,
          );
        },
      ),
    );
  });

  test('a multi-line value (a PEM key) still parses when its closing quote ends a line, a comment allowed', async () => {
    const pem = '-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\n-----END KEY-----';
    for (const tail of ['', '   ', ' # the key', '\t#']) {
      const folder = folderWith(`${HEAD}PEM="${pem}"${tail}\nTWILIO_API_KEY_SECRET=${credentials.apiKeySecret}\n`);
      const r = await runInProcess(['video', '--identity', 'a'], { dir: folder });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const trailing = folderWith(`${HEAD}PEM="${pem}" then words\n`);
    const r = await runInProcess(['video', '--identity', 'a'], { dir: trailing });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `twilio-token: .env, line 3: the value of a variable named "PEM" opens a " quote that is never closed ${REJECT}\n`,
    );
  });
});

describe('a secret or SID never spans lines', () => {
  const names = [
    'TWILIO_API_KEY_SECRET',
    'API_SECRET',
    'TWILIO_ACCOUNT_SID',
    'TWILIO_API_KEY_SID',
    'TWILIO_AUTH_TOKEN',
  ];
  test.each(names)('%s closed on a later line: exit 1 naming the file and lines, never the value', async (name) => {
    for (const quote of ['"', "'", '`']) {
      const folder = folderWith(`${HEAD}${name}=${quote}${SECRET}\n${quote}\n`);
      for (const args of [
        ['video', '--identity', 'a'],
        ['verify', token],
        ['doctor', token],
      ]) {
        const r = await runInProcess(args, { dir: folder });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
          `twilio-token: .env, line 3: the value of ${name} spans lines 3 to 4; a secret or SID is one line ${REJECT}\n`,
        );
        expect(leaked(r)).toEqual([]);
      }
    }
  });

  test('a \\n escape in a double-quoted secret is refused too; in single quotes it is two characters', async () => {
    const escaped = await runInProcess(['video', '--identity', 'a'], {
      dir: folderWith(`${HEAD}TWILIO_API_KEY_SECRET="${SECRET}\\n"\n`),
    });
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toBe(
      `twilio-token: .env, line 3: the value of TWILIO_API_KEY_SECRET holds a \\n line break; a secret or SID is one line ${REJECT}\n`,
    );
    expect(leaked(escaped)).toEqual([]);
  });

  test('the built CLI, with --dotenv', () => {
    const file = join(dir, 'multi.env');
    writeFileSync(file, `${HEAD}TWILIO_API_KEY_SECRET='${SECRET}\nmore'\n`);
    const r = runBuilt(['video', '--identity', 'a', '--dotenv', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^twilio-token: --dotenv \(a path of \d+ characters\), line 3: the value of TWILIO_API_KEY_SECRET spans lines 3 to 4; a secret or SID is one line/,
    );
    expect(leaked(r)).toEqual([]);
  });
});

describe('a 1 MiB .env is read in one pass', () => {
  // Before, an opening quote made every later line rescan the value so far, and a long run of
  // spaces in an unquoted value backtracked: minutes for 1 MiB. The child is killed after 25 s.
  function runFile(content: string) {
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(1024 * 1024);
    const file = join(dir, 'big.env');
    writeFileSync(file, content);
    const result = spawnSync(process.execPath, [cliPath, 'video', '--identity', 'a', '--dotenv', file], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 25_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
  }
  const fill = (unit: string, reserve: number) => unit.repeat(Math.floor((1024 * 1024 - reserve) / unit.length));

  test('an opening quote followed by 1 MiB of lines: the unterminated-quote error', { timeout: 60_000 }, () => {
    const r = runFile(`${HEAD}TWILIO_API_KEY_SECRET="${SECRET}\n${fill('x\n', 400)}`);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `twilio-token: --dotenv (a path of ${join(dir, 'big.env').length} characters), line 3: the value of TWILIO_API_KEY_SECRET opens a " quote that is never closed ${REJECT}\n`,
    );
  });

  test('a 1 MiB PEM-like value closed at the end, and 1 MiB of spaces in an unquoted value', {
    timeout: 60_000,
  }, () => {
    const pem = runFile(`${HEAD}TWILIO_API_KEY_SECRET=${credentials.apiKeySecret}\nKEY="a\n${fill('x\n', 400)}"\n`);
    expect(pem.signal).toBe(null);
    expect(pem.stderr).toBe('');
    expect(pem.code).toBe(0);
    const spaces = runFile(`${HEAD}TWILIO_API_KEY_SECRET=${credentials.apiKeySecret}\nNOTE=a${fill(' ', 400)}b\n`);
    expect(spaces.signal).toBe(null);
    expect(spaces.stderr).toBe('');
    expect(spaces.code).toBe(0);
  });
});

describe('verify and doctor refuse the Auth Token as the secret, as minting does', () => {
  const families: { secret: string; key: Record<string, string> }[] = [
    { secret: 'TWILIO_API_KEY_SECRET', key: { TWILIO_API_KEY_SID: credentials.apiKeySid } },
    { secret: 'API_SECRET', key: { API_KEY_SID: credentials.apiKeySid } },
  ];
  const commands = [
    ['verify', token],
    ['doctor', token],
    ['doctor', token, '-o', 'json'],
    ['verify', '-'],
  ];

  test.each(['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN'])(
    '%s equal to the secret: exit 1, ERR_INVALID_CREDENTIALS',
    async (auth) => {
      for (const family of families) {
        const env = {
          TWILIO_ACCOUNT_SID: credentials.accountSid,
          ...family.key,
          [family.secret]: SECRET,
          [auth]: SECRET,
        };
        const minted = await runInProcess(['video', '--identity', 'a'], { env });
        expect(minted.code).toBe(1);
        expect(minted.stderr).toBe(
          `twilio-token: ERR_INVALID_CREDENTIALS: Invalid credentials.apiKeySecret: expected an API Key secret in ${family.secret}, received the value of ${auth}, the Auth Token. The Auth Token cannot sign Access Tokens (Twilio answers 20107): create an API Key in the Twilio Console and set its SID and secret\n`,
        );
        for (const args of commands) {
          const r = await runInProcess(args, { env, input: token });
          expect(r.code).toBe(1);
          expect(r.stdout).toBe('');
          expect(r.stderr).toBe(minted.stderr);
          expect(leaked(r)).toEqual([]);
        }
      }
    },
  );

  test('the secret in .env and the Auth Token in the environment (built CLI)', () => {
    const folder = folderWith(`TWILIO_API_KEY_SECRET=${SECRET}\n`);
    for (const args of [
      ['verify', token],
      ['doctor', token],
    ]) {
      const r = runBuilt(args, { dir: folder, env: { TWILIO_AUTH_TOKEN: SECRET } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^twilio-token: ERR_INVALID_CREDENTIALS: Invalid credentials\.apiKeySecret: expected an API Key secret in TWILIO_API_KEY_SECRET, received the value of TWILIO_AUTH_TOKEN, the Auth Token\. /,
      );
      expect(leaked(r)).toEqual([]);
    }
  });

  test('any secret equal to the Auth Token is refused; a different Auth Token changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(arbSecret(16, 40), async (secret) => {
        const same = await runInProcess(['verify', token], { env: { API_SECRET: secret, AUTH_TOKEN: secret } });
        expect(same.code).toBe(1);
        expect(same.stderr).toMatch(/^twilio-token: ERR_INVALID_CREDENTIALS: /);
        expect(leaked(same, secret)).toEqual([]);
      }),
    );
    const env = { ...ENV, TWILIO_AUTH_TOKEN: SECRET };
    const verified = await runInProcess(['verify', token], { env });
    expect(verified.code).toBe(0);
    expect(verified.stderr).toMatch(/^twilio-token: valid: /);
    const doctored = await runInProcess(['doctor', token], { env });
    expect(doctored.code).toBe(0);
    expect(doctored.stdout).toMatch(
      /^ok: nothing Twilio would reject \(signature checked with TWILIO_API_KEY_SECRET\)\n$/,
    );
  });
});

describe('decode and explain read no .env: a broken one does not stop them', () => {
  const broken = `${HEAD}TWILIO_API_KEY_SECRET='${SECRET}\n# don't commit this\n`;

  test('decode and explain succeed beside a broken ./.env; verify, doctor and minting fail on it', () => {
    const folder = folderWith(broken);
    const decoded = runBuilt(['decode', token], { dir: folder });
    expect(decoded.code).toBe(0);
    expect(JSON.parse(decoded.stdout).payload.grants.identity).toBe('alice');
    const explained = runBuilt(['explain', '20107'], { dir: folder });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^20107: /);
    for (const args of [
      ['verify', token],
      ['doctor', token],
      ['video', '--identity', 'a'],
    ]) {
      const r = runBuilt(args, { dir: folder });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `twilio-token: .env, line 3: the value of TWILIO_API_KEY_SECRET opens a ' quote that is never closed ${REJECT}\n`,
      );
    }
  });

  test('decode and explain take no --dotenv (usage, exit 2); verify and doctor do', async () => {
    const file = join(dir, 'broken.env');
    writeFileSync(file, broken);
    for (const args of [
      ['decode', token],
      ['explain', '20107'],
    ]) {
      const r = await runInProcess([...args, '--dotenv', file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `twilio-token: --dotenv is not a flag of ${args[0]} (see 'twilio-token ${args[0]} --help')\n`,
      );
      const nodeFlag = await runInProcess([...args, '--env-file', file]);
      expect(nodeFlag.code).toBe(2);
      expect(nodeFlag.stderr).toBe(
        `twilio-token: --env-file is Node's own flag (Node 20 reads it before this CLI runs); ${args[0]} reads no credentials\n`,
      );
    }
    for (const command of ['verify', 'doctor']) {
      const r = await runInProcess([command, token, '--dotenv', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/, line 3: the value of TWILIO_API_KEY_SECRET opens a ' quote that is never closed/);
    }
  });
});
