import { describe, expect, test } from 'vitest';
import { credentialsFromEnv } from '../src/index.js';
import { credentials, expectError, sid } from './helpers.js';

const { accountSid, apiKeySid, apiKeySecret } = credentials;

describe('credentialsFromEnv', () => {
  test('reads the TWILIO_ names', () => {
    expect(
      credentialsFromEnv({
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_API_KEY_SID: apiKeySid,
        TWILIO_API_KEY_SECRET: apiKeySecret,
      }),
    ).toEqual(credentials);
  });

  test("reads the Twilio Functions tutorial's names", () => {
    expect(
      credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: apiKeySid, API_SECRET: apiKeySecret, AUTH_TOKEN: 'x' }),
    ).toEqual(credentials);
  });

  test.each([
    ['TWILIO_API_KEY_SID', ['TWILIO_API_KEY_SID', 'TWILIO_API_KEY', 'API_KEY_SID', 'API_KEY']],
    ['TWILIO_API_KEY', ['TWILIO_API_KEY', 'API_KEY_SID', 'API_KEY']],
    ['API_KEY_SID', ['API_KEY_SID', 'API_KEY']],
  ])('takes %s first when present', (winner, present) => {
    // Each family has its secret, so the first complete family decides.
    const env: Record<string, string> = {
      ACCOUNT_SID: accountSid,
      TWILIO_API_SECRET: apiKeySecret,
      API_SECRET: apiKeySecret,
    };
    for (const name of present) env[name] = name === winner ? apiKeySid : sid('SK', 'f');
    expect(credentialsFromEnv(env).apiKeySid).toBe(apiKeySid);
  });

  test('prefers TWILIO_ACCOUNT_SID, and TWILIO_API_KEY_SECRET within its family', () => {
    const env = {
      TWILIO_ACCOUNT_SID: accountSid,
      ACCOUNT_SID: sid('AC', 'f'),
      TWILIO_API_KEY: apiKeySid,
      API_KEY: sid('SK', 'f'),
      TWILIO_API_KEY_SECRET: apiKeySecret,
      TWILIO_API_SECRET: 'other',
      API_KEY_SECRET: 'other',
      API_SECRET: 'other',
    };
    expect(credentialsFromEnv(env)).toEqual(credentials);
  });

  test('treats empty values as unset', () => {
    expect(
      credentialsFromEnv({
        TWILIO_ACCOUNT_SID: '',
        ACCOUNT_SID: accountSid,
        TWILIO_API_KEY_SID: '',
        API_KEY: apiKeySid,
        TWILIO_API_KEY_SECRET: '',
        API_SECRET: apiKeySecret,
      }),
    ).toEqual(credentials);
  });

  test('defaults to process.env', () => {
    expect(() => credentialsFromEnv()).not.toThrow(TypeError);
  });
});

describe('credentialsFromEnv throws', () => {
  test('ERR_MISSING_CREDENTIALS naming every variable looked for', () => {
    expectError(
      () => credentialsFromEnv({}),
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      'Missing Twilio credentials: set accountSid (TWILIO_ACCOUNT_SID, ACCOUNT_SID); apiKeySid (TWILIO_API_KEY_SID, TWILIO_API_KEY, API_KEY_SID, API_KEY); apiKeySecret (TWILIO_API_KEY_SECRET, TWILIO_API_SECRET, API_KEY_SECRET, API_SECRET).',
    );
  });

  test('ERR_MISSING_CREDENTIALS naming only what is missing, never a value', () => {
    expectError(
      () => credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: apiKeySid }),
      'ERR_MISSING_CREDENTIALS',
      'credentials',
      'Missing Twilio credentials: set apiKeySecret (TWILIO_API_KEY_SECRET, TWILIO_API_SECRET, API_KEY_SECRET, API_SECRET).',
    );
  });

  test.each(['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN'])(
    'ERR_MISSING_CREDENTIALS explaining the API Key when only %s is set',
    (name) => {
      expectError(
        () => credentialsFromEnv({ TWILIO_ACCOUNT_SID: accountSid, [name]: 'auth-token-value-123' }),
        'ERR_MISSING_CREDENTIALS',
        'credentials',
        /Only an Auth Token is set: Access Tokens are signed with an API Key and its secret, not the Auth Token\.$/,
      );
      try {
        credentialsFromEnv({ TWILIO_ACCOUNT_SID: accountSid, [name]: 'auth-token-value-123' });
      } catch (error) {
        expect(String(error)).not.toContain('auth-token-value-123');
        expect(String(error)).not.toContain(accountSid);
      }
    },
  );

  test('ERR_INVALID_CREDENTIALS for a malformed value found', () => {
    expectError(
      () => credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: accountSid, API_SECRET: apiKeySecret }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      /That is an Account SID.*20103/,
    );
  });
});

describe('credentials validation', () => {
  test('re-checks an object whose values changed after it was accepted once', async () => {
    const { createAccessToken, videoGrant } = await import('../src/index.js');
    const mutable = { ...credentials };
    expect(() => createAccessToken('a', videoGrant(), { credentials: mutable })).not.toThrow();
    mutable.apiKeySid = credentials.accountSid;
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: mutable }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      /20103/,
    );
    mutable.apiKeySid = credentials.apiKeySid;
    mutable.apiKeySecret = '';
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: mutable }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySecret',
      /received an empty string$/,
    );
  });
});
