import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import {
  AccessTokenError,
  createAccessToken,
  createKeyring,
  createTokenMinter,
  credentialsFromEnv,
  diagnoseAccessToken,
  isKeyring,
  type Keyring,
  keyringFromEnv,
  verifyAccessToken,
  videoGrant,
} from '../../../src/index.js';
import { envSigningSource } from '../../../src/token/keyring/env.js';
import { expectError, freezeClock, secretWindows, sid } from '../../helpers.js';
import { ACCOUNT, keyring, OLD, SWITCH } from './fixtures.js';

// A keyring is trusted only when this copy built it. Anything else that claims to be one (a bare
// brand, a brand on a polluted prototype, another copy's keyring that throws, lies or answers
// NaN) is not a keyring: another copy's is refused without being read. Every failure is an
// AccessTokenError, never a TypeError, and no secret appears in it.

const BRAND = Symbol.for('twilio-access-token.Keyring');

/** What another copy of the package hands over: a frozen object with the brand, its values and methods. */
function foreign(overrides: Record<string, unknown> = {}, base: Keyring = keyring): Keyring {
  return Object.freeze({
    [BRAND]: true,
    accountSid: base.accountSid,
    maxTtl: base.maxTtl,
    signing: base.signing,
    get: base.get,
    retireAt: base.retireAt,
    describe: base.describe,
    ...overrides,
  }) as unknown as Keyring;
}

/** Every public way in that takes a keyring; each resolves to a token, a report, or a throw. */
const uses: [string, (k: unknown) => unknown][] = [
  ['createAccessToken', (k) => createAccessToken('alice', videoGrant(), { credentials: k as Keyring })],
  ['createTokenMinter', (k) => createTokenMinter({ credentials: k as Keyring })('alice', videoGrant())],
  [
    'verifyAccessToken',
    (k) => verifyAccessToken(createAccessToken('alice', videoGrant(), { credentials: OLD }), { keyring: k as Keyring }),
  ],
  [
    'diagnoseAccessToken',
    (k) =>
      diagnoseAccessToken(createAccessToken('alice', videoGrant(), { credentials: OLD }), { keyring: k as Keyring }),
  ],
  [
    'createFetchHandler',
    (k) => createFetchHandler({ identify: () => 'alice', grants: videoGrant(), credentials: k as Keyring }),
  ],
];

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('isKeyring', () => {
  test('this copy’s keyrings only: another copy’s frozen keyring with its brand, values and methods is not one', () => {
    expect(isKeyring(keyring)).toBe(true);
    expect(isKeyring(foreign())).toBe(false);
  });

  test.each<[string, unknown]>([
    ['a bare brand', Object.freeze({ [BRAND]: true })],
    ['a brand that is not true', foreign({ [BRAND]: 1 })],
    ['a keyring that is not frozen', { ...foreign() }],
    ['the brand as a getter', Object.freeze(Object.defineProperty({ ...foreign() }, BRAND, { get: () => true }))],
    ['a method missing', foreign({ describe: undefined })],
    ['maxTtl not a number', foreign({ maxTtl: '3600' })],
    ['accountSid not a string', foreign({ accountSid: 7 })],
    ['a brand on the prototype', Object.freeze(Object.create({ [BRAND]: true, ...foreign() }))],
    [
      'a Proxy that throws',
      new Proxy(keyring, {
        getOwnPropertyDescriptor: () => {
          throw new Error('trap');
        },
      }),
    ],
  ])('refuses %s', (_, value) => {
    expect(isKeyring(value)).toBe(false);
  });
});

describe('a brand on a polluted Object.prototype', () => {
  test('plain credentials stay credentials, and a bare brand is refused as credentials', () => {
    freezeClock();
    const expected = createAccessToken('alice', videoGrant(), { credentials: OLD });
    const proto = Object.prototype as Record<PropertyKey, unknown>;
    proto[BRAND] = true;
    try {
      expect(isKeyring({ ...OLD })).toBe(false);
      expect(createAccessToken('alice', videoGrant(), { credentials: { ...OLD } })).toBe(expected);
      expect(createTokenMinter({ credentials: { ...OLD } })('alice', videoGrant())).toBe(expected);
      expect(verifyAccessToken(expected, { apiKeySecret: OLD.apiKeySecret }).iss).toBe(OLD.apiKeySid);
    } finally {
      delete proto[BRAND];
    }
  });
});

describe('something that is not a keyring, where a keyring is taken, is an AccessTokenError', () => {
  const notKeyrings: [string, unknown][] = [
    ['a bare brand', Object.freeze({ [BRAND]: true })],
    ['a brand with methods but no values', Object.freeze({ [BRAND]: true, signing: () => OLD, get: () => OLD })],
  ];
  for (const [use, run] of uses)
    test.each(notKeyrings)(`${use}: %s`, (_, value) => {
      let thrown: unknown;
      try {
        run(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AccessTokenError);
      expect((thrown as AccessTokenError).code).toMatch(/^ERR_INVALID_(CREDENTIALS|OPTION)$/);
    });
});

describe('another copy’s keyring is refused, never read', () => {
  const OTHER_COPY =
    /^Invalid keyring: a keyring from another copy of twilio-access-token .*createKeyring or keyringFromEnv/;
  // One copy per process: the handlers refuse another copy's keyring too, as minting does.
  test('every use refuses it with ERR_INVALID_CREDENTIALS, naming the fix (a handler at creation)', () => {
    for (const [, run] of uses) expectError(() => run(foreign()), 'ERR_INVALID_CREDENTIALS', 'keyring', OTHER_COPY);
  });

  const secret = 'qxzjkvwy23456789qxzjkvwy23456789';
  test('its methods and values are never called or shown, whatever they hold', () => {
    let calls = 0;
    const call = () => {
      calls++;
      throw new TypeError(secret);
    };
    const hostile = foreign({ describe: call, get: call, signing: call, retireAt: call, accountSid: `AC${secret}` });
    for (const [, run] of uses) {
      let thrown: unknown;
      try {
        run(hostile);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as AccessTokenError).code).toBe('ERR_INVALID_CREDENTIALS');
      const text = `${(thrown as Error).message} ${(thrown as Error).stack} ${JSON.stringify(thrown)}`;
      for (const window of secretWindows(secret)) expect(text).not.toContain(window);
    }
    expect(calls).toBe(0);
  });

  test('property: whatever its methods do, every use ends in a result or an AccessTokenError', () => {
    const anything = fc.oneof(
      fc.anything(),
      fc.constant('throw'),
      fc.constant(keyring.describe()),
      fc.constant(OLD),
      fc.constant({ ...OLD, accountSid: 5 }),
      fc.constant([{ apiKeySid: OLD.apiKeySid, signFrom: new Date(Number.NaN) }]),
    );
    const method = (value: unknown) => () => {
      if (value === 'throw') throw new RangeError('hostile');
      return value;
    };
    fc.assert(
      fc.property(anything, anything, anything, fc.oneof(fc.double(), fc.integer()), (d, g, r, maxTtl) => {
        const hostile = foreign({ describe: method(d), get: method(g), retireAt: method(r), maxTtl });
        for (const [, run] of uses) {
          try {
            run(hostile);
          } catch (error) {
            expect(error).toBeInstanceOf(AccessTokenError);
          }
        }
      }),
    );
  });
});

describe('signFrom: a date or time that does not exist is refused, not rolled over', () => {
  const key = (signFrom: unknown) => () =>
    createKeyring({
      accountSid: ACCOUNT,
      keys: [{ apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret, signFrom: signFrom as string }],
    });
  test.each([
    '2026-02-31',
    '2026-02-29',
    '2026-04-31T00:00:00Z',
    '2026-13-01',
    '2026-00-10',
    '2026-12-00',
    '2026-12-01T24:00Z',
    '2026-12-01T23:60Z',
    '2026-12-01T23:59:60Z',
    '2026-12-01T00:00+24:00',
    '2026-12-01T00:00+05:60',
    '0000-01-01',
    '1969-12-31T23:59:59Z',
  ])('%s', (value) => {
    expectError(
      key(value),
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /^Invalid keyring\.keys\[0\]\.signFrom: expected an ISO 8601 time/,
    );
  });

  test('a Date before 1970 too', () => {
    expectError(key(new Date(-1000)), 'ERR_INVALID_OPTION', 'keyring.keys[0].signFrom', /expected a Date from 1970 on/);
  });

  test.each(['2028-02-29', '2026-12-01T23:59:59+05:30', '2026-12-31T23:59Z', '1970-01-01T00:00:00Z'])(
    '%s is read as Date.parse reads it',
    (value) => {
      expect(key(value)().describe()[0]?.signFrom?.getTime()).toBe(Date.parse(value));
    },
  );

  test('property: a calendar date and time is accepted exactly when it exists', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        (year, month, day, hour, minute) => {
          const value = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}Z`;
          const d = new Date(Date.UTC(year, month - 1, day, hour, minute));
          const exists =
            d.getUTCFullYear() === year &&
            d.getUTCMonth() === month - 1 &&
            d.getUTCDate() === day &&
            d.getUTCHours() === hour &&
            d.getUTCMinutes() === minute;
          if (exists) expect(key(value)().describe()[0]?.signFrom?.getTime()).toBe(d.getTime());
          else expect(key(value)).toThrow(AccessTokenError);
        },
      ),
    );
  });
});

describe('now: the message names what now takes (seconds or a Date, not ISO strings)', () => {
  test.each<[string, (now: never) => unknown]>([
    ['describe', (now) => keyring.describe(now)],
    ['signing', (now) => keyring.signing(now)],
  ])('%s', (_, call) => {
    for (const now of ['2026-12-01T00:00:00Z', -1, Number.NaN, {}])
      expectError(
        () => call(now as never),
        'ERR_INVALID_OPTION',
        'now',
        /^Invalid now: expected epoch seconds or a Date, received/,
      );
    expectError(() => call(Date.now() as never), 'ERR_INVALID_OPTION', 'now', /epoch seconds, not milliseconds/);
  });
});

// The handlers' default source (envSigningSource) caches the environment keyring.
describe('TWILIO_API_KEYS is read again when an Auth Token variable changes', () => {
  test('a key secret equal to TWILIO_AUTH_TOKEN or AUTH_TOKEN set later is refused, not served from a cache', () => {
    for (const name of ['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN']) {
      vi.unstubAllEnvs();
      for (const n of [
        'TWILIO_API_KEY_SID',
        'TWILIO_API_KEY_SECRET',
        'API_KEY',
        'API_SECRET',
        'TWILIO_AUTH_TOKEN',
        'AUTH_TOKEN',
      ])
        vi.stubEnv(n, '');
      vi.stubEnv('TWILIO_ACCOUNT_SID', ACCOUNT);
      vi.stubEnv('TWILIO_API_KEYS', JSON.stringify([{ sid: OLD.apiKeySid, secret: OLD.apiKeySecret }]));
      freezeClock();
      expect(createAccessToken('alice', videoGrant(), { credentials: envSigningSource() })).toBe(
        createAccessToken('alice', videoGrant(), { credentials: OLD }),
      );
      vi.stubEnv(name, OLD.apiKeySecret);
      expectError(
        () => createAccessToken('alice', videoGrant(), { credentials: envSigningSource() }),
        'ERR_INVALID_CREDENTIALS',
        'credentials.apiKeySecret',
        new RegExp(name),
      );
      vi.stubEnv(name, '');
      expect(createAccessToken('alice', videoGrant(), { credentials: envSigningSource() })).toBe(
        createAccessToken('alice', videoGrant(), { credentials: OLD }),
      );
    }
  });
});

describe('an outside attack on the keyring (each test a confirmed break, now refused)', () => {
  const proto = Object.prototype as Record<string, unknown>;
  const pollute = (values: Record<string, unknown>, run: () => void) => {
    Object.assign(proto, values);
    try {
      run();
    } finally {
      for (const key of Object.keys(values)) delete proto[key];
    }
  };

  test('a TWILIO_API_KEYS (or any variable) on a polluted Object.prototype is not read', () => {
    const attacker = { sid: sid('SK', 'e'), secret: 'attacker-secret-qxzj23456789' };
    vi.stubEnv('TWILIO_ACCOUNT_SID', ACCOUNT);
    vi.stubEnv('TWILIO_API_KEY_SID', OLD.apiKeySid);
    vi.stubEnv('TWILIO_API_KEY_SECRET', OLD.apiKeySecret);
    freezeClock();
    const expected = createAccessToken('alice', videoGrant(), { credentials: OLD });
    pollute({ TWILIO_API_KEYS: JSON.stringify([attacker]), API_SECRET: 'polluted' }, () => {
      expect(createAccessToken('alice', videoGrant())).toBe(expected);
      expect(
        keyringFromEnv()
          .describe()
          .map((d) => d.apiKeySid),
      ).toEqual([OLD.apiKeySid]);
      const forged = createAccessToken('alice', videoGrant(), {
        credentials: { accountSid: ACCOUNT, apiKeySid: attacker.sid, apiKeySecret: attacker.secret },
      });
      expectError(
        () => verifyAccessToken(forged, { keyring: keyringFromEnv() }),
        'ERR_UNKNOWN_KEY',
        'payload.iss',
        /not hold/,
      );
      // A variable that is unset is not supplied by the prototype either.
      expectError(
        () => credentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY_SID: OLD.apiKeySid }),
        'ERR_MISSING_CREDENTIALS',
        'credentials',
        /apiKeySecret/,
      );
    });
  });

  test('a Proxy keyring whose traps throw or answer differently is one AccessTokenError, read once', () => {
    let reads = 0;
    const target = foreign();
    const changing = new Proxy(target, {
      get: (t, key, receiver) => {
        reads++;
        return key === 'maxTtl' ? reads : Reflect.get(t, key, receiver);
      },
    });
    const throwing = new Proxy(target, {
      get: () => {
        throw new RangeError('trap');
      },
    });
    for (const [, run] of uses) {
      for (const hostile of [changing, throwing]) {
        try {
          run(hostile);
        } catch (error) {
          expect(error).toBeInstanceOf(AccessTokenError);
        }
      }
    }
    // Its brand is an own property descriptor, read without the get trap: refused as another copy's.
    expectError(
      () => createAccessToken('alice', videoGrant(), { credentials: changing }),
      'ERR_INVALID_CREDENTIALS',
      'keyring',
      /another copy/,
    );
  });

  test('property: a keyring rebuilt from describe() and get() has exactly its schedule; another copy’s is refused', () => {
    const time = fc.oneof(
      fc.integer({ min: 0, max: 4e9 }),
      fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms)),
      fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString()),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.option(time, { nil: undefined }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 86400 }),
        (times, maxTtl) => {
          let original: Keyring;
          try {
            original = createKeyring({
              accountSid: ACCOUNT,
              maxTtl,
              keys: times.map((signFrom, i) => ({
                apiKeySid: sid('SK', String(i)),
                apiKeySecret: `secret-number-${i}`,
                signFrom,
              })),
            });
          } catch {
            return; // two keys with one signFrom
          }
          const rebuilt = createKeyring({
            accountSid: ACCOUNT,
            maxTtl,
            keys: original.describe().map((d) => ({
              apiKeySid: d.apiKeySid,
              apiKeySecret: original.get(d.apiKeySid)?.apiKeySecret as string,
              ...(d.signFrom === undefined ? {} : { signFrom: d.signFrom }),
            })),
          });
          for (const now of [0, 2e9, 4e9]) expect(rebuilt.describe(now)).toEqual(original.describe(now));
          expectError(
            () => createAccessToken('alice', videoGrant(), { credentials: foreign({}, original), ttl: 1 }),
            'ERR_INVALID_CREDENTIALS',
            'keyring',
            /another copy/,
          );
        },
      ),
    );
  });

  test('a signFrom in fractions of a second, or a Date past the year 5138, is refused', () => {
    const key = (signFrom: unknown) => () =>
      createKeyring({
        accountSid: ACCOUNT,
        keys: [{ apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret, signFrom: signFrom as number }],
      });
    expectError(key(1_700_000_000.0001), 'ERR_INVALID_OPTION', 'keyring.keys[0].signFrom', /whole epoch seconds/);
    expectError(key(new Date(8.64e15)), 'ERR_INVALID_OPTION', 'keyring.keys[0].signFrom', /before the year 5138/);
  });

  test('one clock read per token: an old key never signs a token that outlives its retireAt', () => {
    // A clock that moves on 1.1 s at each read: the key and iat must come from the same read.
    let ms = (SWITCH - 1) * 1000;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => {
      ms += 1100;
      return ms - 1100;
    });
    try {
      const retireAt = (keyring.retireAt(OLD.apiKeySid) as Date).getTime() / 1000;
      for (const mint of [
        () => createAccessToken('alice', videoGrant(), { credentials: keyring, ttl: 3600 }),
        () => createTokenMinter({ credentials: keyring, ttl: 3600 })('alice', videoGrant()),
      ]) {
        ms = (SWITCH - 1) * 1000;
        const payload = JSON.parse(Buffer.from(mint().split('.')[1] as string, 'base64url').toString());
        if (payload.iss === OLD.apiKeySid) expect(payload.exp).toBeLessThanOrEqual(retireAt);
        else expect(payload.iat).toBeGreaterThanOrEqual(SWITCH);
      }
    } finally {
      spy.mockRestore();
    }
  });

  test('101 keys, or a describe() that answers a huge array, is refused without reading them all', () => {
    const keys = Array.from({ length: 101 }, (_, i) => ({
      apiKeySid: `SK${i.toString(16).padStart(32, '0')}`,
      apiKeySecret: `secret-${i}-qxzj`,
    }));
    expectError(
      () => createKeyring({ accountSid: ACCOUNT, keys }),
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys',
      /1 to 100 keys, received an array of 101 keys/,
    );
    let reads = 0;
    const huge = new Proxy([], {
      get: (t, key) => {
        if (key === 'length') return 1e9;
        reads++;
        return Reflect.get(t, key);
      },
    });
    // Another copy's keyring is refused before anything is read from it.
    expectError(
      () => createAccessToken('alice', videoGrant(), { credentials: foreign({ describe: () => huge }) }),
      'ERR_INVALID_CREDENTIALS',
      'keyring',
      /another copy/,
    );
    expect(reads).toBe(0);
  });

  test('a signFrom on a polluted Object.prototype does not change a keyring’s schedule', () => {
    freezeClock();
    const expected = createAccessToken('alice', videoGrant(), { credentials: OLD });
    pollute({ signFrom: '2099-01-01T00:00:00Z' }, () => {
      const built = createKeyring({
        accountSid: ACCOUNT,
        keys: [{ apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret }],
      });
      expect(createAccessToken('alice', videoGrant(), { credentials: built })).toBe(expected);
    });
  });
});
