import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ACCESS_TOKEN_ERRORS, createKeyring, verifyAccessToken } from '../../../src/index.js';
import { verifyAccessToken as verifyWeb } from '../../../src/web.js';
import { expectError as expectErrorFull, sid } from '../../helpers.js';
import { ACCOUNT, keyring, NEW, OLD, SWITCH } from './fixtures.js';

// Issue 26, section 16: the second attack found that verify with a keyring accepted a fresh token
// signed by a key past its retireAt, and a token valid for ten years (finding K1, MEDIUM); and that
// `alg: none` with an unknown iss was ERR_UNKNOWN_KEY, the key checked before the algorithm (K2).

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed by hand: any claims, any algorithm name, HS256 signature by `secret`. */
function forge(
  claims: { iss: string; iat: number; exp: number; sub?: string; nbf?: number },
  secret: string,
  alg = 'HS256',
) {
  const header = { alg, typ: 'JWT', cty: 'twilio-fpa;v=1' };
  const payload = {
    jti: `${claims.iss}-${claims.iat}`,
    sub: ACCOUNT,
    grants: { identity: 'mallory', video: {} },
    ...claims,
  };
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const RETIRE = SWITCH + 3600; // OLD's retireAt: NEW's signFrom + maxTtl
const verifiers = [
  [
    'main',
    (t: string, o: Parameters<typeof verifyAccessToken>[1]) => Promise.resolve().then(() => verifyAccessToken(t, o)),
  ],
  ['/web', (t: string, o: Parameters<typeof verifyWeb>[1]) => verifyWeb(t, o)],
] as const;

/** The error thrown, asserted to carry `code` (and `path`, `message` when given). */
function expectError(fn: () => unknown, code: string, path?: string, message?: RegExp): { message: string } {
  let thrown: { code?: string; path?: string; message: string } | undefined;
  try {
    fn();
  } catch (error) {
    thrown = error as typeof thrown;
  }
  expect(thrown?.code, String(thrown?.message)).toBe(code);
  if (path !== undefined) expect(thrown?.path).toBe(path);
  if (message !== undefined) expectErrorFull(fn, code as never, path, message);
  return thrown as { message: string };
}

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('verify with a keyring follows the schedule (finding K1: a retired key still minted)', () => {
  test.each(verifiers)(
    '%s: a fresh token by the old key, issued at its retireAt, is ERR_KEY_RETIRED',
    async (_, verify) => {
      const token = forge({ iss: OLD.apiKeySid, iat: RETIRE, exp: RETIRE + 600 }, OLD.apiKeySecret);
      expect(await codeOf(() => verify(token, { keyring, now: RETIRE + 1 }))).toBe('ERR_KEY_RETIRED');
      // Issued before retireAt and expiring by it: a token the keyring could have minted.
      const before = forge({ iss: OLD.apiKeySid, iat: RETIRE - 601, exp: RETIRE }, OLD.apiKeySecret);
      expect(await codeOf(() => verify(before, { keyring, now: RETIRE - 1 }))).toBe('accepted');
    },
  );

  test('the message names the path, the retireAt and no secret', () => {
    const token = forge({ iss: OLD.apiKeySid, iat: RETIRE + 5, exp: RETIRE + 600 }, OLD.apiKeySecret);
    expectError(
      () => verifyAccessToken(token, { keyring, now: RETIRE + 6 }),
      'ERR_KEY_RETIRED',
      'payload.iat',
      /^Invalid payload\.iat: expected a time before its key's retireAt, 2026-01-01T02:00:00\.000Z/,
    );
  });

  test('clockTolerance extends retireAt, as it does exp and nbf', () => {
    const token = forge({ iss: OLD.apiKeySid, iat: RETIRE + 5, exp: RETIRE + 8 }, OLD.apiKeySecret);
    expect(() => verifyAccessToken(token, { keyring, now: RETIRE + 6, clockTolerance: 10 })).not.toThrow();
    expectError(() => verifyAccessToken(token, { keyring, now: RETIRE + 6, clockTolerance: 5 }), 'ERR_KEY_RETIRED');
  });

  test('property: an old-key token is accepted exactly when iat < retireAt and exp <= retireAt (issue 26, third attack A1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: SWITCH - 7200, max: RETIRE + 7200 }),
        fc.integer({ min: 1, max: 3600 }),
        (iat, ttl) => {
          const token = forge({ iss: OLD.apiKeySid, iat, exp: iat + ttl }, OLD.apiKeySecret);
          let code = 'accepted';
          try {
            verifyAccessToken(token, { keyring, now: iat });
          } catch (error) {
            code = (error as { code: string }).code;
          }
          expect(code).toBe(iat >= RETIRE || iat + ttl > RETIRE ? 'ERR_KEY_RETIRED' : 'accepted');
        },
      ),
    );
  });

  test('the newest key never retires', () => {
    const far = RETIRE + 10 * 365 * 86400;
    const token = forge({ iss: NEW.apiKeySid, iat: far, exp: far + 600 }, NEW.apiKeySecret);
    expect(verifyAccessToken(token, { keyring, now: far }).iss).toBe(NEW.apiKeySid);
  });

  test('a forged signature is ERR_INVALID_SIGNATURE first: the schedule says nothing to a forger', () => {
    const token = forge({ iss: OLD.apiKeySid, iat: RETIRE, exp: RETIRE + 600 }, 'not-the-secret-0000');
    expectError(() => verifyAccessToken(token, { keyring, now: RETIRE }), 'ERR_INVALID_SIGNATURE');
  });
});

describe('a token valid for ten years (finding K1: exp - iat was never bounded)', () => {
  const TEN_YEARS = 10 * 365 * 86400;
  test.each(verifiers)('%s: ten years by the signing key is ERR_TOKEN_TOO_LONG, with a keyring', async (_, verify) => {
    const token = forge({ iss: NEW.apiKeySid, iat: SWITCH, exp: SWITCH + TEN_YEARS }, NEW.apiKeySecret);
    expect(await codeOf(() => verify(token, { keyring, now: SWITCH + 1 }))).toBe('ERR_TOKEN_TOO_LONG');
  });

  test.each(verifiers)('%s: and without one (Twilio refuses over 86400 s, error 20157)', async (_, verify) => {
    const token = forge({ iss: NEW.apiKeySid, iat: SWITCH, exp: SWITCH + 86401 }, NEW.apiKeySecret);
    expect(await codeOf(() => verify(token, { apiKeySecret: NEW.apiKeySecret, now: SWITCH + 1 }))).toBe(
      'ERR_TOKEN_TOO_LONG',
    );
    const day = forge({ iss: NEW.apiKeySid, iat: SWITCH, exp: SWITCH + 86400 }, NEW.apiKeySecret);
    expect(await codeOf(() => verify(day, { apiKeySecret: NEW.apiKeySecret, now: SWITCH + 1 }))).toBe('accepted');
  });

  test("over the keyring's maxTtl, by one second, at every ttl (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 86400 }), fc.integer({ min: 1, max: 86400 * 2 }), (maxTtl, ttl) => {
        const ring = createKeyring({
          accountSid: ACCOUNT,
          maxTtl,
          keys: [{ apiKeySid: NEW.apiKeySid, apiKeySecret: NEW.apiKeySecret }],
        });
        const token = forge({ iss: NEW.apiKeySid, iat: SWITCH, exp: SWITCH + ttl }, NEW.apiKeySecret);
        let code = 'accepted';
        try {
          verifyAccessToken(token, { keyring: ring, now: SWITCH });
        } catch (error) {
          code = (error as { code: string }).code;
        }
        expect(code).toBe(ttl > maxTtl ? 'ERR_TOKEN_TOO_LONG' : 'accepted');
      }),
    );
  });

  test('an iat in milliseconds (wrong unit) is no token at all, never a long one accepted', () => {
    const token = forge({ iss: NEW.apiKeySid, iat: SWITCH * 1000, exp: SWITCH * 1000 + 60 }, NEW.apiKeySecret);
    expectError(() => verifyAccessToken(token, { keyring, now: SWITCH }), 'ERR_MALFORMED_TOKEN');
  });
});

describe('the algorithm before the key (finding K2)', () => {
  test.each(verifiers)('%s: alg none with an unknown iss is ERR_UNSUPPORTED_ALGORITHM', async (_, verify) => {
    for (const alg of ['none', 'RS256', 'hs256', '__proto__', 'constructor']) {
      const token = forge({ iss: sid('SK', 'f'), iat: SWITCH, exp: SWITCH + 60 }, 'x', alg);
      expect(await codeOf(() => verify(token, { keyring, now: SWITCH }))).toBe('ERR_UNSUPPORTED_ALGORITHM');
    }
  });

  test('an iss named like a prototype key is ERR_UNKNOWN_KEY, never a key', () => {
    for (const iss of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const token = forge({ iss, iat: SWITCH, exp: SWITCH + 60 }, 'x');
      expectError(() => verifyAccessToken(token, { keyring, now: SWITCH }), 'ERR_UNKNOWN_KEY');
    }
  });
});

describe('both codes are in the vocabulary', () => {
  test('ERR_KEY_RETIRED and ERR_TOKEN_TOO_LONG', () => {
    expect(Object.keys(ACCESS_TOKEN_ERRORS)).toEqual(expect.arrayContaining(['ERR_KEY_RETIRED', 'ERR_TOKEN_TOO_LONG']));
  });
});

describe('createKeyring: a required field present as undefined (finding K3: the message advised omitting it)', () => {
  const key = { apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret };
  test('left out, accountSid and keys fail with the same code and path', () => {
    expectError(() => createKeyring({ keys: [key] } as never), 'ERR_INVALID_CREDENTIALS', 'keyring.accountSid');
    expectError(() => createKeyring({ accountSid: ACCOUNT } as never), 'ERR_INVALID_CREDENTIALS', 'keyring.keys');
  });

  test.each([
    ['accountSid', { accountSid: undefined, keys: [key] }, 'keyring.accountSid'],
    ['keys', { accountSid: ACCOUNT, keys: undefined }, 'keyring.keys'],
    [
      'keys[0].apiKeySid',
      { accountSid: ACCOUNT, keys: [{ ...key, apiKeySid: undefined }] },
      'keyring.keys[0].apiKeySid',
    ],
    [
      'keys[0].apiKeySecret',
      { accountSid: ACCOUNT, keys: [{ ...key, apiKeySecret: undefined }] },
      'keyring.keys[0].apiKeySecret',
    ],
  ])('%s: undefined is ERR_INVALID_CREDENTIALS, as a missing value is', (_field, options, path) => {
    const thrown = expectError(() => createKeyring(options as never), 'ERR_INVALID_CREDENTIALS', path);
    expect(thrown.message).not.toMatch(/omit/i);
  });
});

describe('signFrom in whole seconds (finding K4: fractions slipped through a Date or an ISO string)', () => {
  const make = (signFrom: unknown) => () =>
    createKeyring({
      accountSid: ACCOUNT,
      keys: [
        { apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret },
        { apiKeySid: NEW.apiKeySid, apiKeySecret: NEW.apiKeySecret, signFrom: signFrom as number },
      ],
    });
  test.each([
    ['a fractional number', 1_800_000_000.5],
    ['a Date with milliseconds', new Date(1_800_000_000_001)],
    ['an ISO string with a fraction', '2027-01-15T08:00:00.5Z'],
    ['an ISO string with milliseconds', '2027-01-15T08:00:00.001+01:00'],
    ['milliseconds for seconds', 1_800_000_000_000],
  ])('%s is ERR_INVALID_OPTION at its path', (_, value) => {
    expectError(make(value), 'ERR_INVALID_OPTION', 'keyring.keys[1].signFrom');
  });

  test('property: any millisecond time that is not whole seconds is refused in each form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4_000_000_000 }), fc.integer({ min: 1, max: 999 }), (s, ms) => {
        const at = s * 1000 + ms;
        for (const form of [at / 1000, new Date(at), new Date(at).toISOString()])
          expectError(make(form), 'ERR_INVALID_OPTION', 'keyring.keys[1].signFrom');
        expect(() => make(s)()).not.toThrow();
        expect(() => make(new Date(s * 1000))()).not.toThrow();
        expect(() => make(new Date(s * 1000).toISOString())()).not.toThrow();
      }),
    );
  });
});
