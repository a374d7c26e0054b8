import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type AccessTokenOptions,
  chatGrant,
  createAccessToken,
  createTokenMinter,
  credentialsFromEnv,
  type DiagnoseOptions,
  decodeAccessToken,
  diagnoseAccessToken,
  type EnvironmentVariables,
  type Grant,
  isAccessTokenError,
  type Keyring,
  playbackGrant,
  syncGrant,
  type TokenMinterOptions,
  type TokenMinterOverrides,
  taskRouterGrant,
  type VerifyOptions,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { credentials, sid } from '../helpers.js';

describe('unknown option keys (every options object)', () => {
  const minter = createTokenMinter({ credentials });
  const token = createAccessToken('a', videoGrant(), { credentials });
  // Each options object of the core, by name: its known keys and how to call it with `options`.
  const objects: [string, readonly string[], string, (options: object) => unknown][] = [
    [
      'createAccessToken options',
      ['credentials', 'ttl', 'nbf', 'region', 'algorithm', 'dangerouslyAllowBrowser'],
      'options',
      (o) => createAccessToken('a', videoGrant(), { credentials, ...o }),
    ],
    [
      'createTokenMinter options',
      ['credentials', 'ttl', 'nbf', 'region', 'algorithm', 'dangerouslyAllowBrowser'],
      'options',
      (o) => createTokenMinter({ credentials, ...o }),
    ],
    ['minter overrides', ['ttl', 'nbf'], 'options', (o) => minter('a', videoGrant(), o)],
    [
      'verify options',
      ['apiKeySecret', 'keyring', 'now', 'clockTolerance', 'dangerouslyAllowBrowser'],
      'options',
      (o) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, ...o }),
    ],
    [
      'credentials',
      ['accountSid', 'apiKeySid', 'apiKeySecret'],
      'credentials',
      (o) => createAccessToken('a', videoGrant(), { credentials: { ...credentials, ...o } }),
    ],
  ];
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as { code: string; path?: string; message: string };
    }
    throw new Error('expected a throw');
  };

  test.each(objects)(
    '%s: a key is named only when short and close to a known one (property)',
    (_n, known, path, call) => {
      const nearKey = fc
        .tuple(fc.constantFrom(...known), fc.string({ maxLength: 3 }))
        .map(([k, suffix]) => k + suffix)
        .filter((k) => !known.includes(k));
      fc.assert(
        fc.property(fc.oneof(nearKey, fc.string({ minLength: 1, maxLength: 40 })), (key) => {
          fc.pre(!known.includes(key));
          const e = thrown(() => call({ [key]: 1 }));
          expect(e.code).toMatch(/^ERR_INVALID_(OPTION|CREDENTIALS)$/);
          const lower = key.toLowerCase();
          const near =
            key.length <= 24 &&
            known.some((k) => lower.startsWith(k.toLowerCase()) || distance(lower, k.toLowerCase()) <= 3);
          if (near) {
            expect(e.message).toContain(`unknown option ${JSON.stringify(key)} (did you mean "`);
          } else {
            expect(e.path).toBe(path);
            expect(e.message).toBe(
              `Invalid ${path}: unknown option (a key of ${key.length} characters); known options: ${known.join(', ')}`,
            );
          }
        }),
      );
    },
  );

  test('the suggestion is the key meant', () => {
    expect(thrown(() => createAccessToken('a', videoGrant(), { credentials, ttL: 5 } as never)).message).toBe(
      'Invalid options.ttL: unknown option "ttL" (did you mean "ttl"?); known options: credentials, ttl, nbf, region, algorithm, dangerouslyAllowBrowser',
    );
    expect(thrown(() => createAccessToken('a', videoGrant(), { credentials, regionName: 'us1' } as never)).path).toBe(
      'options.regionName',
    );
    expect(thrown(() => verifyAccessToken(token, { apiKeySecret: 'x', clockSkew: 5 } as never)).path).toBe('options');
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'a prototype-named own key %s is unknown, never a crash or pollution',
    (key) => {
      for (const [, , path, call] of objects) {
        const options = JSON.parse(`{"${key}":{"ttl":0}}`) as object;
        const e = thrown(() => call(options));
        expect(e.path).toBe(path);
        expect(e.message).toMatch(/unknown option \(a key of \d+ characters\)/);
      }
      expect(({} as { ttl?: unknown }).ttl).toBeUndefined();
    },
  );

  test('a symbol key is unknown; a polluted Object.prototype supplies nothing', () => {
    for (const [, , path, call] of objects) {
      const e = thrown(() => call({ [Symbol('ttl')]: 5 }));
      expect(e.path).toBe(path);
      expect(e.message).toContain('unknown option (a symbol key)');
    }
    const proto = Object.prototype as Record<string, unknown>;
    proto.ttl = 0;
    proto.apiKeySecret = 'polluted';
    try {
      expect(() => createAccessToken('a', videoGrant(), { credentials })).not.toThrow();
    } finally {
      delete proto.ttl;
      delete proto.apiKeySecret;
    }
  });

  test('an accessor is read once: it cannot pass the check with one value and sign with another', () => {
    let reads = 0;
    const options = {
      credentials,
      get ttl() {
        reads++;
        return reads === 1 ? 60 : 999_999;
      },
    };
    const minted = createAccessToken('a', videoGrant(), options);
    expect(reads).toBe(1);
    const { exp, iat } = JSON.parse(Buffer.from(minted.split('.')[1] as string, 'base64url').toString());
    expect(exp - iat).toBe(60);
  });

  test.each(objects.filter(([name]) => name !== 'credentials'))(
    '%s: a key present with the value undefined is ERR_INVALID_OPTION',
    (_n, known, path, call) => {
      for (const key of known.filter((k) => k !== 'credentials' && k !== 'apiKeySecret')) {
        const e = thrown(() => call({ [key]: undefined }));
        expect(e.code).toBe('ERR_INVALID_OPTION');
        expect(e.path).toBe(`${path}.${key}`);
        expect(e.message).toBe(
          `Invalid ${path}.${key}: expected a value, or no such key, received undefined. Omit the key, or set the variable it was read from: an undefined value is refused so that a missing input is never silently ignored`,
        );
      }
    },
  );
});

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      (d[i] as number[])[j] = Math.min(
        (d[i - 1] as number[])[j]! + 1,
        (d[i] as number[])[j - 1]! + 1,
        (d[i - 1] as number[])[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return (d[a.length] as number[])[b.length]!;
}

// Values an attacker (or a confused caller) can hand to any position: objects that claim to be a
// Date, Date subclasses whose getTime lies or throws, Proxies whose every trap throws, objects
// whose conversions throw, revoked proxies. Each is built fresh per use.
const throwingHandler: ProxyHandler<object> = new Proxy(
  {},
  {
    get: () => () => {
      throw new TypeError('trap');
    },
  },
);
function revoked(target: object): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}
function boom(): never {
  throw new Error('boom');
}
const HOSTILE: Readonly<Record<string, () => unknown>> = {
  'a fake Date': () => Object.setPrototypeOf({}, Date.prototype),
  'a Date subclass whose getTime lies': () =>
    new (class extends Date {
      override getTime(): number {
        return 'soon' as unknown as number;
      }
    })(),
  'a Date subclass whose getTime throws': () =>
    new (class extends Date {
      override getTime(): number {
        return boom();
      }
    })(),
  'a Date subclass whose getTime returns NaN': () =>
    new (class extends Date {
      override getTime(): number {
        return Number.NaN;
      }
    })(),
  'a Proxy whose every trap throws': () => new Proxy({}, throwingHandler),
  'an array Proxy whose every trap throws': () => new Proxy([], throwingHandler),
  'a function Proxy whose every trap throws': () => new Proxy(() => {}, throwingHandler),
  'a Date Proxy whose every trap throws': () => new Proxy(new Date(0), throwingHandler),
  'a plain-looking Proxy whose reads throw': () =>
    new Proxy({}, { ownKeys: boom, get: boom, getOwnPropertyDescriptor: boom, has: boom }),
  'an object whose conversions throw': () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }),
  'a revoked Proxy': () => revoked({}),
  'a revoked array Proxy': () => revoked([]),
  'a revoked function Proxy': () => revoked(() => {}),
};
// fast-check prints a counterexample by its name: printing the value itself would throw.
const hostile = fc
  .constantFrom(...Object.keys(HOSTILE))
  .map((name) => ({ name, value: (HOSTILE[name] as () => unknown)(), [fc.toStringMethod]: () => name }));

/** Runs `fn`; anything thrown must be an AccessTokenError (a returned Promise must not reject otherwise either). */
async function onlyAccessTokenErrors(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
  }
}

describe('non-enumerable own properties of an options object are read or refused, never ignored', () => {
  const hide = <T extends object>(target: T, key: string | symbol, value: unknown): T =>
    Object.defineProperty(target, key, { value, enumerable: false });
  const token = createAccessToken('alice', videoGrant(), { credentials });

  test('a non-enumerable known option is read', () => {
    const minted = createAccessToken('a', videoGrant(), hide({ credentials }, 'ttl', 60));
    const { exp, iat } = decodeAccessToken(minted).payload;
    expect(exp - iat).toBe(60);
    expect(() =>
      verifyAccessToken(token, hide({} as VerifyOptions, 'apiKeySecret', 'not-the-secret-0123456789')),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_SIGNATURE' }));
    expect(() => videoGrant(hide({}, 'room', ''))).toThrow(
      'Invalid grants.video.room: expected a non-empty string, received ""',
    );
    expect(videoGrant(hide({}, 'room', 'lobby')).payload).toEqual({ room: 'lobby' });
    expect(() =>
      createAccessToken('a', videoGrant(), { credentials: hide({ ...credentials }, 'apiKeySid', 'x') }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CREDENTIALS', path: 'credentials.apiKeySid' }));
  });

  test.each<[string, () => unknown, string, string]>([
    [
      'createAccessToken options',
      () => createAccessToken('a', videoGrant(), hide({ credentials }, 'ttls', 60)),
      'options.ttls',
      'Invalid options.ttls: unknown option "ttls" (did you mean "ttl"?); known options: credentials, ttl, nbf, region, algorithm, dangerouslyAllowBrowser',
    ],
    [
      'verify options',
      () => verifyAccessToken(token, hide({ apiKeySecret: credentials.apiKeySecret }, 'secret', 'x')),
      'options',
      'Invalid options: unknown option (a key of 6 characters); known options: apiKeySecret, keyring, now, clockTolerance, dangerouslyAllowBrowser',
    ],
    [
      'grant options',
      () => videoGrant(hide({}, 'roomName', 'lobby')),
      'grants.video.roomName',
      'Invalid grants.video.roomName: unknown option "roomName" (did you mean "room"?); known options: room',
    ],
    [
      'a non-enumerable symbol key',
      () => createAccessToken('a', videoGrant(), hide({ credentials }, Symbol('ttl'), 60)),
      'options',
      'Invalid options: unknown option (a symbol key); known options: credentials, ttl, nbf, region, algorithm, dangerouslyAllowBrowser',
    ],
  ])('a non-enumerable unknown key is refused: %s', (_name, call, path, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ path, message });
    expect(isAccessTokenError(thrown)).toBe(true);
  });
});

/** Each grant factory with options that name every option it takes. */
const FACTORY_OPTIONS: Readonly<Record<string, { factory: (o: never) => unknown; valid: Record<string, unknown> }>> = {
  videoGrant: { factory: videoGrant, valid: { room: 'r' } },
  chatGrant: {
    factory: chatGrant,
    valid: { serviceSid: sid('IS'), endpointId: 'e', deploymentRoleSid: sid('RL'), pushCredentialSid: sid('CR') },
  },
  voiceGrant: {
    factory: voiceGrant,
    valid: {
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: 1 },
      incomingAllow: true,
      pushCredentialSid: sid('CR'),
      endpointId: 'e',
    },
  },
  syncGrant: { factory: syncGrant, valid: { serviceSid: sid('IS'), endpointId: 'e' } },
  taskRouterGrant: { factory: taskRouterGrant, valid: { workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'r' } },
  playbackGrant: { factory: playbackGrant, valid: { grant: { a: 1 } } },
};

describe('hostile values in every position throw only AccessTokenError', () => {
  const token = createAccessToken('alice', videoGrant(), { credentials });
  const g = videoGrant();
  const minter = createTokenMinter({ credentials });
  const positions: Readonly<Record<string, (h: unknown) => unknown>> = {
    'createAccessToken identity': (h) => createAccessToken(h as string, g, { credentials }),
    'createAccessToken grants': (h) => createAccessToken('a', h as Grant, { credentials }),
    'createAccessToken grants[0]': (h) => createAccessToken('a', [h as Grant], { credentials }),
    'createAccessToken grants[1]': (h) => createAccessToken('a', [g, h as Grant], { credentials }),
    'createAccessToken options': (h) => createAccessToken('a', g, h as AccessTokenOptions),
    ...Object.fromEntries(
      ['credentials', 'ttl', 'nbf', 'region', 'algorithm', 'dangerouslyAllowBrowser'].map((key) => [
        `createAccessToken options.${key}`,
        (h: unknown) => createAccessToken('a', g, { credentials, [key]: h }),
      ]),
    ),
    ...Object.fromEntries(
      ['accountSid', 'apiKeySid', 'apiKeySecret'].map((key) => [
        `createAccessToken credentials.${key}`,
        (h: unknown) => createAccessToken('a', g, { credentials: { ...credentials, [key]: h } }),
      ]),
    ),
    'createTokenMinter options': (h) => createTokenMinter(h as TokenMinterOptions),
    ...Object.fromEntries(
      ['credentials', 'ttl', 'nbf', 'region', 'algorithm', 'dangerouslyAllowBrowser'].map((key) => [
        `createTokenMinter options.${key}`,
        (h: unknown) => createTokenMinter({ credentials, [key]: h }),
      ]),
    ),
    'minter identity': (h) => minter(h as string, g),
    'minter grants': (h) => minter('a', h as Grant),
    'minter overrides': (h) => minter('a', g, h as TokenMinterOverrides),
    'minter overrides.ttl': (h) => minter('a', g, { ttl: h as number }),
    'minter overrides.nbf': (h) => minter('a', g, { nbf: h as number }),
    'verifyAccessToken token': (h) => verifyAccessToken(h as string, { apiKeySecret: credentials.apiKeySecret }),
    'verifyAccessToken options': (h) => verifyAccessToken(token, h as VerifyOptions),
    ...Object.fromEntries(
      ['apiKeySecret', 'now', 'clockTolerance', 'dangerouslyAllowBrowser'].map((key) => [
        `verifyAccessToken options.${key}`,
        (h: unknown) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, [key]: h }),
      ]),
    ),
    'verifyAccessToken options.keyring': (h) => verifyAccessToken(token, { keyring: h as Keyring }),
    'diagnoseAccessToken options.keyring': (h) => diagnoseAccessToken(token, { keyring: h as Keyring }),
    'decodeAccessToken token': (h) => decodeAccessToken(h as string),
    'diagnoseAccessToken token': (h) => diagnoseAccessToken(h as string),
    'diagnoseAccessToken options': (h) => diagnoseAccessToken(token, h as DiagnoseOptions),
    'diagnoseAccessToken options.apiKeySecret': (h) => diagnoseAccessToken(token, { apiKeySecret: h as string }),
    'diagnoseAccessToken options.now': (h) => diagnoseAccessToken(token, { now: h as number }),
    'credentialsFromEnv env': (h) => credentialsFromEnv(h as EnvironmentVariables),
    'credentialsFromEnv a variable': (h) =>
      credentialsFromEnv({
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEY_SID: h as string,
        TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
      }),
    ...Object.fromEntries(
      Object.entries(FACTORY_OPTIONS).flatMap(([name, { factory, valid }]) => [
        [`${name} options`, (h: unknown) => factory(h as never)],
        ...Object.keys(valid).map((key) => [
          `${name} options.${key}`,
          (h: unknown) => factory({ ...valid, [key]: h } as never),
        ]),
      ]),
    ),
  };

  test.each(Object.keys(positions))('%s', async (position) => {
    const run = positions[position] as (h: unknown) => unknown;
    await fc.assert(fc.asyncProperty(hostile, async ({ value }) => onlyAccessTokenErrors(() => run(value))));
  });

  test('diagnoseAccessToken never throws for a string token, whatever the options hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), hostile, async (t, { value }) => {
        expect(diagnoseAccessToken(t, { now: 1 }).ok).toBe(false);
        await onlyAccessTokenErrors(() => diagnoseAccessToken(t, { now: value as number }));
      }),
    );
  });

  test('a fake Date is described as such, never read', () => {
    const fake = HOSTILE['a fake Date']?.() as Date;
    expect(() => createAccessToken('a', g, { credentials, nbf: fake })).toThrow(
      'Invalid options.nbf: expected epoch seconds (an integer, 0 or more) or a Date, received an object posing as a Date',
    );
    expect(() => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, now: fake })).toThrow(
      'Invalid options.now: expected epoch seconds or a valid Date, received an object posing as a Date',
    );
    expect(() => diagnoseAccessToken(token, { now: fake })).toThrow(
      'Invalid options.now: expected epoch seconds or a valid Date, received an object posing as a Date',
    );
    expect(() => decodeAccessToken(fake as unknown as string)).toThrow(/received an object posing as a Date/);
    expect(() => createAccessToken(fake as unknown as string, g, { credentials })).toThrow(
      'Invalid identity: expected a string of 1 to 256 characters, received an object posing as a Date',
    );
    expect(() => videoGrant({ room: fake as unknown as string })).toThrow(
      'Invalid grants.video.room: expected a non-empty string, received an object posing as a Date',
    );
  });
});
