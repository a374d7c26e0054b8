import { afterEach, describe, expect, test, vi } from 'vitest';
import { createAccessToken, credentialsFromEnv, verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials, expectError, secretWindows, sid } from '../helpers.js';

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
        /Only an Auth Token is set\. The Auth Token cannot sign Access Tokens \(Twilio answers 20107\): create an API Key in the Twilio Console and set its SID and secret\.$/,
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
    const { createAccessToken, videoGrant } = await import('../../src/index.js');
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

describe('the Auth Token is not an API Key secret', () => {
  const { accountSid, apiKeySid } = credentials;
  const authToken = 'Zq7x2KvW9mLp4RtY8sNb3HdF6gJc5Aex';
  test.each(['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN'])(
    'a secret equal to %s in the same environment: ERR_INVALID_CREDENTIALS, echoing neither',
    (name) => {
      for (const [keyName, secretName] of [
        ['TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET'],
        ['API_KEY', 'API_SECRET'],
      ] as const) {
        const env = {
          TWILIO_ACCOUNT_SID: accountSid,
          [keyName]: apiKeySid,
          [secretName]: authToken,
          [name]: authToken,
        };
        expectError(
          () => credentialsFromEnv(env),
          'ERR_INVALID_CREDENTIALS',
          'credentials.apiKeySecret',
          `Invalid credentials.apiKeySecret: expected an API Key secret in ${secretName}, received the value of ${name}, the Auth Token. The Auth Token cannot sign Access Tokens (Twilio answers 20107): create an API Key in the Twilio Console and set its SID and secret`,
        );
      }
    },
  );

  test('a different Auth Token beside the secret is fine', () => {
    const env = {
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_KEY_SID: apiKeySid,
      TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
      TWILIO_AUTH_TOKEN: authToken,
    };
    expect(credentialsFromEnv(env)).toEqual(credentials);
  });
});

describe('a secret shaped like an Auth Token (32 lower-case hex digits)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  test('warns once per process, with a type and a code, never the secret', async () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    const hexSecret = '0123456789abcdef0123456789abcdef';
    const other = 'fedcba9876543210fedcba9876543210';
    fresh.createAccessToken('a', fresh.videoGrant(), { credentials: { ...credentials, apiKeySecret: hexSecret } });
    fresh.createTokenMinter({ credentials: { ...credentials, apiKeySecret: other } });
    const token = fresh.createAccessToken('a', fresh.videoGrant(), {
      credentials: { ...credentials, apiKeySecret: other },
    });
    fresh.verifyAccessToken(token, { apiKeySecret: other });
    expect(emit).toHaveBeenCalledTimes(1);
    const [message, options] = emit.mock.calls[0] as [string, { type: string; code: string }];
    expect(options).toEqual({ type: 'TwilioAccessTokenWarning', code: 'TWILIO_SECRET_LOOKS_LIKE_AUTH_TOKEN' });
    expect(message).toMatch(/^The API Key secret looks like an Auth Token/);
    for (const secret of [hexSecret, other])
      for (const window of secretWindows(secret)) expect(message).not.toContain(window);
  });

  test.each([
    ['upper-case hex', '0123456789ABCDEF0123456789ABCDEF'],
    ['31 hex digits', '0123456789abcdef0123456789abcde'],
    ['a mixed-case secret as Twilio issues them', 'Zq7x2KvW9mLp4RtY8sNb3HdF6gJc5Aex'],
  ])('does not warn for %s', async (_name, apiKeySecret) => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    fresh.createAccessToken('a', fresh.videoGrant(), { credentials: { ...credentials, apiKeySecret } });
    expect(emit).not.toHaveBeenCalled();
  });

  test('works where process.emitWarning does not exist', async () => {
    vi.resetModules();
    const fresh = await import('../../src/index.js');
    const emitWarning = process.emitWarning;
    Object.defineProperty(process, 'emitWarning', { value: undefined, configurable: true, writable: true });
    try {
      expect(() =>
        fresh.createAccessToken('a', fresh.videoGrant(), {
          credentials: { ...credentials, apiKeySecret: '0123456789abcdef0123456789abcdef' },
        }),
      ).not.toThrow();
    } finally {
      process.emitWarning = emitWarning;
    }
  });
});

describe('credentials objects are read like every options object', () => {
  test('a misspelt key is named with the fix; any other unknown key only by its length', () => {
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: { ...credentials, apiSecret: 'x' } as never }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiSecret',
      'Invalid credentials.apiSecret: unknown option "apiSecret" (did you mean "apiKeySecret"?); known options: accountSid, apiKeySid, apiKeySecret',
    );
    expectError(
      () => createAccessToken('a', videoGrant(), { credentials: { ...credentials, authToken: 'x' } as never }),
      'ERR_INVALID_CREDENTIALS',
      'credentials',
      'Invalid credentials: unknown option (a key of 9 characters); known options: accountSid, apiKeySid, apiKeySecret',
    );
  });

  test('each property is read once (a getter cannot pass the check and sign with another value)', () => {
    let reads = 0;
    const tricky = {
      accountSid,
      apiKeySid,
      get apiKeySecret() {
        reads++;
        return reads === 1 ? apiKeySecret : ' changed ';
      },
    };
    const token = createAccessToken('a', videoGrant(), { credentials: tricky });
    expect(reads).toBe(1);
    expect(verifyAccessToken(token, { apiKeySecret }).grants.identity).toBe('a');
  });

  test('credentialsFromEnv reads each variable at most once, and refuses a non-object', () => {
    const reads = new Map<string, number>();
    const env = new Proxy(
      { TWILIO_ACCOUNT_SID: accountSid, TWILIO_API_KEY_SID: apiKeySid, TWILIO_API_KEY_SECRET: apiKeySecret } as Record<
        string,
        string
      >,
      {
        get(target, name: string) {
          reads.set(name, (reads.get(name) ?? 0) + 1);
          return target[name];
        },
      },
    );
    expect(credentialsFromEnv(env)).toEqual(credentials);
    expect(Math.max(...reads.values())).toBe(1);
    expectError(
      () => credentialsFromEnv(null as never),
      'ERR_INVALID_OPTION',
      'env',
      'Invalid env: expected an object of environment variables, received null',
    );
  });

  test('a Promise as the environment: "missing await?", not missing credentials', () => {
    const pending = Promise.resolve({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_KEY_SID: apiKeySid,
      TWILIO_API_KEY_SECRET: apiKeySecret,
    });
    expectError(
      () => credentialsFromEnv(pending as never),
      'ERR_INVALID_OPTION',
      'env',
      'Invalid env: expected an object of environment variables, received a Promise: missing await?',
    );
  });

  test('an environment whose reads throw is ERR_INVALID_OPTION, not a TypeError', () => {
    const env = new Proxy(
      {},
      {
        get() {
          throw new TypeError('no');
        },
      },
    );
    expectError(
      () => credentialsFromEnv(env),
      'ERR_INVALID_OPTION',
      'env',
      'Invalid env: expected an object of environment variables, received an object whose properties cannot be read',
    );
  });
});
