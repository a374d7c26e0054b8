import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  AccessTokenError,
  chatGrant,
  conversationsGrant,
  createAccessToken,
  createTokenMinter,
  decodeAccessToken,
  syncGrant,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import {
  clearCredentialEnv,
  credentials,
  expectError,
  FROZEN_S,
  freezeClock,
  segmentJson,
  sid,
  TwilioAccessToken,
} from '../helpers.js';

const video = videoGrant();
// mint(identity) uses a video grant; mint(identity, grants) passes grants as given, undefined included.
const mint = (identity: unknown, ...rest: [grants?: unknown, options?: object]) =>
  createAccessToken(identity as string, (rest.length > 0 ? rest[0] : video) as never, { credentials, ...rest[1] });

beforeEach(() => freezeClock());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('createAccessToken', () => {
  test('mints the exact expected token for fixed input (frozen clock)', () => {
    const token = mint('alice', [videoGrant({ room: 'standup' })]);
    expect(segmentJson(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(token.split('.')[1]).toBe(
      Buffer.from(
        `{"jti":"${credentials.apiKeySid}-${FROZEN_S}","grants":{"identity":"alice","video":{"room":"standup"}},"iat":${FROZEN_S},"exp":${FROZEN_S + 3600},"iss":"${credentials.apiKeySid}","sub":"${credentials.accountSid}"}`,
      ).toString('base64url'),
    );
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
  });

  test('writes twr last in the header when a region is set', () => {
    expect(Object.keys(segmentJson(mint('a', video, { region: 'au1' }), 0) as object)).toEqual([
      'alg',
      'typ',
      'cty',
      'twr',
    ]);
  });

  test('an nbf Date subclass is read by its time value, not its own getTime', () => {
    class LyingDate extends Date {
      override getTime(): number {
        return 'soon' as unknown as number;
      }
    }
    const token = mint('a', video, { nbf: new LyingDate(FROZEN_S * 1000 - 1500) });
    const payload = segmentJson(token, 1) as Record<string, unknown>;
    expect(payload.nbf).toBe(FROZEN_S - 2);
    expect(token.split('.')[1]).not.toMatch(/NaN/);
    expect(JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString())).toEqual(payload);
  });

  test('writes nbf between grants and iat, floored from a Date', () => {
    const payload = segmentJson(mint('a', video, { nbf: new Date(FROZEN_S * 1000 - 1) }), 1) as Record<string, unknown>;
    expect(Object.keys(payload)).toEqual(['jti', 'grants', 'nbf', 'iat', 'exp', 'iss', 'sub']);
    expect(payload.nbf).toBe(FROZEN_S - 1);
  });

  test('accepts a single grant or an array, keeping the order given', () => {
    const g = [syncGrant(), voiceGrant({ incomingAllow: true }), video];
    expect(Object.keys(decodeAccessToken(mint('a', g)).payload.grants)).toEqual([
      'identity',
      'data_sync',
      'voice',
      'video',
    ]);
    expect(Object.keys(decodeAccessToken(mint('a', video)).payload.grants)).toEqual(['identity', 'video']);
  });

  test('reads the clock once: jti and iat agree across a second boundary', () => {
    let calls = 0;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => FROZEN_S * 1000 + 999 + calls++);
    const { payload } = decodeAccessToken(mint('a'));
    expect(calls).toBe(1);
    expect(payload.jti).toBe(`${credentials.apiKeySid}-${payload.iat}`);
    spy.mockRestore();
  });

  test('reads credentials from the environment by default', () => {
    vi.stubEnv('TWILIO_ACCOUNT_SID', credentials.accountSid);
    vi.stubEnv('TWILIO_API_KEY_SID', credentials.apiKeySid);
    vi.stubEnv('TWILIO_API_KEY_SECRET', credentials.apiKeySecret);
    expect(createAccessToken('a', video)).toBe(mint('a'));
  });

  test('accepts identities of 1 and 256 characters, spaces, emoji and ZWJ sequences', () => {
    for (const identity of ['a', 'x'.repeat(256), 'Alice Smith', '👩‍👩‍👧‍👦', 'tab-free\u00a0nbsp']) {
      expect(decodeAccessToken(mint(identity)).payload.grants.identity).toBe(identity);
    }
  });
});

describe('createAccessToken throws', () => {
  test.each<[string, unknown, string]>([
    ['for a number', 42, 'Invalid identity: expected a string of 1 to 256 characters, received 42'],
    ['for undefined', undefined, 'Invalid identity: expected a string of 1 to 256 characters, received undefined'],
    ['for an empty string', '', 'Invalid identity: expected a string of 1 to 256 characters, received ""'],
    [
      'for 257 characters',
      'x'.repeat(257),
      'Invalid identity: expected a string of 1 to 256 characters, received a string of 257 characters',
    ],
    [
      'for a newline',
      'ali\nce',
      'Invalid identity: expected no control characters (found U+000A at 3), received "ali\\nce"',
    ],
    ['for NUL', '\u0000', 'Invalid identity: expected no control characters (found U+0000 at 0), received "\\u0000"'],
    ['for DEL', 'a\u007f', 'Invalid identity: expected no control characters (found U+007F at 1), received "a\u007f"'],
    [
      'for a C1 control',
      'a\u0085',
      'Invalid identity: expected no control characters (found U+0085 at 1), received "a\u0085"',
    ],
  ])('ERR_INVALID_IDENTITY %s', (_name, identity, message) => {
    expectError(() => mint(identity), 'ERR_INVALID_IDENTITY', 'identity', message);
  });

  test.each<[string, object, string, string]>([
    ['ttl 0', { ttl: 0 }, 'options.ttl', 'Invalid options.ttl: expected an integer from 1 to 86400, received 0'],
    [
      'ttl 90000',
      { ttl: 90_000 },
      'options.ttl',
      'Invalid options.ttl: expected an integer from 1 to 86400, received 90000',
    ],
    ['ttl 1.5', { ttl: 1.5 }, 'options.ttl', 'Invalid options.ttl: expected an integer from 1 to 86400, received 1.5'],
    [
      'ttl "3600"',
      { ttl: '3600' },
      'options.ttl',
      'Invalid options.ttl: expected an integer from 1 to 86400, received "3600"',
    ],
    [
      'ttl NaN',
      { ttl: Number.NaN },
      'options.ttl',
      'Invalid options.ttl: expected an integer from 1 to 86400, received NaN',
    ],
    [
      'nbf -1',
      { nbf: -1 },
      'options.nbf',
      'Invalid options.nbf: expected epoch seconds (an integer, 0 or more) or a Date, received -1',
    ],
    [
      'nbf 1.5',
      { nbf: 1.5 },
      'options.nbf',
      'Invalid options.nbf: expected epoch seconds (an integer, 0 or more) or a Date, received 1.5',
    ],
    [
      'nbf in milliseconds',
      { nbf: Date.now() },
      'options.nbf',
      /^Invalid options\.nbf: expected epoch seconds, not milliseconds \(Date\.now\(\) \/ 1000\), received \d{13}$/ as never,
    ],
    [
      'nbf equal to exp',
      { nbf: FROZEN_S + 3600 },
      'options.nbf',
      `Invalid options.nbf: expected a time before exp (${FROZEN_S + 3600}), received ${FROZEN_S + 3600}`,
    ],
    [
      'a Date subclass nbf whose time value is invalid',
      { nbf: new (class extends Date {})('nope') },
      'options.nbf',
      'Invalid options.nbf: expected a valid Date from 1970 on, received an invalid Date',
    ],
    [
      'a fake Date nbf (Date.prototype, no time value)',
      { nbf: Object.setPrototypeOf({}, Date.prototype) },
      'options.nbf',
      'Invalid options.nbf: expected epoch seconds (an integer, 0 or more) or a Date, received an object posing as a Date',
    ],
    [
      'an nbf Date past the year 5138',
      { nbf: new Date(8.64e15) },
      'options.nbf',
      'Invalid options.nbf: expected a Date before the year 5138, received a Date',
    ],
    [
      'an invalid Date nbf',
      { nbf: new Date('nope') },
      'options.nbf',
      'Invalid options.nbf: expected a valid Date from 1970 on, received an invalid Date',
    ],
    [
      'region US1',
      { region: 'US1' },
      'options.region',
      `Invalid options.region: expected a Twilio region such as 'us1', 'ie1' or 'au1', received "US1"`,
    ],
    [
      'region us',
      { region: 'us' },
      'options.region',
      `Invalid options.region: expected a Twilio region such as 'us1', 'ie1' or 'au1', received "us"`,
    ],
    [
      'algorithm RS256',
      { algorithm: 'RS256' },
      'options.algorithm',
      `Invalid options.algorithm: expected 'HS256', 'HS384' or 'HS512', received "RS256"`,
    ],
    [
      'an unknown option',
      { identity: 'bob' },
      'options',
      'Invalid options: unknown option (a key of 8 characters); known options: credentials, ttl, nbf, region, algorithm, dangerouslyAllowBrowser',
    ],
  ])('ERR_INVALID_OPTION for %s', (_name, options, path, message) => {
    expectError(() => mint('a', video, options), 'ERR_INVALID_OPTION', path, message);
  });

  test('ERR_INVALID_OPTION for options that are not an object', () => {
    expectError(
      () => createAccessToken('a', video, 'HS256' as never),
      'ERR_INVALID_OPTION',
      'options',
      'Invalid options: expected an options object (a plain object literal), received a string of 5 characters',
    );
  });

  test('ERR_NO_GRANTS for an empty list', () => {
    expectError(
      () => mint('a', []),
      'ERR_NO_GRANTS',
      'grants',
      'Invalid grants: expected at least one grant, received an empty array',
    );
  });

  test('ERR_DUPLICATE_GRANT for two video grants', () => {
    expectError(
      () => mint('a', [video, videoGrant({ room: 'r' })]),
      'ERR_DUPLICATE_GRANT',
      'grants',
      'Invalid grants: expected one grant per product, received two "video" grants, grants[0] and grants[1]. Combine their options into one grant',
    );
  });

  test('ERR_DUPLICATE_GRANT for chatGrant and conversationsGrant together', () => {
    const c = { serviceSid: sid('IS') };
    expectError(
      () => mint('a', [chatGrant(c), video, conversationsGrant(c)]),
      'ERR_DUPLICATE_GRANT',
      'grants',
      /received two "chat" grants, grants\[0\] and grants\[2\]/,
    );
  });

  test.each<[string, unknown, string, string | RegExp]>([
    [
      'a plain object as the grants',
      { key: 'video', payload: {} },
      'grants',
      'Invalid grants: expected a grant or an array of grants, received an object',
    ],
    [
      'a twilio-like grant in the list',
      [video, { key: 'voice', toPayload: () => ({}) }],
      'grants[1]',
      /^Invalid grants\[1\]: expected a grant from a factory such as videoGrant\(\), received an object\. A grant of the twilio package must be converted with fromTwilioGrant\(\)/,
    ],
    ['null in the list', [null], 'grants[0]', /received null$/],
    ['a string', 'video', 'grants', /received a string of 5 characters$/],
    ['undefined', undefined, 'grants', /received undefined$/],
    ['a copy of a grant (spread drops the brand)', { ...video }, 'grants', /received an object$/],
  ])('ERR_INVALID_GRANT for %s', (_name, grants, path, message) => {
    expectError(() => mint('a', grants), 'ERR_INVALID_GRANT', path, message);
  });

  test('ERR_INVALID_CREDENTIALS for an Account SID as the API Key SID (Twilio 20103)', () => {
    expectError(
      () => mint('a', video, { credentials: { ...credentials, apiKeySid: credentials.accountSid } }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      'Invalid credentials.apiKeySid: expected an API Key SID (SK followed by 32 hex digits), received a string of 34 characters starting with "AC". That is an Account SID; Access Tokens are signed with an API Key (Twilio error 20103)',
    );
  });

  test.each<[string, object, string, string]>([
    [
      'an API Key SID as the Account SID',
      { accountSid: credentials.apiKeySid },
      'credentials.accountSid',
      'Invalid credentials.accountSid: expected an Account SID (AC followed by 32 hex digits), received a string of 34 characters starting with "SK"',
    ],
    [
      'a short API Key SID',
      { apiKeySid: 'SK12' },
      'credentials.apiKeySid',
      'Invalid credentials.apiKeySid: expected an API Key SID (SK followed by 32 hex digits), received a string of 4 characters starting with "SK"',
    ],
    [
      'an empty secret',
      { apiKeySecret: '' },
      'credentials.apiKeySecret',
      'Invalid credentials.apiKeySecret: expected the API Key secret, a non-empty string, received an empty string',
    ],
    [
      'a numeric secret',
      { apiKeySecret: 12345 },
      'credentials.apiKeySecret',
      'Invalid credentials.apiKeySecret: expected the API Key secret, a non-empty string, received 12345',
    ],
  ])('ERR_INVALID_CREDENTIALS for %s', (_name, patch, path, message) => {
    expectError(
      () => mint('a', video, { credentials: { ...credentials, ...patch } }),
      'ERR_INVALID_CREDENTIALS',
      path,
      message,
    );
  });

  test('ERR_INVALID_CREDENTIALS for credentials that are not an object', () => {
    expectError(
      () => mint('a', video, { credentials: 'AC...' }),
      'ERR_INVALID_CREDENTIALS',
      'credentials',
      'Invalid credentials: expected an options object (a plain object literal), received a string of 5 characters',
    );
  });

  test('ERR_MISSING_CREDENTIALS with no credentials anywhere', () => {
    clearCredentialEnv();
    expectError(
      () => createAccessToken('a', video),
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      /^Missing Twilio credentials: set accountSid \(TWILIO_ACCOUNT_SID, ACCOUNT_SID\)/,
    );
  });

  test('errors are AccessTokenError instances with a stack', () => {
    try {
      mint('');
    } catch (error) {
      expect(error).toBeInstanceOf(AccessTokenError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('AccessTokenError');
      expect((error as Error).stack).toContain('AccessTokenError: Invalid identity');
    }
  });
});

describe('createTokenMinter', () => {
  test('mints what createAccessToken mints, with per-token overrides', () => {
    const minter = createTokenMinter({ credentials, ttl: 60, region: 'ie1' });
    expect(minter('a', video)).toBe(mint('a', video, { ttl: 60, region: 'ie1' }));
    expect(minter('a', video, { ttl: 120, nbf: FROZEN_S })).toBe(
      mint('a', video, { ttl: 120, region: 'ie1', nbf: FROZEN_S }),
    );
  });

  test('validates credentials and options at creation', () => {
    expectError(() => createTokenMinter({ credentials, ttl: 0 }), 'ERR_INVALID_OPTION', 'options.ttl', /received 0$/);
    expectError(() => createTokenMinter({} as never), 'ERR_INVALID_CREDENTIALS', 'credentials', /received undefined$/);
  });

  test('validates identity, grants and overrides per token', () => {
    const minter = createTokenMinter({ credentials });
    expectError(() => minter('', video), 'ERR_INVALID_IDENTITY', 'identity', /received ""$/);
    expectError(() => minter('a', []), 'ERR_NO_GRANTS', 'grants', /empty array/);
    expectError(() => minter('a', video, { ttl: 86_401 }), 'ERR_INVALID_OPTION', 'options.ttl', /received 86401$/);
    expectError(
      () => minter('a', video, { region: 'ie1' } as never),
      'ERR_INVALID_OPTION',
      'options',
      'Invalid options: unknown option (a key of 6 characters); known options: ttl, nbf',
    );
  });
});

describe('common mistakes get a message that names the fix', () => {
  test.each<[string, unknown, string]>([
    ['a grant', videoGrant(), 'a grant'],
    ['an array of grants', [videoGrant(), syncGrant()], 'an array of grants'],
  ])('%s where the identity belongs: "the identity comes first"', (_name, identity, what) => {
    expectError(
      () => createAccessToken(identity as never, { ttl: 60 } as never),
      'ERR_INVALID_IDENTITY',
      'identity',
      `Invalid identity: expected a string of 1 to 256 characters, received ${what}. The identity comes first: createAccessToken(identity, grants, options)`,
    );
    expectError(
      () => createTokenMinter({ credentials })(identity as never, video),
      'ERR_INVALID_IDENTITY',
      'identity',
      /The identity comes first/,
    );
  });

  test.each<[string, () => object, string]>([
    ['a twilio grant', () => new TwilioAccessToken.VideoGrant(), 'a twilio grant'],
    [
      'an array of twilio grants',
      () => [new TwilioAccessToken.VideoGrant(), new TwilioAccessToken.SyncGrant({})],
      'an array of twilio grants',
    ],
  ])('%s where the identity belongs: the identity comes first, and fromTwilioGrant', (_name, make, what) => {
    const message = `Invalid identity: expected a string of 1 to 256 characters, received ${what}. The identity comes first: createAccessToken(identity, grants, options). A grant of the twilio package must be converted with fromTwilioGrant() from 'twilio-access-token/twilio'`;
    expectError(
      () => createAccessToken(make() as never, 'alice' as never),
      'ERR_INVALID_IDENTITY',
      'identity',
      message,
    );
    expectError(
      () => createTokenMinter({ credentials })(make() as never, video),
      'ERR_INVALID_IDENTITY',
      'identity',
      message,
    );
  });

  test.each<[string, (p: Promise<never>) => unknown, string, string]>([
    ['the identity', (p) => mint(p), 'ERR_INVALID_IDENTITY', 'identity'],
    ['the grants', (p) => mint('a', p), 'ERR_INVALID_GRANT', 'grants'],
    ['a grant in a list', (p) => mint('a', [video, p]), 'ERR_INVALID_GRANT', 'grants[1]'],
    ['the options', (p) => createAccessToken('a', video, p as never), 'ERR_INVALID_OPTION', 'options'],
    ['the credentials', (p) => mint('a', video, { credentials: p }), 'ERR_INVALID_CREDENTIALS', 'credentials'],
  ])('a Promise as %s: "missing await?"', (_name, call, code, path) => {
    const pending = Promise.resolve() as Promise<never>;
    expectError(() => call(pending), code as never, path, /received a Promise: missing await\?/);
  });
});
