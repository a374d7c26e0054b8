import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { TOKEN_FETCH_ERRORS } from '../../src/client.js';
import { HTTP_ERRORS } from '../../src/handlers/fetch/index.js';
import { ACCESS_TOKEN_ERRORS, decodeAccessToken, FINDINGS } from '../../src/index.js';
import { PROBE_FINDINGS } from '../../src/probe.js';
import { credentials, sid } from '../helpers.js';
import { emptyDir, runInProcess } from './harness.js';

// Issue 26, the first hour of a newcomer. Findings closed here:
// F1: minting commands signed with the single-key variables only, though TWILIO_API_KEYS was set
//   (the JavaScript default signs with the keyring's signing key) and --keys FILE was refused.
// F2: an empty pipe to decode/verify/doctor/explain said "malformed token" (exit 1), not that no
//   token was given.
// F3: `explain` knew Twilio's numbers only, not this package's own codes.

const ACCOUNT = credentials.accountSid;
const OLD = { sid: sid('SK', '1'), secret: 'old-secret-qxzjwmvb4' };
const NEW = { sid: sid('SK', '2'), secret: 'new-secret-qxzjwmvb5' };
const NEXT = { sid: sid('SK', '3'), secret: 'next-secret-qxzjwmvb6' };
const now = Math.floor(Date.now() / 1000);
const KEYS = JSON.stringify([OLD, { ...NEW, signFrom: now - 60 }, { ...NEXT, signFrom: now + 86_400 }]);
const dir = emptyDir();
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, KEYS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const issuer = (stdout: string) => decodeAccessToken(stdout.trim()).payload.iss;

describe('minting signs with the keyring (F1)', () => {
  test.each(['video', 'mint'])('%s with TWILIO_API_KEYS: the signing key now, not a pending one', async (command) => {
    const args = command === 'mint' ? ['mint', '--identity', 'alice', '--video'] : ['video', '--identity', 'alice'];
    const r = await runInProcess(args, { env: { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: KEYS } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(issuer(r.stdout)).toBe(NEW.sid);
  });

  test('TWILIO_API_KEYS wins over the single-key variables, as in JavaScript', async () => {
    const env = { ...envOf(credentials), TWILIO_API_KEYS: KEYS };
    const r = await runInProcess(['video', '--identity', 'alice'], { env });
    expect(issuer(r.stdout)).toBe(NEW.sid);
  });

  test('--keys FILE, the flag verify and doctor take', async () => {
    const r = await runInProcess(['mint', '--identity', 'alice', '--video', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
    });
    expect(r.code).toBe(0);
    expect(issuer(r.stdout)).toBe(NEW.sid);
    // The token verifies with the same file.
    const v = await runInProcess(['verify', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: r.stdout,
    });
    expect(v.code).toBe(0);
  });

  test('a ttl over the keyring maxTtl is refused, never minted', async () => {
    const r = await runInProcess(['video', '--identity', 'alice', '--ttl', '86401', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('--demo with --keys is a usage mistake (exit 2)', async () => {
    const r = await runInProcess(['video', '--identity', 'alice', '--demo', '--keys', keysFile]);
    expect(r.code).toBe(2);
  });

  test('no secret of the keyring in any output', async () => {
    for (const args of [
      ['video', '--identity', 'alice', '--keys', keysFile, '-o', 'json'],
      ['video', '--identity', 'a\nb', '--keys', keysFile],
    ]) {
      const r = await runInProcess(args, { env: { TWILIO_ACCOUNT_SID: ACCOUNT } });
      for (const secret of [OLD.secret, NEW.secret, NEXT.secret]) expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });
});

function envOf(c: typeof credentials): Record<string, string> {
  return { TWILIO_ACCOUNT_SID: c.accountSid, TWILIO_API_KEY_SID: c.apiKeySid, TWILIO_API_KEY_SECRET: c.apiKeySecret };
}

describe('empty input says no token was given, exit 2 (F2)', () => {
  const env = { ...envOf(credentials) };
  test.each([
    ['decode', ['decode', '-'], ''],
    ['decode, whitespace only', ['decode', '-'], ' \n\t\n'],
    ['verify', ['verify', '-'], ''],
    ['doctor', ['doctor', '-'], '\n'],
    ['explain', ['explain', '-'], ''],
    ['decode, an empty argument', ['decode', ''], ''],
    ['verify, an empty argument', ['verify', '  '], ''],
    ['doctor, an empty argument', ['doctor', ''], ''],
    ['explain, an empty argument', ['explain', ''], ''],
  ])('%s', async (_n, args, input) => {
    const r = await runInProcess(args, { env, input });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no (token|code) given/);
  });
});

describe('explain knows every code of the four vocabularies (F3)', () => {
  const codes = [
    ...Object.keys(ACCESS_TOKEN_ERRORS),
    ...Object.keys(HTTP_ERRORS),
    ...Object.keys(FINDINGS),
    ...Object.keys(PROBE_FINDINGS),
    ...Object.keys(TOKEN_FETCH_ERRORS),
  ];
  test.each([...new Set(codes)])('%s: shown as typed, with cause and fix', async (code) => {
    const r = await runInProcess(['explain', code]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(code);
    expect(r.stdout).toMatch(/\nCause: .{10,}\nFix: .{10,}\n$/);
  });

  test('in any case, and from standard input', async () => {
    expect((await runInProcess(['explain', 'err_key_retired'])).stdout).toMatch(/^ERR_KEY_RETIRED\n/);
    expect((await runInProcess(['explain', '-'], { input: 'token_expired\n' })).stdout).toMatch(/^TOKEN_EXPIRED\n/);
  });

  test('-o json', async () => {
    const r = await runInProcess(['explain', 'ERR_RATE_LIMITED', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      code: 'ERR_RATE_LIMITED',
      cause: expect.any(String),
      fix: expect.any(String),
    });
  });

  test('each code has one owner: ERR_MALFORMED_TOKEN is an AccessTokenError code, ERR_NO_TOKEN a TokenFetchError code', async () => {
    const malformed = await runInProcess(['explain', 'ERR_MALFORMED_TOKEN']);
    expect(malformed.stdout).toMatch(/AccessTokenError code/);
    expect(malformed.stdout).not.toMatch(/TokenFetchError code/);
    const noToken = await runInProcess(['explain', 'ERR_NO_TOKEN']);
    expect(noToken.stdout).toMatch(/TokenFetchError code/);
    expect(noToken.stdout).not.toMatch(/AccessTokenError code/);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'a prototype name (%s) is unknown, exit 1',
    async (name) => {
      const r = await runInProcess(['explain', name]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
    },
  );

  test('property: an unknown string is described by its length, never echoed (a secret pasted here)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 9, maxLength: 64 }), async (typed) => {
        fc.pre(typed.trim() !== '' && !/^\d+$/.test(typed.trim()) && !typed.trim().startsWith('-'));
        const r = await runInProcess(['explain', typed]);
        if (r.code === 0) return; // a real code typed by chance
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`a string of ${typed.trim().length} character`);
        expect(r.stderr).not.toContain(typed.trim());
      }),
    );
  });
});

describe('diagnose: a Voice identity over 121 characters (Twilio 31105)', () => {
  test('is told by doctor, beside the character warning', async () => {
    const { createAccessToken, voiceGrant } = await import('../../src/index.js');
    const token = createAccessToken(`a b${'c'.repeat(119)}`, voiceGrant({ incomingAllow: true }), { credentials });
    const r = await runInProcess(['doctor', '-', '-o', 'json'], { input: token });
    const codes = (JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['IDENTITY_TOO_LONG_FOR_VOICE', 'IDENTITY_UNSAFE_FOR_VOICE']));
  });
});
