import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import type { DeniedEvent, IssuedEvent, TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { AccessTokenError, createKeyring, videoGrant, voiceGrant } from '../../../src/index.js';
import { arbSecret, credentials, secretWindows, sid } from '../../helpers.js';
import { adapters, closeServers, type TestRequest, type TestResponse } from '../adapters.js';

// The endpoint guards over every adapter: rateLimit's 429 (Retry-After, CORS, no-store) and its
// fail-closed 500s, onIssued's audit event and its failures, onDenied on every refusal, and the
// diagnostics channels of the Node adapters.

afterAll(closeServers);
afterEach(() => vi.restoreAllMocks());

const JSON_TYPE = { 'content-type': 'application/json', origin: 'https://app.example.com', 'user-agent': 'guards/1' };
const ALICE: TestRequest = { method: 'POST', headers: JSON_TYPE, body: '{"identity":"alice"}' };

const base = (extra: Partial<TokenHandlerOptions> = {}): TokenHandlerOptions => ({
  credentials,
  identify: trustClientIdentity(),
  grants: [videoGrant(), voiceGrant({ incomingAllow: true })],
  onError: vi.fn(),
  ...extra,
});

const bodyOf = (r: TestResponse) =>
  JSON.parse(r.body) as { token?: string; expiresAt?: string; error?: { code: string } };
const tokenId = (token: string) =>
  createHash('sha256')
    .update(token.split('.')[2] as string)
    .digest('base64url');

/** Collects what the two channels publish while `run` runs. */
async function listen<T>(run: () => Promise<T>): Promise<{ result: T; issued: unknown[]; denied: unknown[] }> {
  const issued: unknown[] = [];
  const denied: unknown[] = [];
  const onIssued = (m: unknown) => issued.push(m);
  const onDenied = (m: unknown) => denied.push(m);
  subscribe('twilio-access-token:issued', onIssued);
  subscribe('twilio-access-token:denied', onDenied);
  try {
    return { result: await run(), issued, denied };
  } finally {
    unsubscribe('twilio-access-token:issued', onIssued);
    unsubscribe('twilio-access-token:denied', onDenied);
  }
}

function expect429(response: TestResponse, retryAfter: string) {
  expect(response.status).toBe(429);
  expect(response.headers['retry-after']).toBe(retryAfter);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(response.headers['access-control-expose-headers']).toBe('Retry-After');
  expect(bodyOf(response).error?.code).toBe('ERR_RATE_LIMITED');
  expect(response.body).not.toContain('"token"');
}

function expect500(response: TestResponse, onError: unknown) {
  expect(response.status).toBe(500);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(bodyOf(response).error?.code).toBe('ERR_INTERNAL');
  expect(response.body).not.toContain('"token"');
  expect(onError).toHaveBeenCalledTimes(1);
}

describe.each(adapters)('$name', (adapter) => {
  const expectedCaller = () => ({
    ...(adapter.ip === undefined ? {} : { ip: adapter.ip }),
    origin: 'https://app.example.com',
    userAgent: 'guards/1',
  });

  test('identify, then rateLimit, then the grants, the signature and onIssued, then the 200', async () => {
    const order: string[] = [];
    const handler = adapter.create(
      base({
        identify: () => {
          order.push('identify');
          return 'alice';
        },
        rateLimit: ({ identity, ip, request }) => {
          order.push('rateLimit');
          expect(identity).toBe('alice');
          expect(ip).toBe(adapter.ip);
          expect(request.ip).toBe(adapter.ip);
          return true;
        },
        grants: () => {
          order.push('grants');
          return videoGrant();
        },
        onIssued: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push('onIssued');
        },
      }),
    );
    const response = await handler(ALICE);
    expect(response.status).toBe(200);
    expect(order).toEqual(['identify', 'rateLimit', 'grants', 'onIssued']);
  });

  test.each([
    ['false', false, '60'],
    ['{ retryAfter: 30 }', { retryAfter: 30 }, '30'],
    ['{ msBeforeNext: 1200 } (rounded up to seconds)', { msBeforeNext: 1200 }, '2'],
    ['{ msBeforeNext: 0 } (at least a second)', { msBeforeNext: 0 }, '1'],
    ['a Promise of { retryAfter: 86400 }', Promise.resolve({ retryAfter: 86400 }), '86400'],
  ])(
    'rateLimit %s: 429 ERR_RATE_LIMITED with Retry-After, CORS and no-store, told to onDenied',
    async (_n, verdict, after) => {
      const onDenied = vi.fn();
      const grants = vi.fn(() => videoGrant());
      const options = base({ rateLimit: () => verdict as never, onDenied, grants });
      const { result, denied } = await listen(() => adapter.create(options)(ALICE));
      expect429(result, after);
      expect(grants).not.toHaveBeenCalled();
      expect(options.onError).not.toHaveBeenCalled();
      const event = { status: 429, code: 'ERR_RATE_LIMITED', identity: 'alice', ...expectedCaller() };
      expect(onDenied).toHaveBeenCalledWith(event);
      expect(denied).toEqual(adapter.channels ? [event] : []);
    },
  );

  test.each([
    [
      'throws',
      () => {
        throw new Error('redis is down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('redis is down'))],
    ['returns undefined', () => undefined],
    ['returns a number', () => 0],
    ['returns a string', () => 'no'],
    ['returns { retryAfter: NaN }', () => ({ retryAfter: Number.NaN })],
    ['returns { retryAfter: 0 }', () => ({ retryAfter: 0 })],
    ['returns { retryAfter: -1 }', () => ({ retryAfter: -1 })],
    ['returns milliseconds, { retryAfter: 90000 }', () => ({ retryAfter: 90_000 })],
    ['returns { retryAfter: Infinity }', () => ({ retryAfter: Number.POSITIVE_INFINITY })],
    ['returns { retryAfter: "5" }', () => ({ retryAfter: '5' })],
    ['returns { retryAfter: 5, extra: 1 }', () => ({ retryAfter: 5, extra: 1 })],
    ['returns { retryAfter: 1.2 } (seconds are whole)', () => ({ retryAfter: 1.2 })],
    ['returns { retryAfter: 5, msBeforeNext: 5000 } (both)', () => ({ retryAfter: 5, msBeforeNext: 5000 })],
    ['returns { msBeforeNext: -1 }', () => ({ msBeforeNext: -1 })],
    ['returns { msBeforeNext: "500" }', () => ({ msBeforeNext: '500' })],
  ])('rateLimit %s: 500 ERR_INTERNAL and onError, no token (fail closed)', async (_n, rateLimit) => {
    const onIssued = vi.fn();
    const options = base({ rateLimit: rateLimit as never, onIssued });
    const response = await adapter.create(options)(ALICE);
    expect500(response, options.onError);
    expect(onIssued).not.toHaveBeenCalled();
  });

  test('a verdict with a getter is read once', async () => {
    const get = vi.fn(() => 5);
    const verdict = Object.defineProperty({}, 'retryAfter', { get, enumerable: true });
    expect429(await adapter.create(base({ rateLimit: () => verdict as { retryAfter: number } }))(ALICE), '5');
    expect(get).toHaveBeenCalledTimes(1);
  });

  test('rateLimit still pending after rateLimitTimeout: 500 and onError', async () => {
    const options = base({ rateLimit: () => new Promise(() => {}), rateLimitTimeout: 50 });
    expect500(await adapter.create(options)(ALICE), options.onError);
  });

  test.each([
    [
      'throws',
      () => {
        throw new Error('audit store is down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('audit store is down'))],
    ['stays pending past hookTimeout', () => new Promise(() => {})],
  ])('onIssued %s: 500 and onError, the token never leaves', async (_n, onIssued) => {
    const options = base({ onIssued: onIssued as never, hookTimeout: 50 });
    const { result, issued } = await listen(() => adapter.create(options)(ALICE));
    expect500(result, options.onError);
    expect(issued).toEqual([]);
  });

  test('the issued event: identity, products, the signing key, ttl, expiresAt, tokenId, caller; the channel gets the same', async () => {
    const onIssued = vi.fn();
    const options = base({ onIssued, ttl: 600, region: 'ie1' });
    const { result, issued } = await listen(() => adapter.create(options)(ALICE));
    expect(result.status).toBe(200);
    const { token, expiresAt } = bodyOf(result) as { token: string; expiresAt: string };
    const event: IssuedEvent = {
      identity: 'alice',
      products: ['video', 'voice'],
      apiKeySid: credentials.apiKeySid,
      region: 'ie1',
      ttl: 600,
      expiresAt,
      tokenId: tokenId(token),
      ...expectedCaller(),
    };
    expect(onIssued).toHaveBeenCalledTimes(1);
    expect(onIssued.mock.calls[0]?.[0]).toStrictEqual(event);
    expect(Object.isFrozen(onIssued.mock.calls[0]?.[0])).toBe(true);
    expect(issued).toEqual(adapter.channels ? [event] : []);
  });

  test('apiKeySid is the key the keyring picked for this token, not the first key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const keyring = createKeyring({
      accountSid: credentials.accountSid,
      keys: [
        { apiKeySid: sid('SK', '1'), apiKeySecret: 'the-old-key-secret-0123456789' },
        { apiKeySid: sid('SK', '2'), apiKeySecret: 'the-new-key-secret-0123456789', signFrom: now - 60 },
      ],
    });
    const onIssued = vi.fn();
    const response = await adapter.create(base({ credentials: keyring, onIssued }))(ALICE);
    expect(response.status).toBe(200);
    expect(onIssued.mock.calls[0]?.[0]).toMatchObject({ apiKeySid: sid('SK', '2') });
  });

  test('onDenied: a 401 without identity, a 400 with it, each with the caller; the channel gets the same', async () => {
    const onDenied = vi.fn();
    const { denied } = await listen(async () => {
      const unauthorized = await adapter.create(base({ identify: () => null, onDenied }))(ALICE);
      expect(unauthorized.status).toBe(401);
      const bad = await adapter.create(base({ grants: () => [videoGrant(), videoGrant()], onDenied }))(ALICE);
      expect(bad.status).toBe(400);
    });
    const events = [
      { status: 401, code: 'ERR_UNAUTHORIZED', ...expectedCaller() },
      { status: 400, code: 'ERR_DUPLICATE_GRANT', identity: 'alice', ...expectedCaller() },
    ];
    expect(onDenied.mock.calls.map((c) => c[0])).toEqual(events);
    expect(denied).toEqual(adapter.channels ? events : []);
  });

  test('onDenied: an invalid identity is not named in the event', async () => {
    const onDenied = vi.fn();
    const response = await adapter.create(base({ identify: () => `a\nb${'x'.repeat(40)}`, onDenied }))(ALICE);
    expect(response.status).toBe(400);
    expect(onDenied.mock.calls[0]?.[0]).toEqual({ status: 400, code: 'ERR_INVALID_IDENTITY', ...expectedCaller() });
  });

  if (adapter.http)
    test('onDenied: a 405, a malformed body and a body too large', async () => {
      const onDenied = vi.fn();
      const handler = adapter.create(base({ onDenied }));
      expect((await handler({ method: 'PUT', headers: JSON_TYPE })).status).toBe(405);
      expect((await handler({ method: 'POST', headers: JSON_TYPE, body: '{"identity":' })).status).toBe(400);
      expect((await handler({ method: 'POST', headers: JSON_TYPE, body: `"${'x'.repeat(20_000)}"` })).status).toBe(413);
      expect(onDenied.mock.calls.map((c) => (c[0] as DeniedEvent).code)).toEqual([
        'ERR_METHOD_NOT_ALLOWED',
        'ERR_BAD_REQUEST',
        'ERR_PAYLOAD_TOO_LARGE',
      ]);
      for (const [event] of onDenied.mock.calls) expect(event).toMatchObject(expectedCaller());
    });

  test.each([
    [
      'throws',
      () => {
        throw new Error('logger down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('logger down'))],
  ])('onDenied %s: the answer is unchanged, onError is told', async (_n, onDenied) => {
    const options = base({ identify: () => null, onDenied: onDenied as never });
    const response = await adapter.create(options)(ALICE);
    expect(response.status).toBe(401);
    expect(bodyOf(response).error?.code).toBe('ERR_UNAUTHORIZED');
    await vi.waitFor(() => expect(options.onError).toHaveBeenCalledTimes(1));
  });

  test('no hook and no subscriber: no event is built, the 200 is as before', async () => {
    const response = await adapter.create(base())(ALICE);
    expect(response.status).toBe(200);
    expect(Object.keys(bodyOf(response))).toEqual(['token', 'identity', 'ttl', 'expiresAt']);
  });

  test('a secret never reaches an audit event, and neither does the token', async () => {
    await fc.assert(
      fc.asyncProperty(arbSecret(32, 40), async (secret) => {
        const seen: unknown[] = [];
        const options = base({
          credentials: { ...credentials, apiKeySecret: secret },
          onIssued: (e) => void seen.push(e),
          onDenied: (e) => void seen.push(e),
          rateLimit: ({ request }) => request.params.limited !== 'yes',
        });
        const handler = adapter.create(options);
        const { result, issued, denied } = await listen(async () => {
          const ok = await handler(ALICE);
          await handler({ ...ALICE, body: '{"identity":"alice","limited":"yes"}' });
          return ok;
        });
        const token = bodyOf(result).token as string;
        const text = JSON.stringify([seen, issued, denied]);
        expect(secretWindows(secret).filter((w) => text.includes(w))).toEqual([]);
        for (const segment of token.split('.').slice(1)) expect(text).not.toContain(segment);
        expect(seen).toHaveLength(2);
      }),
      { numRuns: 10 }, // each run is two requests through a real adapter, for each adapter
    );
  });
});

describe('the guard options are validated when the handler is created', () => {
  const adapter = adapters[0] as (typeof adapters)[number];
  test.each(['rateLimit', 'onIssued', 'onDenied'])('%s: not a function, or present as undefined, is refused', (key) => {
    for (const value of [true, 'limit', { consume: () => true }, undefined]) {
      const create = () => adapter.create(base({ [key]: value }));
      expect(create).toThrow(AccessTokenError);
      expect(create).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: `options.${key}` }));
    }
  });

  test('a misspelt guard option is refused with a suggestion', () => {
    expect(() => adapter.create(base({ ratelimit: () => true } as never))).toThrow(/did you mean "rateLimit"/);
    expect(() => adapter.create(base({ onIssue: () => {} } as never))).toThrow(/did you mean "onIssued"/);
  });
});
