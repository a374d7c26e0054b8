import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import {
  type Credentials,
  createAccessToken,
  createKeyring,
  createTokenMinter,
  diagnoseAccessToken,
  keyringFromEnv,
  verifyAccessToken,
  videoGrant,
} from '../../../src/index.js';
import * as web from '../../../src/web.js';
import {
  arbTokenSpec,
  expectError,
  FROZEN_S,
  freezeClock,
  ourGrant,
  ourOptions,
  sid,
  twilioToken,
} from '../../helpers.js';
import { ACCOUNT, keyring, NEW, OLD, SWITCH } from './fixtures.js';

// A keyring wherever credentials are: tokens byte-identical to the signing key's, minters and a
// running handler switching keys at signFrom, verify and diagnose picking the secret by iss.

const issOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).iss;

afterEach(() => {
  vi.useRealTimers();
});

describe('tokens through a keyring are byte-identical to the signing key’s', () => {
  test('createAccessToken, createTokenMinter and twilio-node, before and after signFrom', () => {
    // Tokens within the keyring's maxTtl (3600): a longer ttl is refused (tested below).
    const withinMaxTtl = arbTokenSpec.map((spec) =>
      spec.ttl !== undefined && spec.ttl > 3600 ? { ...spec, ttl: (spec.ttl % 3600) + 1 } : spec,
    );
    fc.assert(
      fc.property(withinMaxTtl, fc.boolean(), (spec, after) => {
        freezeClock(after ? SWITCH * 1000 : undefined);
        const key = after ? NEW : OLD;
        const grants = spec.grants.map(ourGrant);
        const plain = createAccessToken(spec.identity, grants, ourOptions({ ...spec, credentials: key }));
        const ringed = createAccessToken(spec.identity, grants, { ...ourOptions(spec), credentials: keyring });
        expect(ringed).toBe(plain);
        expect(ringed).toBe(twilioToken({ ...spec, credentials: key }));
        const { credentials: _, ...rest } = ourOptions(spec);
        expect(createTokenMinter({ ...rest, credentials: keyring })(spec.identity, grants)).toBe(plain);
        vi.useRealTimers();
      }),
    );
  });

  test('/web too', async () => {
    freezeClock();
    const token = await web.createAccessToken('alice', videoGrant(), { credentials: keyring });
    expect(token).toBe(createAccessToken('alice', videoGrant(), { credentials: OLD }));
  });
});

test('a keyring of another copy is refused, never read, and its secret never shown', () => {
  const brand = Symbol.for('twilio-access-token.Keyring');
  // What another copy hands over: a frozen object with the brand, its values and its methods.
  const foreign = (secret: string) => {
    const other = createKeyring({ accountSid: ACCOUNT, keys: [{ apiKeySid: OLD.apiKeySid, apiKeySecret: 'x' }] });
    const get = (s: string) => (s === OLD.apiKeySid ? { ...OLD, apiKeySecret: secret } : undefined);
    return Object.freeze({ ...other, [brand]: true, get }) as never;
  };
  const message =
    'Invalid keyring: a keyring from another copy of twilio-access-token (another installed version?). Create it with createKeyring or keyringFromEnv from the same import as createAccessToken';
  expectError(
    () => createAccessToken('alice', videoGrant(), { credentials: foreign(OLD.apiKeySecret) }),
    'ERR_INVALID_CREDENTIALS',
    'keyring',
    message,
  );
  const secret = 'qxzjkvwy23456789qxzjkvwy23456789';
  expectError(
    () => createTokenMinter({ credentials: foreign(`${secret}\n`) })('alice', videoGrant()),
    'ERR_INVALID_CREDENTIALS',
    'keyring',
    message,
  );
});

describe('a minter and a running handler switch keys at signFrom, without being recreated', () => {
  test('createTokenMinter (node and /web)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((SWITCH - 1) * 1000);
    const mint = createTokenMinter({ credentials: keyring, ttl: 600 });
    const mintWeb = web.createTokenMinter({ credentials: keyring, ttl: 600 });
    expect(issOf(mint('alice', videoGrant()))).toBe(OLD.apiKeySid);
    expect(issOf(await mintWeb('alice', videoGrant()))).toBe(OLD.apiKeySid);
    vi.setSystemTime(SWITCH * 1000);
    const after = mint('alice', videoGrant());
    expect(issOf(after)).toBe(NEW.apiKeySid);
    expect(after).toBe(createAccessToken('alice', videoGrant(), { credentials: NEW, ttl: 600 }));
    expect(issOf(await mintWeb('alice', videoGrant()))).toBe(NEW.apiKeySid);
    vi.setSystemTime((SWITCH - 1) * 1000); // the clock stepping back: the old key again, from its cached plan
    expect(issOf(mint('alice', videoGrant()))).toBe(OLD.apiKeySid);
  });

  test('a minter with a keyring whose every key is pending fails per token, not at creation', () => {
    const pending = createKeyring({
      accountSid: ACCOUNT,
      keys: [{ ...NEW, signFrom: SWITCH }].map(({ accountSid: _, ...k }) => k),
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((SWITCH - 1) * 1000);
    const mint = createTokenMinter({ credentials: pending });
    expectError(() => mint('alice', videoGrant()), 'ERR_INVALID_CREDENTIALS', 'keyring', /no key signs yet/);
    vi.setSystemTime(SWITCH * 1000);
    expect(issOf(mint('alice', videoGrant()))).toBe(NEW.apiKeySid);
  });

  test('createFetchHandler with real Requests: fixed keyring, and a keyring from a function', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const options = { identify: () => 'alice', grants: videoGrant() };
    const handlers = [
      createFetchHandler({ ...options, credentials: keyring }),
      createFetchHandler({ ...options, credentials: () => keyring }),
    ];
    const ask = async (handler: (typeof handlers)[number]) => {
      const response = await handler(new Request('https://example.com/token', { method: 'POST' }));
      expect(response.status).toBe(200);
      return ((await response.json()) as { token: string }).token;
    };
    for (const handler of handlers) {
      vi.setSystemTime((SWITCH - 1) * 1000);
      expect(issOf(await ask(handler))).toBe(OLD.apiKeySid);
      vi.setSystemTime(SWITCH * 1000);
      const token = await ask(handler);
      expect(issOf(token)).toBe(NEW.apiKeySid);
      expect(token).toBe(createAccessToken('alice', videoGrant(), { credentials: NEW, ttl: 3600 }));
    }
  });
});

describe('verifyAccessToken and diagnoseAccessToken pick the secret by iss', () => {
  const now = FROZEN_S + 10;
  const mintWith = (credentials: Credentials) => {
    freezeClock();
    const token = createAccessToken('alice', videoGrant(), { credentials, ttl: 600 });
    vi.useRealTimers();
    return token;
  };

  test('verify (node and /web): either key of the keyring', async () => {
    for (const key of [OLD, NEW]) {
      const token = mintWith(key);
      expect(verifyAccessToken(token, { keyring, now }).iss).toBe(key.apiKeySid);
      expect((await web.verifyAccessToken(token, { keyring, now })).iss).toBe(key.apiKeySid);
    }
  });

  test('ERR_UNKNOWN_KEY: an iss the keyring does not hold, a sub of another account', async () => {
    const stranger = mintWith({ ...OLD, apiKeySid: sid('SK', '9') });
    const message =
      'Invalid payload.iss: expected an API Key SID the keyring holds, received a string of 34 characters starting with "SK". The token was signed with a key this keyring does not hold (deleted, or another keyring)';
    expectError(() => verifyAccessToken(stranger, { keyring, now }), 'ERR_UNKNOWN_KEY', 'payload.iss', message);
    await expect(web.verifyAccessToken(stranger, { keyring, now })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_KEY',
      path: 'payload.iss',
    });
    const otherAccount = mintWith({ ...OLD, accountSid: sid('AC', 'b') });
    expectError(
      () => verifyAccessToken(otherAccount, { keyring, now }),
      'ERR_UNKNOWN_KEY',
      'payload.sub',
      /expected the keyring's Account SID, received a string of 34 characters starting with "AC"\. The token belongs to another account \(Twilio error 20103\)/,
    );
  });

  test('the signature is still checked with the key’s secret; exactly one of apiKeySecret and keyring', () => {
    const forged = mintWith({ ...OLD, apiKeySecret: 'another-secret' });
    expectError(
      () => verifyAccessToken(forged, { keyring, now }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      /does not match/,
    );
    const token = mintWith(OLD);
    expectError(
      () => verifyAccessToken(token, { keyring, apiKeySecret: OLD.apiKeySecret, now } as never),
      'ERR_INVALID_OPTION',
      'options.keyring',
      'Invalid options.keyring: expected exactly one of apiKeySecret and keyring, received both',
    );
    expectError(
      () => verifyAccessToken(token, { now } as never),
      'ERR_INVALID_CREDENTIALS',
      'options.apiKeySecret',
      /non-empty string, received undefined/,
    );
    expectError(
      () => verifyAccessToken(token, { keyring: { ...OLD } } as never),
      'ERR_INVALID_OPTION',
      'options.keyring',
      'Invalid options.keyring: expected a keyring from createKeyring, received an object',
    );
    expectError(
      () => verifyAccessToken(token, { keyring: undefined, apiKeySecret: OLD.apiKeySecret } as never),
      'ERR_INVALID_OPTION',
      'options.keyring',
      /a value, or no such key/,
    );
  });

  test('diagnose: the key’s secret checks the signature; unknown key, other account, key past retireAt', () => {
    const ok = diagnoseAccessToken(mintWith(OLD), { keyring, now });
    expect(ok.findings).toEqual([]);
    expect(ok.ok).toBe(true);
    const forged = diagnoseAccessToken(mintWith({ ...NEW, apiKeySecret: 'another-secret' }), { keyring, now });
    expect(forged.findings.map((f) => f.code)).toEqual(['INVALID_SIGNATURE']);
    const stranger = diagnoseAccessToken(mintWith({ ...OLD, apiKeySid: sid('SK', '9') }), { keyring, now });
    expect(stranger.findings).toEqual([
      {
        severity: 'error',
        code: 'UNKNOWN_KEY',
        twilioError: 20103,
        message:
          'The iss is a string of 34 characters starting with "SK"; expected a key of the keyring: the key was deleted or is of another keyring, so the signature cannot be checked',
        path: 'payload.iss',
      },
    ]);
    const other = diagnoseAccessToken(mintWith({ ...OLD, accountSid: sid('AC', 'b') }), { keyring, now });
    expect(other.findings.map((f) => [f.code, f.severity, f.twilioError, f.path])).toEqual([
      ['ACCOUNT_MISMATCH', 'error', 20103, 'payload.sub'],
    ]); // signed with OLD's secret, so the signature matches
    // OLD retires at SWITCH + 3600: a token signed by it then is an error (verify refuses it,
    // ERR_KEY_RETIRED; issue 26, third attack A1), and checked after retireAt also a warning.
    freezeClock((SWITCH + 3600) * 1000);
    const late = createAccessToken('alice', videoGrant(), { credentials: OLD, ttl: 600 });
    vi.useRealTimers();
    const retired = diagnoseAccessToken(late, { keyring, now: SWITCH + 3600 });
    expect(retired.ok).toBe(false);
    expect(retired.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['KEY_RETIRED', 'error', 'payload.exp'],
      ['KEY_PAST_RETIREMENT', 'warning', 'payload.iss'],
    ]);
    expect(retired.findings.slice(1)).toEqual([
      {
        severity: 'warning',
        code: 'KEY_PAST_RETIREMENT',
        message:
          "The iss is a key retired at 2026-01-01T02:00:00.000Z; expected the keyring's signing key: a server still signs with the old one (plain credentials, not the keyring?). Twilio accepts it until the key is deleted",
        path: 'payload.iss',
      },
    ]);
    expect(diagnoseAccessToken(late, { keyring, now: SWITCH + 3599 }).findings.map((f) => f.code)).toEqual([
      'KEY_RETIRED',
    ]);
  });

  test('diagnose options: not both, and a keyring must be one', () => {
    const token = mintWith(OLD);
    expectError(
      () => diagnoseAccessToken(token, { keyring, apiKeySecret: 'x' }),
      'ERR_INVALID_OPTION',
      'options.keyring',
      /exactly one of apiKeySecret and keyring, received both/,
    );
    expectError(
      () => diagnoseAccessToken(token, { keyring: 'secret-string' as never }),
      'ERR_INVALID_OPTION',
      'options.keyring',
      'Invalid options.keyring: expected a keyring from createKeyring, received a string of 13 characters',
    );
  });
});

describe("a ttl longer than the keyring's maxTtl is refused (retireAt counts on it)", () => {
  const message =
    "Invalid options.ttl: expected at most the keyring's maxTtl, 3600 (its retireAt counts on it), received 3601. Mint shorter tokens, or create the keyring with a larger maxTtl (at most 86400)";
  test.each<[string, () => unknown]>([
    ['createAccessToken', () => createAccessToken('alice', videoGrant(), { credentials: keyring, ttl: 3601 })],
    ['createTokenMinter', () => createTokenMinter({ credentials: keyring, ttl: 3601 })],
    [
      'a minter override',
      () => createTokenMinter({ credentials: keyring, ttl: 600 })('alice', videoGrant(), { ttl: 3601 }),
    ],
    [
      'a handler, when it is created',
      () => createFetchHandler({ identify: () => 'alice', grants: videoGrant(), credentials: keyring, ttl: 3601 }),
    ],
  ])('%s', (_, call) => {
    expectError(call, 'ERR_INVALID_OPTION', 'options.ttl', message);
  });

  test('a handler whose credentials function returns the keyring answers 500 for a longer ttl', async () => {
    const onError = vi.fn();
    const handler = createFetchHandler({
      identify: () => 'alice',
      grants: videoGrant(),
      credentials: () => keyring,
      ttl: 7200,
      onError,
    });
    const response = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
    expect(response.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: 'options.ttl' }),
      expect.anything(),
    );
  });
});

describe('TWILIO_API_KEYS in the environment signs when no credentials are given', () => {
  const env = (keys: string) => {
    vi.stubEnv('TWILIO_ACCOUNT_SID', ACCOUNT);
    vi.stubEnv('TWILIO_API_KEYS', keys);
    // The single-key variables hold the old key: TWILIO_API_KEYS wins, never silently ignored.
    vi.stubEnv('TWILIO_API_KEY_SID', OLD.apiKeySid);
    vi.stubEnv('TWILIO_API_KEY_SECRET', OLD.apiKeySecret);
  };
  const rotation = JSON.stringify([
    { sid: OLD.apiKeySid, secret: OLD.apiKeySecret },
    { sid: NEW.apiKeySid, secret: NEW.apiKeySecret, signFrom: SWITCH },
  ]);
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test('createAccessToken without credentials refuses TWILIO_API_KEYS, naming keyringFromEnv (never ignores it)', () => {
    env(rotation);
    expectError(
      () => createAccessToken('alice', videoGrant()),
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      /TWILIO_API_KEYS holds a keyring.*credentials: keyringFromEnv\(\)/,
    );
  });

  test('credentials: keyringFromEnv() picks the signing key of the environment keyring, before and after signFrom', () => {
    env(rotation);
    freezeClock();
    expect(issOf(createAccessToken('alice', videoGrant(), { credentials: keyringFromEnv() }))).toBe(OLD.apiKeySid);
    freezeClock(SWITCH * 1000);
    const token = createAccessToken('alice', videoGrant(), { credentials: keyringFromEnv(), ttl: 600 });
    expect(token).toBe(createAccessToken('alice', videoGrant(), { credentials: NEW, ttl: 600 }));
  });

  test('a handler without credentials switches keys at signFrom', async () => {
    env(rotation);
    const handler = createFetchHandler({ identify: () => 'alice', grants: videoGrant() });
    const issued = async () => {
      const response = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
      return issOf(((await response.json()) as { token: string }).token);
    };
    freezeClock();
    expect(await issued()).toBe(OLD.apiKeySid);
    freezeClock(SWITCH * 1000);
    expect(await issued()).toBe(NEW.apiKeySid);
  });

  test('a malformed TWILIO_API_KEYS is an error naming the variable, not a fallback to the single key', () => {
    env('[{"sid": "not json');
    expectError(
      () => createAccessToken('alice', videoGrant(), { credentials: keyringFromEnv() }),
      'ERR_INVALID_CREDENTIALS',
      'TWILIO_API_KEYS',
      /^Invalid TWILIO_API_KEYS/,
    );
  });
});
