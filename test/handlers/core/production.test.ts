import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import type { TokenHandlerOptions, TokenRequest } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createLambdaHandler } from '../../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import { AccessTokenError, syncGrant, verifyAccessToken, videoGrant, voiceGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { adapters, closeServers, LAMBDA_CONTEXT, type TestResponse, WORKER_CTX, WORKER_ENV } from '../adapters.js';

// Section 8 of the contract, over every adapter: the platform's own objects reach the hooks, the
// hook-outcome table, credentials as a function, CORS allowHeaders, nesting limits, hook timeouts.

afterAll(closeServers);
afterEach(() => vi.restoreAllMocks());

const JSON_TYPE = { 'content-type': 'application/json' };

const base = (extra: Partial<TokenHandlerOptions> = {}): TokenHandlerOptions => ({
  credentials,
  identify: trustClientIdentity(),
  grants: videoGrant(),
  onError: vi.fn(),
  ...extra,
});

function errorCode(response: TestResponse): string {
  return (JSON.parse(response.body) as { error: { code: string } }).error.code;
}

function expectJsonError(response: TestResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(errorCode(response)).toBe(code);
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe.each(adapters)('$name', (adapter) => {
  const send = (options: TokenHandlerOptions, request: Parameters<ReturnType<typeof adapter.create>>[0] = {}) =>
    adapter.create(options)({ method: 'POST', headers: JSON_TYPE, body: '{"identity":"alice"}', ...request });

  test('fixed grants are captured when the handler is created: later changes to the array change no token', async () => {
    const grants: unknown[] = [videoGrant({ room: 'lobby' })];
    const handler = adapter.create(base({ identify: () => 'alice', grants: grants as never }));
    const request = { method: 'POST', headers: JSON_TYPE, body: '{}' };
    grants[0] = voiceGrant({ incomingAllow: true });
    grants.push(syncGrant());
    const first = await handler(request);
    expect(first.status).toBe(200);
    const payload = verifyAccessToken((JSON.parse(first.body) as { token: string }).token, {
      apiKeySecret: credentials.apiKeySecret,
    });
    expect(payload.grants).toEqual({ identity: 'alice', video: { room: 'lobby' } });
    grants[0] = {};
    grants.length = 0;
    const second = await handler(request);
    expect(second.status).toBe(200);
  });

  test('fixed grants are validated when the handler is created', () => {
    expect(() => adapter.create(base({ grants: [videoGrant(), {}] as never }))).toThrow(
      'Invalid grants[1]: expected a grant from a factory such as videoGrant(), received an object',
    );
    expect(() => adapter.create(base({ grants: [] as never }))).toThrow(AccessTokenError);
  });

  test('identify sees the platform objects of this adapter', async () => {
    let seen: TokenRequest | undefined;
    const response = await send(
      base({
        identify: (request) => {
          seen = request;
          return 'alice';
        },
      }),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(seen!.platform as object).sort()).toEqual([...adapter.platform].sort());
    const platform = seen!.platform as Record<string, unknown>;
    if (adapter.platform.includes('env')) {
      expect(platform.env).toBe(WORKER_ENV);
      expect(platform.ctx).toBe(WORKER_CTX);
      expect(platform.request).toBeInstanceOf(Request);
    }
    if (adapter.platform.includes('req')) {
      expect(typeof (platform.req as { on: unknown }).on).toBe('function');
      expect(typeof (platform.res as { writeHead: unknown }).writeHead).toBe('function');
    }
    if (adapter.name.startsWith('lambda')) {
      expect(platform.context).toBe(LAMBDA_CONTEXT);
      expect(platform.event).toHaveProperty('body');
    }
    if (adapter.name.startsWith('twilio')) {
      expect(platform.event).toMatchObject({ identity: 'alice' });
      expect(platform.context).toHaveProperty('DOMAIN_NAME');
    }
  });

  describe('hook outcomes', () => {
    test.each([
      ['null', null],
      ['undefined', undefined],
      ['false', false],
      ["''", ''],
    ])('identify returning %s: 401, onError not called', async (_name, value) => {
      const onError = vi.fn();
      const response = await send(base({ identify: () => value as never, onError }));
      expectJsonError(response, 401, 'ERR_UNAUTHORIZED');
      expect(onError).not.toHaveBeenCalled();
    });

    test.each([
      ['a number', 42],
      ['an object', { id: 'alice' }],
      ['true', true],
      ['a Promise of a number', Promise.resolve(7)],
    ])('identify returning %s: a server bug, 500 and onError', async (_name, value) => {
      const onError = vi.fn();
      const response = await send(base({ identify: () => value as never, onError }));
      expectJsonError(response, 500, 'ERR_INTERNAL');
      expect(onError).toHaveBeenCalledTimes(1);
      expect(String(onError.mock.calls[0]![0])).toMatch(/identify returned a/);
    });

    test.each([
      ['a string', 'video'],
      ['an object', { video: {} }],
      ['an array holding a non-grant', [videoGrant(), { product: 'voice' }]],
      ['undefined', undefined],
    ])('a grants function returning %s: 500 and onError', async (_name, value) => {
      const onError = vi.fn();
      const response = await send(base({ grants: () => value as never, onError }));
      expectJsonError(response, 500, 'ERR_INTERNAL');
      expect(onError).toHaveBeenCalledTimes(1);
      expect(String(onError.mock.calls[0]![0])).toMatch(/not a grant/);
    });

    test('an AccessTokenError thrown in grants (a missing environment variable) is a 400 that reaches onError', async () => {
      const onError = vi.fn();
      const response = await send(
        base({ grants: () => videoGrant({ room: process.env.NO_SUCH_ROOM_VARIABLE as string }), onError }),
      );
      expectJsonError(response, 400, 'ERR_INVALID_GRANT');
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]![0]).toBeInstanceOf(AccessTokenError);
      expect((onError.mock.calls[0]![1] as TokenRequest).params.identity).toBe('alice');
    });

    test('an AccessTokenError thrown in identify is a 400 with its code, and reaches onError', async () => {
      const onError = vi.fn();
      const thrown = new AccessTokenError(
        'ERR_INVALID_IDENTITY',
        'Invalid identity: expected x, received y',
        'identity',
      );
      const response = await send(
        base({
          identify: () => {
            throw thrown;
          },
          onError,
        }),
      );
      expectJsonError(response, 400, 'ERR_INVALID_IDENTITY');
      expect(onError).toHaveBeenCalledWith(thrown, expect.objectContaining({ method: expect.any(String) }));
    });

    test('a hook that never settles: 500 after hookTimeout, and onError', async () => {
      const onError = vi.fn();
      const response = await send(base({ identify: () => new Promise<never>(() => {}), hookTimeout: 50, onError }));
      expectJsonError(response, 500, 'ERR_INTERNAL');
      expect(String(onError.mock.calls[0]![0])).toMatch(/identify hook did not settle within 50 ms/);
    });
  });

  describe('credentials as a function of the request', () => {
    test('sync and async results sign the token, and the function sees the request', async () => {
      for (const make of [() => credentials, async () => credentials]) {
        const seen = vi.fn(make);
        const response = await send(base({ credentials: seen }));
        expect(response.status).toBe(200);
        const { token } = JSON.parse(response.body) as { token: string };
        expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).iss).toBe(credentials.apiKeySid);
        expect((seen.mock.calls[0] as unknown as [TokenRequest])[0].params.identity).toBe('alice');
      }
    });

    test('an invalid result is a 500 that reaches onError, without the secret anywhere', async () => {
      const onError = vi.fn();
      const secret = 'super-secret-value-123';
      const response = await send(
        base({ credentials: () => ({ ...credentials, apiKeySid: secret, apiKeySecret: secret }), onError }),
      );
      expectJsonError(response, 500, 'ERR_INTERNAL');
      expect(response.body).not.toContain('secret-value');
      expect((onError.mock.calls[0]![0] as AccessTokenError).code).toBe('ERR_INVALID_CREDENTIALS');
      expect(String(onError.mock.calls[0]![0])).not.toContain('secret-value');
    });

    test('a rejecting function is a 500', async () => {
      const onError = vi.fn();
      const response = await send(base({ credentials: () => Promise.reject(new Error('vault down')), onError }));
      expectJsonError(response, 500, 'ERR_INTERNAL');
      expect(response.body).not.toContain('vault');
      expect(onError).toHaveBeenCalledTimes(1);
    });
  });

  test('a body nested deeper than 64 levels: 400 ERR_BAD_REQUEST, never a 500', async () => {
    const onError = vi.fn();
    const body = JSON.stringify({ identity: 'alice', deep: nested(70) });
    const response = await send(base({ onError }), { body });
    expectJsonError(response, 400, 'ERR_BAD_REQUEST');
    expect(onError).not.toHaveBeenCalled();
    // 63 levels under the top object are fine.
    expect((await send(base(), { body: JSON.stringify({ identity: 'alice', deep: nested(62) }) })).status).toBe(200);
  });

  test('a failing onError does not change the answer', async () => {
    const response = await send(
      base({
        identify: () => {
          throw new Error('boom');
        },
        onError: () => {
          throw new Error('logger down');
        },
      }),
    );
    expectJsonError(response, 500, 'ERR_INTERNAL');
  });
});

describe.each(adapters.filter((a) => a.http))('$name: CORS preflight', (adapter) => {
  test('allowHeaders extends Access-Control-Allow-Headers', async () => {
    const handler = adapter.create(
      base({ cors: { origins: ['https://app.example.com'], allowHeaders: ['X-Passcode'] } }),
    );
    const response = await handler({ method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-headers']).toBe('Authorization, Content-Type, X-Passcode');
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(response.headers.vary).toBe('Origin');
  });
});

describe('every handler factory validates CORS origins and header names at creation', () => {
  const factories: ((options: never) => unknown)[] = [
    createFetchHandler,
    createExpressHandler,
    createLambdaHandler,
    createTwilioFunction,
  ];
  test.each([
    ['a trailing slash', 'https://app.example.com/'],
    ['a path', 'https://app.example.com/login'],
    ['a wildcard subdomain', 'https://*.example.com'],
    ["'null'", 'null'],
    ['upper case', 'https://App.example.com'],
    ['a default port browsers omit', 'https://app.example.com:443'],
    ['no scheme', 'app.example.com'],
    ['an empty string', ''],
  ])('refuses %s with ERR_INVALID_OPTION at options.cors.origins[1]', (_name, origin) => {
    for (const create of factories) {
      let thrown: unknown;
      try {
        create(base({ cors: { origins: ['https://ok.example.com', origin] } }) as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AccessTokenError);
      expect((thrown as AccessTokenError).code).toBe('ERR_INVALID_OPTION');
      expect((thrown as AccessTokenError).path).toBe('options.cors.origins[1]');
      expect((thrown as AccessTokenError).message).toMatch(/expected an exact origin, scheme:\/\/host\[:port\]/);
    }
  });

  test.each([
    ['http with a port', 'http://localhost:5173'],
    ['an IPv6 host', 'http://[::1]:8080'],
    ['a custom scheme (Capacitor, Ionic)', 'capacitor://localhost'],
  ])('accepts %s', (_name, origin) => {
    for (const create of factories) expect(() => create(base({ cors: { origins: [origin] } }) as never)).not.toThrow();
  });

  test.each([
    ['a header with a space', 'X Passcode'],
    ['a non-string', 42],
  ])('refuses allowHeaders with %s', (_name, header) => {
    expect(() => createFetchHandler(base({ cors: { origins: '*', allowHeaders: [header as string] } }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: 'options.cors.allowHeaders[0]' }),
    );
  });

  test.each([
    ['bodyTimeout', 0],
    ['hookTimeout', 1.5],
  ])('refuses %s %s', (key, value) => {
    expect(() => createExpressHandler(base({ [key]: value }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: `options.${key}` }),
    );
  });
});

describe('the default onError', () => {
  test('logs a 500 with console.error as name, code, message and stack only', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const leaky = Object.assign(new Error('upstream failed'), {
      code: 'ECONNRESET',
      config: { headers: { Authorization: 'Bearer do-not-log-me' } },
    });
    const handler = createLambdaHandler({
      credentials,
      identify: () => {
        throw leaky;
      },
      grants: videoGrant(),
    });
    const result = await handler({ httpMethod: 'GET', headers: {} });
    expect(result.statusCode).toBe(500);
    expect(error).toHaveBeenCalledTimes(1);
    const printed = error.mock.calls[0]!.map(String).join(' ');
    expect(printed).toContain('[twilio-access-token] token request answered 500: Error [ECONNRESET]: upstream failed');
    expect(printed).toMatch(/\n {4}at /);
    expect(printed).not.toContain('do-not-log-me');
    expect(printed).not.toContain('config');
  });

  test('logs a 400 caused inside a hook with console.warn', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createLambdaHandler({
      credentials,
      identify: () => 'alice',
      grants: () => videoGrant({ room: '' }),
    });
    expect((await handler({ httpMethod: 'GET', headers: {} })).statusCode).toBe(400);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /answered 400: AccessTokenError \[ERR_INVALID_GRANT\]: Invalid grants\.video\.room/,
    );
    expect(error).not.toHaveBeenCalled();
  });

  test('describes a thrown non-Error by type and length only', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createLambdaHandler({
      credentials,
      identify: () => {
        throw 'a-secret-string-thrown';
      },
      grants: videoGrant(),
    });
    await handler({ httpMethod: 'GET', headers: {} });
    const line = String(error.mock.calls[0]![0]);
    expect(line).toContain('a thrown value that is not an Error: a string of 22 characters');
    expect(line).not.toContain('secret');
  });
});
