import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import type { DeniedEvent, TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { adapters, closeServers } from '../adapters.js';

// The guards after an outside attack: each test a break that was confirmed, now refused.

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

describe.each(adapters.filter((a) => a.http))('$name', (adapter) => {
  test.each([
    ['a newline (log injection)', 'mallory\r\n2026-01-01 INFO token issued to admin'],
    ['300 characters', 'x'.repeat(300)],
  ])(
    'an identity no token could carry, %s, is the 400 before the limiter, and no event names it',
    async (_, identity) => {
      const rateLimit = vi.fn(() => true);
      const denied: DeniedEvent[] = [];
      const handler = adapter.create(base({ rateLimit, onDenied: (e) => void denied.push(e) }));
      const response = await handler({ method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ identity }) });
      expect(response.status).toBe(400);
      expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe('ERR_INVALID_IDENTITY');
      expect(rateLimit).not.toHaveBeenCalled();
      expect(denied).toHaveLength(1);
      expect(denied[0]?.identity).toBeUndefined();
      expect(JSON.stringify(denied)).not.toContain('mallory');
    },
  );

  test('an async onError and onDenied that reject crash nothing: no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const handler = adapter.create(
        base({
          identify: () => null,
          onError: async () => {
            throw new Error('log sink down');
          },
          onDenied: async () => {
            throw new Error('audit sink down');
          },
        }),
      );
      expect((await handler({ method: 'POST' })).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('ip: a polluted Object.prototype supplies neither request.cf nor req.ip', () => {
  const proto = Object.prototype as Record<string, unknown>;
  const ipSeen = async (name: string, key: string, value: unknown) => {
    const adapter = adapters.find((a) => a.name === name);
    if (adapter === undefined) throw new Error(`no adapter ${name}`);
    let ip: string | undefined = 'not called';
    const handler = adapter.create(
      base({
        identify: () => 'alice',
        rateLimit: (subject) => {
          ip = subject.ip;
          return true;
        },
      }),
    );
    proto[key] = value;
    try {
      expect((await handler({ method: 'POST', headers: { 'cf-connecting-ip': '203.0.113.24' } })).status).toBe(200);
    } finally {
      delete proto[key];
    }
    return ip;
  };

  test('fetch: CF-Connecting-IP stays a client header without an own or class-given request.cf', async () => {
    expect(await ipSeen('fetch (Request -> Response)', 'cf', {})).toBeUndefined();
  });

  test.each(['express handler as a bare node:http listener', 'express handler in an Express 5 app'])(
    '%s: the socket’s address, not Object.prototype.ip',
    async (name) => {
      expect(await ipSeen(name, 'ip', '198.51.100.7')).toBe('127.0.0.1');
    },
  );
});

describe('fetch: a refused body is the answer on any method', () => {
  const fetchAdapter = adapters.find((a) => a.name === 'fetch (Request -> Response)');
  test.each(['OPTIONS', 'PUT', 'DELETE'])('%s with a 2 MB body: 413, told to onDenied', async (method) => {
    const denied: DeniedEvent[] = [];
    const handler = fetchAdapter?.create(base({ onDenied: (e) => void denied.push(e) }));
    const response = await handler?.({ method, headers: JSON_TYPE, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(response?.status).toBe(413);
    expect(denied.map((e) => e.code)).toEqual(['ERR_PAYLOAD_TOO_LARGE']);
  });
});

describe('audit events: origin and user agent never from a polluted Object.prototype', () => {
  test.each(adapters.filter((a) => a.http).map((a) => [a.name, a] as const))('%s', async (_, adapter) => {
    const proto = Object.prototype as Record<string, unknown>;
    const events: unknown[] = [];
    const handler = adapter.create(base({ identify: () => 'alice', onIssued: (e) => void events.push(e) }));
    proto.origin = 'https://evil.example';
    proto['user-agent'] = 'forged/1';
    try {
      expect((await handler({ method: 'POST' })).status).toBe(200);
    } finally {
      delete proto.origin;
      delete proto['user-agent'];
    }
    expect(JSON.stringify(events)).not.toMatch(/evil\.example|forged/);
  });
});
