import { describe, expect, test } from 'vitest';
import {
  createAccessToken,
  createTokenMinter,
  credentialsFromEnv,
  decodeAccessToken,
  syncGrant,
  verifyAccessToken,
  videoGrant,
} from '../../src/index.js';
import { credentials, expectError, sid } from '../helpers.js';

// Section 8 of the contract, for the library itself: whitespace secrets, one naming family per key
// and secret, SID echo rules, fail-closed undefined, and the limits of decode and verify.

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = createAccessToken('alice', videoGrant(), { credentials });
const [, payloadPart, signature] = token.split('.') as [string, string, string];
const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<string, unknown>;

describe('API Key secrets with surrounding whitespace', () => {
  test.each([
    ['a trailing newline', `${credentials.apiKeySecret}\n`],
    ['a leading space', ` ${credentials.apiKeySecret}`],
    ['only spaces', '   '],
    ['a trailing tab', `${credentials.apiKeySecret}\t`],
  ])('%s: ERR_INVALID_CREDENTIALS at credentials.apiKeySecret, described by length', (_name, apiKeySecret) => {
    const message = new RegExp(
      `^Invalid credentials\\.apiKeySecret: expected the API Key secret without leading or trailing whitespace, received a string of ${apiKeySecret.length} characters\\. Trim it where it is read; with the whitespace every token fails at Twilio \\(error 20107\\)$`,
    );
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: { ...credentials, apiKeySecret } }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySecret',
      message,
    );
    expectError(
      () => createTokenMinter({ credentials: { ...credentials, apiKeySecret } }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySecret',
      message,
    );
    expectError(
      () => verifyAccessToken(token, { apiKeySecret }),
      'ERR_INVALID_CREDENTIALS',
      'options.apiKeySecret',
      /without leading or trailing whitespace/,
    );
  });
});

describe('credentialsFromEnv: the key and its secret come from one naming family', () => {
  const { accountSid, apiKeySid, apiKeySecret } = credentials;
  test.each([
    ['TWILIO_API_KEY_SID', 'API_SECRET'],
    ['TWILIO_API_KEY', 'API_KEY_SECRET'],
    ['API_KEY_SID', 'TWILIO_API_KEY_SECRET'],
    ['API_KEY', 'TWILIO_API_SECRET'],
  ])('%s with only %s: ERR_MISSING_CREDENTIALS naming both', (keyName, secretName) => {
    expectError(
      () => credentialsFromEnv({ TWILIO_ACCOUNT_SID: accountSid, [keyName]: apiKeySid, [secretName]: apiKeySecret }),
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      new RegExp(`${keyName} and ${secretName} are from different naming families`),
    );
  });

  test('a complete family wins over a stray variable of the other', () => {
    const env = {
      ACCOUNT_SID: accountSid,
      API_KEY: apiKeySid,
      API_SECRET: apiKeySecret,
      TWILIO_API_SECRET: 'belongs-to-another-service',
    };
    expect(credentialsFromEnv(env)).toEqual(credentials);
  });

  test('the message never holds a value', () => {
    try {
      credentialsFromEnv({ TWILIO_API_KEY_SID: apiKeySid, API_SECRET: apiKeySecret });
    } catch (error) {
      expect((error as Error).message).not.toContain(apiKeySecret);
      expect((error as Error).message).not.toContain(apiKeySid.slice(2, 10));
    }
  });
});

describe('SID positions', () => {
  test('a value that starts like a SID is described by length and its two-letter prefix only', () => {
    expectError(
      () => syncGrant({ serviceSid: `MG${'0'.repeat(32)}` }),
      'ERR_INVALID_GRANT',
      'grants.sync.serviceSid',
      /received a string of 34 characters starting with "MG"$/,
    );
    // A secret that happens to start with two capitals shows those two, never six.
    expectError(
      () =>
        createAccessToken('a', videoGrant(), {
          credentials: { ...credentials, apiKeySid: 'QXq8zx7mV2pL0aR4tY6uW9eB1cN3dF5g' },
        }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      /received a string of 32 characters starting with "QX"$/,
    );
  });
  test.each([
    ['lower case', 'is0123456789'],
    ['one capital', 'Isabcdef'],
    ['a pasted secret', 'q8Zx7mV2pL0aR4tY6uW9eB1cN3dF5gH'],
  ])('%s is described by type and length only', (_name, value) => {
    expectError(
      () => syncGrant({ serviceSid: value }),
      'ERR_INVALID_GRANT',
      'grants.sync.serviceSid',
      new RegExp(`received a string of ${value.length} characters$`),
    );
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: { ...credentials, apiKeySid: value } }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      new RegExp(`received a string of ${value.length} characters$`),
    );
  });
});

describe('fail closed: undefined never widens a grant', () => {
  test('videoGrant({ room: undefined }) (every room) is refused', () => {
    expectError(
      () => videoGrant({ room: undefined }),
      'ERR_INVALID_GRANT',
      'grants.video.room',
      /^Invalid grants\.video\.room: expected a value, or no such key, received undefined\. Omit the key to mean every Room/,
    );
  });
  test('syncGrant({ serviceSid: undefined }) is refused', () => {
    expectError(
      () => syncGrant({ serviceSid: undefined }),
      'ERR_INVALID_GRANT',
      'grants.sync.serviceSid',
      /Omit the key to mean the account's default Sync service/,
    );
  });
  test('omitting the key still means every room', () => {
    expect(videoGrant({}).payload).toEqual({});
    expect(videoGrant().payload).toEqual({});
  });
});

describe('decode and verify limits', () => {
  const cty = 'twilio-fpa;v=1';
  const forge = (header: object, claims: object) =>
    `${b64({ cty, ...header })}.${b64({ ...payload, ...claims })}.${signature}`;
  const both = (t: string, message: RegExp) => {
    expectError(() => decodeAccessToken(t), 'ERR_MALFORMED_TOKEN', 'token', message);
    expectError(
      () => verifyAccessToken(t, { apiKeySecret: credentials.apiKeySecret }),
      'ERR_MALFORMED_TOKEN',
      'token',
      message,
    );
  };

  test('a header with crit', () => {
    both(forge({ alg: 'HS256', typ: 'JWT', crit: ['exp'] }, {}), /received a header with crit/);
  });
  test.each(['exp', 'iat', 'nbf'])('%s in milliseconds', (claim) => {
    both(
      forge({ alg: 'HS256', typ: 'JWT' }, { [claim]: Date.UTC(2026, 0, 1) }),
      new RegExp(`received a payload whose ${claim} is in milliseconds`),
    );
  });
  test('a token over 64 KiB is refused before it is parsed', () => {
    const huge = `${'a'.repeat(70_000)}.b.c`;
    both(huge, /received a string of 70004 characters \(at most 65536\)$/);
  });
  test.each([
    ['iat', 'x', /iat is not an integer/],
    ['iss', 5, /iss is not a string/],
    ['sub', {}, /sub is not a string/],
    ['jti', [], /jti is not a string/],
  ])('a payload whose %s has the wrong type', (claim, value, message) => {
    both(forge({ alg: 'HS256', typ: 'JWT' }, { [claim]: value }), message);
  });
  test('a pasted JSON response gets a hint', () => {
    expectError(
      () =>
        decodeAccessToken(
          JSON.stringify({ token, identity: 'alice', ttl: 3600, expiresAt: '2026-01-01T01:00:00.000Z' }),
        ),
      'ERR_MALFORMED_TOKEN',
      'token',
      /received a JSON object \(that looks like a token endpoint response: pass its "token" field\)$/,
    );
  });
});

describe('grants are recognised, never trusted blindly', () => {
  const BRAND = Symbol.for('twilio-access-token.grant');
  test('a hand-made object with the brand cannot inject claims through its key', () => {
    const forged = {
      product: 'video',
      key: 'video":{},"admin":true,"x',
      payload: {},
      [BRAND]: { json: '{}', member: '"video":{},"admin":true' },
    };
    // Refused, or minted without the injected claim: either way the token grants nothing more.
    let minted: string | undefined;
    try {
      minted = createAccessToken('a', forged as never, { credentials });
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_INVALID_GRANT');
    }
    if (minted !== undefined) expect(decodeAccessToken(minted).payload.grants).toEqual({ identity: 'a', video: {} });
  });
  test.each([
    ['JSON that is not one object', '{},"admin":true'],
    ['non-canonical JSON', '{ }'],
    ['an array', '[]'],
  ])('a brand holding %s is not a grant', (_name, json) => {
    expectError(
      () =>
        createAccessToken('a', { product: 'video', [BRAND]: { json, member: `"video":${json}` } } as never, {
          credentials,
        }),
      'ERR_INVALID_GRANT',
      'grants',
      /expected a grant or an array of grants/,
    );
  });
  test('an unknown product is not a grant', () => {
    expectError(
      () =>
        createAccessToken('a', [{ product: 'admin', [BRAND]: { json: '{}', member: '"admin":{}' } }] as never, {
          credentials,
        }),
      'ERR_INVALID_GRANT',
      'grants[0]',
      /expected a grant from a factory/,
    );
  });
  test('the wire key comes from the product', () => {
    expect(syncGrant().key).toBe('data_sync');
    expect(sid('IS')).toHaveLength(34);
  });
});
