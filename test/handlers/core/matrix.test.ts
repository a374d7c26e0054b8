import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import type { TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createLambdaHandler } from '../../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import { chatGrant, verifyAccessToken, videoGrant, voiceGrant } from '../../../src/index.js';
import { clearCredentialEnv, credentials, sid } from '../../helpers.js';
import { adapters, closeServers, type TestRequest, type TestResponse } from '../adapters.js';

afterAll(closeServers);
afterEach(() => vi.unstubAllEnvs());

const secret = credentials.apiKeySecret;
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

const base = (extra: Partial<TokenHandlerOptions> = {}): TokenHandlerOptions => ({
  credentials,
  identify: trustClientIdentity(),
  grants: (request) => [
    videoGrant(typeof request.params.room === 'string' ? { room: request.params.room } : {}),
    voiceGrant({ incomingAllow: true }),
  ],
  onError: vi.fn(),
  ...extra,
});

function json(response: TestResponse): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

function expectCommon(response: TestResponse) {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).not.toContain(secret);
}

function expectError(response: TestResponse, status: number, code: string) {
  expectCommon(response);
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = json(response);
  expect(Object.keys(body)).toEqual(['error']);
  expect((body.error as { code: string }).code).toBe(code);
  expect(typeof (body.error as { message: string }).message).toBe('string');
}

function expectToken(response: TestResponse, identity: string, grants: Record<string, unknown>) {
  expectCommon(response);
  expect(response.status).toBe(200);
  const body = json(response);
  expect(Object.keys(body)).toEqual(['token', 'identity', 'ttl', 'expiresAt']);
  expect(body.identity).toBe(identity);
  expect(body.ttl).toBe(3600);
  const payload = verifyAccessToken(body.token as string, { apiKeySecret: secret });
  expect(payload.grants).toEqual({ identity, ...grants });
  expect(body.expiresAt).toBe(new Date(payload.exp * 1000).toISOString());
  expect(payload.exp - payload.iat!).toBe(3600);
}

const VIDEO_VOICE = { video: {}, voice: { incoming: { allow: true } } };

describe.each(adapters)('$name', (adapter) => {
  const send = (request: TestRequest, options = base()) => adapter.create(options)(request);

  test('GET with the identity in the query: 200 with token, identity, ttl, expiresAt', async () => {
    expectToken(await send({ method: 'GET', query: { identity: 'alice', room: 'r1' } }), 'alice', {
      ...VIDEO_VOICE,
      video: { room: 'r1' },
    });
  });

  test('POST with a JSON body', async () => {
    expectToken(
      await send({ method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ identity: 'bob 😀' }) }),
      'bob 😀',
      VIDEO_VOICE,
    );
  });

  test('POST with a form body', async () => {
    expectToken(
      await send({ method: 'POST', headers: FORM_TYPE, body: 'identity=carol+smith&room=a%26b' }),
      'carol smith',
      { ...VIDEO_VOICE, video: { room: 'a&b' } },
    );
  });

  test('POST with a JSON body as bytes (base64 on Lambda)', async () => {
    expectToken(
      await send({ method: 'POST', headers: JSON_TYPE, body: Buffer.from(JSON.stringify({ identity: 'dave' })) }),
      'dave',
      VIDEO_VOICE,
    );
  });

  test('the body wins over the query', async () => {
    expectToken(
      await send({ method: 'POST', query: { identity: 'query' }, headers: JSON_TYPE, body: '{"identity":"body"}' }),
      'body',
      VIDEO_VOICE,
    );
  });

  test('an empty JSON body is {} (no identity: 401)', async () => {
    expectError(await send({ method: 'POST', headers: JSON_TYPE, body: '' }), 401, 'ERR_UNAUTHORIZED');
  });

  test('another content type leaves the body {} (query still read)', async () => {
    expectToken(
      await send({
        method: 'POST',
        query: { identity: 'q' },
        headers: { 'content-type': 'text/plain' },
        body: 'identity=ignored',
      }),
      'q',
      VIDEO_VOICE,
    );
  });

  test('a body over 16 KiB: 413 ERR_PAYLOAD_TOO_LARGE, with CORS', async () => {
    const response = await send({
      method: 'POST',
      headers: { ...JSON_TYPE, origin: 'https://app.example' },
      body: JSON.stringify({ identity: 'a', pad: 'x'.repeat(16 * 1024) }),
    });
    expectError(response, 413, 'ERR_PAYLOAD_TOO_LARGE');
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  test('a body of exactly 16 KiB is read', async () => {
    const body = JSON.stringify({ identity: 'edge', pad: '' });
    const padded = JSON.stringify({ identity: 'edge', pad: 'x'.repeat(16 * 1024 - body.length) });
    expect(Buffer.byteLength(padded)).toBe(16 * 1024);
    expect((await send({ method: 'POST', headers: JSON_TYPE, body: padded })).status).toBe(200);
  });

  test('identify returning null: 401 ERR_UNAUTHORIZED, with CORS', async () => {
    const response = await send({ query: { identity: 'a' } }, base({ identify: () => null }));
    expectError(response, 401, 'ERR_UNAUTHORIZED');
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  test('identify throwing: 500 with the fixed message and nothing from the error', async () => {
    const onError = vi.fn();
    const response = await send(
      { query: { identity: 'a' } },
      base({
        onError,
        identify: () => {
          throw new Error(`database down; secret ${secret}; stack please`);
        },
      }),
    );
    expectError(response, 500, 'ERR_INTERNAL');
    expect(json(response)).toEqual({
      error: { code: 'ERR_INTERNAL', message: 'The token could not be issued because of a server error' },
    });
    expect(response.body).not.toMatch(/database|stack|at /);
    expect(onError).toHaveBeenCalledTimes(1);
    expect((onError.mock.calls[0]![0] as Error).message).toMatch(/database down/);
  });

  test('identify returning an invalid identity: 400 ERR_INVALID_IDENTITY', async () => {
    expectError(await send({ query: { identity: 'a\nb' } }), 400, 'ERR_INVALID_IDENTITY');
  });

  test('a grants function building an invalid grant from the request: 400 with that code', async () => {
    const response = await send(
      { query: { identity: 'a' } },
      base({ grants: (request) => chatGrant({ serviceSid: String(request.params.service ?? 'none') }) }),
    );
    expectError(response, 400, 'ERR_INVALID_GRANT');
    expect((json(response).error as { message: string }).message).toMatch(/grants\.chat\.serviceSid/);
  });

  test('a grants function returning duplicates: 400 ERR_DUPLICATE_GRANT', async () => {
    expectError(
      await send({ query: { identity: 'a' } }, base({ grants: () => [videoGrant(), videoGrant()] })),
      400,
      'ERR_DUPLICATE_GRANT',
    );
  });

  test('a grants function returning no grants: 400 ERR_NO_GRANTS', async () => {
    expectError(await send({ query: { identity: 'a' } }, base({ grants: () => [] })), 400, 'ERR_NO_GRANTS');
  });

  test('an origin outside the allowlist gets no ACAO, but Vary: Origin', async () => {
    const response = await send(
      { query: { identity: 'a' }, headers: { origin: 'https://evil.example' } },
      base({ cors: { origins: ['https://app.example'] } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers.vary).toMatch(/Origin/);
  });

  test('an allowed origin with credentials gets ACAO equal to it and ACAC true', async () => {
    const response = await send(
      { query: { identity: 'a' }, headers: { origin: 'https://app.example' } },
      base({ cors: { origins: ['https://other.example', 'https://app.example'], credentials: true } }),
    );
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
  });

  test('cors: false sends no CORS headers', async () => {
    const response = await send(
      { query: { identity: 'a' }, headers: { origin: 'https://app.example' } },
      base({ cors: false }),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  test('credentials missing from the environment: 500 ERR_INTERNAL', async () => {
    clearCredentialEnv();
    const { credentials: _, ...options } = base();
    expectError(await send({ query: { identity: 'a' } }, options), 500, 'ERR_INTERNAL');
  });

  test('credentials from the environment', async () => {
    vi.stubEnv('TWILIO_ACCOUNT_SID', credentials.accountSid);
    vi.stubEnv('TWILIO_API_KEY_SID', credentials.apiKeySid);
    vi.stubEnv('TWILIO_API_KEY_SECRET', credentials.apiKeySecret);
    const { credentials: _, ...options } = base();
    expectToken(await send({ query: { identity: 'env' } }, options), 'env', VIDEO_VOICE);
  });
});

// Platforms that pass the method and the raw body through; the Twilio Functions runtime parses
// bodies and answers OPTIONS itself, so these do not apply to it.
describe.each(adapters.filter((adapter) => adapter.http))('$name (HTTP method and raw body)', (adapter) => {
  const send = (request: TestRequest, options = base()) => adapter.create(options)(request);

  test('malformed JSON: 400 ERR_BAD_REQUEST', async () => {
    expectError(await send({ method: 'POST', headers: JSON_TYPE, body: '{"identity":' }), 400, 'ERR_BAD_REQUEST');
  });

  test('a JSON body that is not an object: 400 ERR_BAD_REQUEST', async () => {
    expectError(await send({ method: 'POST', headers: JSON_TYPE, body: '["alice"]' }), 400, 'ERR_BAD_REQUEST');
  });

  test('a malformed form body: 400 ERR_BAD_REQUEST', async () => {
    expectError(await send({ method: 'POST', headers: FORM_TYPE, body: 'identity=%zz' }), 400, 'ERR_BAD_REQUEST');
  });

  test.each(['PUT', 'DELETE', 'PATCH'])('%s: 405 with Allow', async (method) => {
    const response = await send({ method, query: { identity: 'a' } });
    expectError(response, 405, 'ERR_METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('GET, POST, OPTIONS');
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  test('OPTIONS preflight: 204 with CORS', async () => {
    const response = await send(
      {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      },
      base({ cors: { origins: ['https://app.example'], maxAge: 600 } }),
    );
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(response.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(response.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(response.headers['access-control-allow-headers']).toMatch(/Content-Type/);
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(response.headers.vary).toMatch(/Origin/);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('every handler factory refuses bad static configuration at creation', () => {
  const factories = [createFetchHandler, createExpressHandler, createLambdaHandler, createTwilioFunction] as ((
    o: TokenHandlerOptions,
  ) => unknown)[];
  test.each<[string, Partial<TokenHandlerOptions> & Record<string, unknown>, string, string]>([
    [
      "origins '*' with credentials: true",
      { cors: { origins: '*', credentials: true } },
      'ERR_INVALID_OPTION',
      'options.cors.credentials',
    ],
    ['a ttl of 90000', { ttl: 90_000 }, 'ERR_INVALID_OPTION', 'options.ttl'],
    ['a bad region', { region: 'EU' }, 'ERR_INVALID_OPTION', 'options.region'],
    [
      'an Account SID as the API Key SID',
      { credentials: { ...credentials, apiKeySid: credentials.accountSid } },
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
    ],
    ['no identify', { identify: undefined as never }, 'ERR_INVALID_OPTION', 'options.identify'],
    ['static grants that are not grants', { grants: [{ video: {} }] as never }, 'ERR_INVALID_GRANT', 'grants[0]'],
    ['no grants', { grants: [] }, 'ERR_NO_GRANTS', 'grants'],
    [
      'origins that are not a list',
      { cors: { origins: 'https://app.example' as never } },
      'ERR_INVALID_OPTION',
      'options.cors.origins',
    ],
    ['an unknown option', { identity: 'alice' }, 'ERR_INVALID_OPTION', 'options.identity'],
  ])('%s', (_name, patch, code, path) => {
    for (const factory of factories) {
      expect(() => factory({ ...base(), ...patch } as TokenHandlerOptions)).toThrow(
        expect.objectContaining({ code, path }),
      );
    }
  });

  test('accepts static grants, and validates them when the handler is created', () => {
    for (const factory of factories) {
      expect(typeof factory(base({ grants: [videoGrant(), chatGrant({ serviceSid: sid('IS') })] }))).toBe('function');
      expect(() => factory(base({ grants: [videoGrant(), videoGrant()] }))).toThrow(
        expect.objectContaining({ code: 'ERR_DUPLICATE_GRANT', path: 'grants' }),
      );
      expect(() => factory(base({ grants: [] }))).toThrow(expect.objectContaining({ code: 'ERR_NO_GRANTS' }));
      expect(() => factory(base({ grants: { product: 'video' } as never }))).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_GRANT' }),
      );
    }
  });
});
