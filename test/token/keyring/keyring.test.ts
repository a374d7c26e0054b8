import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createKeyring, isKeyring, type KeyringOptions, keyringFromEnv } from '../../../src/index.js';
import { arbSecret, expectError, secretWindows, sid } from '../../helpers.js';

// The keyring: validation (codes and paths), the schedule on a fake clock, keyringFromEnv, and the
// secret property: no 6-character window of any secret in anything the keyring shows.

const ACCOUNT = sid('AC', 'a');
const OLD = sid('SK', '1');
const NEW = sid('SK', '2');
const NEWER = sid('SK', '3');
const T1 = Date.UTC(2026, 11, 1) / 1000; // 2026-12-01T00:00:00Z
const T2 = Date.UTC(2027, 0, 1) / 1000;

const rotation = (extra: Partial<KeyringOptions> = {}): KeyringOptions => ({
  accountSid: ACCOUNT,
  keys: [
    { apiKeySid: OLD, apiKeySecret: 'old-secret-qxzj2345' },
    { apiKeySid: NEW, apiKeySecret: 'new-secret-qxzj6789', signFrom: '2026-12-01T00:00:00Z' },
  ],
  ...extra,
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('createKeyring refuses bad options, with the code and the path', () => {
  const key = (over: Record<string, unknown> = {}) => ({ apiKeySid: OLD, apiKeySecret: 'secret-one', ...over });
  test.each<[string, unknown, string, string | undefined, RegExp]>([
    ['no options', undefined, 'ERR_INVALID_OPTION', 'keyring', /expected an options object, received undefined/],
    [
      'a string',
      'AC',
      'ERR_INVALID_OPTION',
      'keyring',
      /expected an options object \(a plain object literal\), received a string of 2/,
    ],
    [
      'no keys',
      { accountSid: ACCOUNT, keys: [] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys',
      /an array of 1 to 100 keys, received an array \(length 0\)/,
    ],
    [
      'keys not an array',
      { accountSid: ACCOUNT, keys: key() },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys',
      /received an object/,
    ],
    ['keys missing', { accountSid: ACCOUNT }, 'ERR_INVALID_CREDENTIALS', 'keyring.keys', /received undefined/],
    [
      'account not AC',
      { accountSid: OLD, keys: [key()] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.accountSid',
      /an Account SID .* starting with "SK"/,
    ],
    [
      'key SID an AC',
      { accountSid: ACCOUNT, keys: [key(), key({ apiKeySid: ACCOUNT })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[1].apiKeySid',
      /That is an Account SID/,
    ],
    [
      'key SID malformed',
      { accountSid: ACCOUNT, keys: [key({ apiKeySid: 'SK123' })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0].apiKeySid',
      /an API Key SID/,
    ],
    [
      'same SID twice',
      { accountSid: ACCOUNT, keys: [key(), key({ signFrom: T1 })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[1].apiKeySid',
      /the same API Key SID as keyring\.keys\[0\]/,
    ],
    [
      'secret with a newline',
      { accountSid: ACCOUNT, keys: [key({ apiKeySecret: 'secret-one\n' })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0].apiKeySecret',
      /without leading or trailing whitespace, received a string of 11 characters/,
    ],
    [
      'secret empty',
      { accountSid: ACCOUNT, keys: [key({ apiKeySecret: '' })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0].apiKeySecret',
      /non-empty string/,
    ],
    [
      'two keys from the start',
      { accountSid: ACCOUNT, keys: [key(), key({ apiKeySid: NEW })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[1].signFrom',
      /the same signFrom as keyring\.keys\[0\]/,
    ],
    [
      'two keys, one signFrom',
      { accountSid: ACCOUNT, keys: [key({ signFrom: T1 }), key({ apiKeySid: NEW, signFrom: new Date(T1 * 1000) })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[1].signFrom',
      /the same signFrom/,
    ],
    [
      'signFrom in ms',
      { accountSid: ACCOUNT, keys: [key({ signFrom: T1 * 1000 })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /epoch seconds, not milliseconds/,
    ],
    [
      'signFrom not ISO',
      { accountSid: ACCOUNT, keys: [key({ signFrom: 'Dec 1 2026' })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /ISO 8601 .* received a string of 10 characters/,
    ],
    [
      'signFrom without a zone',
      { accountSid: ACCOUNT, keys: [key({ signFrom: '2026-12-01T00:00' })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /ISO 8601/,
    ],
    [
      'signFrom NaN',
      { accountSid: ACCOUNT, keys: [key({ signFrom: Number.NaN })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /received NaN/,
    ],
    [
      'signFrom invalid Date',
      { accountSid: ACCOUNT, keys: [key({ signFrom: new Date('x') })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /a valid Date, received an invalid Date/,
    ],
    [
      'signFrom undefined (an optional field: ERR_INVALID_OPTION, as every signFrom error)',
      { accountSid: ACCOUNT, keys: [key({ signFrom: undefined })] },
      'ERR_INVALID_OPTION',
      'keyring.keys[0].signFrom',
      /a value, or no such key/,
    ],
    [
      'maxTtl undefined',
      { accountSid: ACCOUNT, keys: [key()], maxTtl: undefined },
      'ERR_INVALID_OPTION',
      'keyring.maxTtl',
      /a value, or no such key/,
    ],
    [
      'maxTtl too long',
      { accountSid: ACCOUNT, keys: [key()], maxTtl: 86401 },
      'ERR_INVALID_OPTION',
      'keyring.maxTtl',
      /86401/,
    ],
    [
      'unknown option',
      { accountSid: ACCOUNT, keys: [key()], maxTTL: 60 },
      'ERR_INVALID_OPTION',
      'keyring.maxTTL',
      /unknown option "maxTTL" \(did you mean "maxTtl"\?\)/,
    ],
    [
      'unknown key field',
      { accountSid: ACCOUNT, keys: [key({ secret: 'x' })] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0]',
      /unknown option \(a key of 6 characters\)/,
    ],
    [
      '__proto__ key field',
      { accountSid: ACCOUNT, keys: [JSON.parse(`{"apiKeySid":"${OLD}","apiKeySecret":"s1","__proto__":{}}`)] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0]',
      /unknown option/,
    ],
    [
      'a key not an object',
      { accountSid: ACCOUNT, keys: ['secret-string'] },
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0]',
      /expected an options object \(a plain object literal\), received a string of 13 characters/,
    ],
  ])('%s', (_name, options, code, path, message) => {
    expectError(() => createKeyring(options as KeyringOptions), code as never, path, message);
  });

  test('hostile keys arrays: a Proxy whose traps throw, a hole', () => {
    const trap = new Proxy([], {
      get: () => {
        throw new Error('trap');
      },
    });
    expectError(
      () => createKeyring({ accountSid: ACCOUNT, keys: trap }),
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys',
      /an array of 1 to 100 keys/,
    );
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point
    const holes = [, { apiKeySid: OLD, apiKeySecret: 's1' }] as unknown as KeyringOptions['keys'];
    expectError(
      () => createKeyring({ accountSid: ACCOUNT, keys: holes }),
      'ERR_INVALID_CREDENTIALS',
      'keyring.keys[0]',
      'Invalid keyring.keys[0]: expected a key object, received undefined',
    );
  });

  test('an accessor key is read once', () => {
    let reads = 0;
    const k = {
      apiKeySid: OLD,
      get apiKeySecret() {
        reads++;
        return reads === 1 ? 'secret-one' : ' bad ';
      },
    };
    const keyring = createKeyring({ accountSid: ACCOUNT, keys: [k] });
    expect(keyring.signing().apiKeySecret).toBe('secret-one');
    expect(reads).toBe(1);
  });
});

describe('the schedule', () => {
  test('signing before and after signFrom, on a fake clock, without re-creating the keyring', () => {
    vi.useFakeTimers();
    const keyring = createKeyring(rotation());
    vi.setSystemTime((T1 - 1) * 1000);
    expect(keyring.signing().apiKeySid).toBe(OLD);
    expect(keyring.describe().map((d) => d.role)).toEqual(['signing', 'pending']);
    vi.setSystemTime(T1 * 1000);
    expect(keyring.signing().apiKeySid).toBe(NEW);
    expect(keyring.describe().map((d) => d.role)).toEqual(['verifying', 'signing']);
  });

  test('an explicit now: seconds, a Date; ms refused', () => {
    const keyring = createKeyring(rotation());
    expect(keyring.signing(T1 - 0.5).apiKeySid).toBe(OLD);
    expect(keyring.signing(new Date(T1 * 1000)).apiKeySid).toBe(NEW);
    expectError(() => keyring.signing(T1 * 1000), 'ERR_INVALID_OPTION', 'now', /epoch seconds, not milliseconds/);
  });

  test('retireAt is the successor’s signFrom plus maxTtl, across two rotations', () => {
    const keyring = createKeyring({
      accountSid: ACCOUNT,
      maxTtl: 3600,
      keys: [
        { apiKeySid: NEWER, apiKeySecret: 's3', signFrom: T2 },
        { apiKeySid: OLD, apiKeySecret: 's1' },
        { apiKeySid: NEW, apiKeySecret: 's2', signFrom: new Date(T1 * 1000) },
      ],
    });
    expect(keyring.retireAt(OLD)).toEqual(new Date((T1 + 3600) * 1000));
    expect(keyring.retireAt(NEW)).toEqual(new Date((T2 + 3600) * 1000));
    expect(keyring.retireAt(NEWER)).toBeUndefined();
    expect(keyring.retireAt(sid('SK', '9'))).toBeUndefined();
    expect(keyring.describe(T1 + 10)).toEqual([
      { apiKeySid: OLD, role: 'verifying', retireAt: new Date((T1 + 3600) * 1000) },
      { apiKeySid: NEW, role: 'signing', signFrom: new Date(T1 * 1000), retireAt: new Date((T2 + 3600) * 1000) },
      { apiKeySid: NEWER, role: 'pending', signFrom: new Date(T2 * 1000) },
    ]);
    expect(createKeyring(rotation()).retireAt(OLD)).toEqual(new Date((T1 + 86400) * 1000));
  });

  test('every key pending: signing fails, naming the earliest signFrom', () => {
    const keyring = createKeyring({
      accountSid: ACCOUNT,
      keys: [{ apiKeySid: NEW, apiKeySecret: 's2', signFrom: T1 }],
    });
    expectError(
      () => keyring.signing(T1 - 1),
      'ERR_INVALID_CREDENTIALS',
      'keyring',
      /no key signs yet; the earliest signFrom is 2026-12-01T00:00:00\.000Z/,
    );
    expect(keyring.describe(T1 - 1)).toEqual([{ apiKeySid: NEW, role: 'pending', signFrom: new Date(T1 * 1000) }]);
  });

  test('get returns the key’s credentials; unknown and prototype names are undefined', () => {
    const keyring = createKeyring(rotation());
    expect(keyring.get(NEW)).toEqual({ accountSid: ACCOUNT, apiKeySid: NEW, apiKeySecret: 'new-secret-qxzj6789' });
    for (const name of ['constructor', '__proto__', 'toString', sid('SK', '9')])
      expect(keyring.get(name)).toBeUndefined();
  });

  test('isKeyring: this copy’s keyrings only (another copy’s is refused where used); frozen', () => {
    const keyring = createKeyring(rotation());
    expect(isKeyring(keyring)).toBe(true);
    expect(Object.isFrozen(keyring)).toBe(true);
    // The brand alone is not a keyring, nor is another copy's keyring (test/token/keyring/attacks.test.ts).
    const brandOnly = Object.freeze({ [Symbol.for('twilio-access-token.Keyring')]: true });
    expect(isKeyring(brandOnly)).toBe(false);
    expect(isKeyring({ ...keyring })).toBe(false);
    expect(isKeyring(null)).toBe(false);
    expect(
      isKeyring(
        new Proxy(
          {},
          {
            get: () => {
              throw new Error('trap');
            },
          },
        ),
      ),
    ).toBe(false);
  });
});

describe('keyringFromEnv', () => {
  const env = (keys: unknown) => ({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: JSON.stringify(keys) });

  test('TWILIO_API_KEYS: a JSON array of { sid, secret, signFrom? }', () => {
    const keyring = keyringFromEnv(
      env([
        { sid: OLD, secret: 's1' },
        { sid: NEW, secret: 's2', signFrom: '2026-12-01T00:00:00Z' },
      ]),
    );
    expect(keyring.accountSid).toBe(ACCOUNT);
    expect(keyring.signing(T1).apiKeySid).toBe(NEW);
    expect(keyring.signing(T1 - 1).apiKeySid).toBe(OLD);
  });

  test('without it, the single-key variables make a one-key keyring', () => {
    const keyring = keyringFromEnv({
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_API_KEY_SID: OLD,
      TWILIO_API_KEY_SECRET: 's1',
    });
    expect(keyring.describe()).toEqual([{ apiKeySid: OLD, role: 'signing' }]);
  });

  test('malformed JSON names the variable, never the value', () => {
    const value = '[{"sid":"SK1","secret":"qxzjkv2345678"';
    expectError(
      () => keyringFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: value }),
      'ERR_INVALID_CREDENTIALS',
      'TWILIO_API_KEYS',
      `Invalid TWILIO_API_KEYS: expected a JSON array of {"sid", "secret", "signFrom"?}, received a string of ${value.length} characters that is not valid JSON`,
    );
  });

  test.each<[string, Record<string, string>, string, string | undefined, RegExp]>([
    [
      'no account',
      { TWILIO_API_KEYS: '[]' },
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      /TWILIO_API_KEYS is set; set the account too/,
    ],
    ['not an array', env({ sid: OLD }), 'ERR_INVALID_CREDENTIALS', 'TWILIO_API_KEYS', /an array of 1 to 100 keys/],
    ['empty array', env([]), 'ERR_INVALID_CREDENTIALS', 'TWILIO_API_KEYS', /an array of 1 to 100 keys/],
    [
      'bad sid',
      env([{ sid: 'x', secret: 's' }]),
      'ERR_INVALID_CREDENTIALS',
      'TWILIO_API_KEYS[0].sid',
      /an API Key SID/,
    ],
    [
      'unknown field',
      env([{ sid: OLD, apiKeySecret: 's' }]),
      'ERR_INVALID_CREDENTIALS',
      'TWILIO_API_KEYS[0]',
      /unknown option/,
    ],
    [
      'secret is the Auth Token',
      { ...env([{ sid: OLD, secret: 'tok-qxzj2345' }]), TWILIO_AUTH_TOKEN: 'tok-qxzj2345' },
      'ERR_INVALID_CREDENTIALS',
      undefined,
      /Auth Token/,
    ],
  ])('%s', (_name, e, code, path, message) => {
    let thrown: unknown;
    try {
      keyringFromEnv(e);
    } catch (error) {
      thrown = error;
    }
    const error = thrown as { code: string; path?: string; message: string };
    expect(error.code).toBe(code);
    if (path !== undefined) expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('tok-qxzj');
  });
});

describe('a keyring never shows a secret', () => {
  const shown = (keyring: ReturnType<typeof createKeyring>) =>
    [
      JSON.stringify(keyring),
      JSON.stringify(keyring.describe()),
      inspect(keyring, { depth: 10, showHidden: true }),
      String(keyring),
      Object.keys(keyring).join(),
    ].join('\n');

  test('describe(), JSON.stringify, util.inspect: no 6-character window of any secret', () => {
    fc.assert(
      fc.property(arbSecret(32, 40), arbSecret(32, 40), (a, b) => {
        fc.pre(a !== b);
        const keyring = createKeyring({
          accountSid: ACCOUNT,
          keys: [
            { apiKeySid: OLD, apiKeySecret: a },
            { apiKeySid: NEW, apiKeySecret: b, signFrom: T1 },
          ],
        });
        const out = shown(keyring);
        for (const w of [...secretWindows(a), ...secretWindows(b)]) expect(out).not.toContain(w);
        expect(JSON.parse(JSON.stringify(keyring))).toEqual(JSON.parse(JSON.stringify(keyring.describe())));
      }),
    );
  });

  test('errors: a secret in every position of the options', () => {
    fc.assert(
      fc.property(arbSecret(32, 40), fc.integer({ min: 0, max: 9 }), (secret, position) => {
        const good = { apiKeySid: OLD, apiKeySecret: 'fine-secret' };
        const variants: unknown[] = [
          { accountSid: secret, keys: [good] },
          { accountSid: ACCOUNT, keys: [{ ...good, apiKeySid: secret }] },
          { accountSid: ACCOUNT, keys: [{ ...good, apiKeySecret: `${secret}\n` }] },
          { accountSid: ACCOUNT, keys: [{ ...good, signFrom: secret }] },
          { accountSid: ACCOUNT, keys: [{ ...good, [secret]: 1 }] },
          { accountSid: ACCOUNT, keys: [good], [secret]: 1 },
          { accountSid: ACCOUNT, keys: secret },
          { accountSid: ACCOUNT, keys: [secret] },
          { accountSid: ACCOUNT, keys: [good, { ...good, apiKeySecret: secret }] },
          { accountSid: ACCOUNT, keys: [good], maxTtl: secret },
        ];
        let thrown: { message: string; path?: string; stack?: string } | undefined;
        try {
          createKeyring(variants[position] as KeyringOptions);
        } catch (error) {
          thrown = error as typeof thrown;
        }
        expect(thrown).toBeDefined();
        const out = `${thrown?.message}\n${thrown?.path}\n${thrown?.stack}\n${JSON.stringify(thrown)}\n${inspect(thrown)}`;
        for (const w of secretWindows(secret)) expect(out).not.toContain(w);
      }),
    );
  });

  test('keyringFromEnv errors: a secret in every position of TWILIO_API_KEYS', () => {
    fc.assert(
      fc.property(arbSecret(32, 40), fc.integer({ min: 0, max: 4 }), (secret, position) => {
        const values = [
          secret,
          JSON.stringify([{ sid: secret, secret: 'x' }]),
          JSON.stringify([{ sid: OLD, secret: ` ${secret}` }]),
          JSON.stringify([{ sid: OLD, secret: 'x', [secret]: 1 }]),
          `[{"sid":"${OLD}","secret":"${secret}"`,
        ];
        let message = '';
        try {
          keyringFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: values[position] as string });
        } catch (error) {
          message = `${(error as Error).message} ${(error as { path?: string }).path} ${(error as Error).stack}`;
        }
        expect(message).not.toBe('');
        for (const w of secretWindows(secret)) expect(message).not.toContain(w);
      }),
    );
  });
});
