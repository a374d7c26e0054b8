import fc from 'fast-check';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { ipSubnet as ipSubnetCore } from '../../../src/handlers/core/ip-subnet.js';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import type { TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import * as fetchEntry from '../../../src/handlers/fetch/index.js';
import * as lambdaEntry from '../../../src/handlers/lambda/index.js';
import * as expressEntry from '../../../src/handlers/node-http/index.js';
import * as functionsEntry from '../../../src/handlers/twilio-functions/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { adapters, closeServers, type TestRequest } from '../adapters.js';

// Issue 26, section 16, the guards. Findings closed here:
// G1 (MEDIUM): a limiter that never settles (Redis stopped with SIGSTOP) held every request for
//   hookTimeout (10 s) before its 500; now rateLimitTimeout (default 1000 ms) bounds it.
// G2: rate-limiter-flexible's rejection `{ msBeforeNext }` (milliseconds) was a 500; and the docs
//   claimed the retryAfter range catches milliseconds, which 1000 (ms for 1 s) slips through.
// G3: per-IP limits keyed by a whole IPv6 address: every address of one /64 got its own limit.

afterAll(closeServers);

const ALICE: TestRequest = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"identity":"alice"}',
};
const base = (extra: Partial<TokenHandlerOptions> = {}): TokenHandlerOptions => ({
  credentials,
  identify: trustClientIdentity(),
  grants: [videoGrant()],
  onError: vi.fn(),
  ...extra,
});

describe.each(adapters)('$name: a limiter that never settles (G1)', (adapter) => {
  test.each([
    ['a Promise that never settles', () => new Promise(() => {})],
    // A thenable whose `then` never calls back: built with defineProperty, as a hostile limiter could.
    ['a thenable that never calls back', () => Object.defineProperty({}, 'then', { value: () => undefined })],
  ])('%s: 500 and onError within rateLimitTimeout, fail closed', async (_n, rateLimit) => {
    const options = base({ rateLimit: rateLimit as never, rateLimitTimeout: 100, hookTimeout: 60_000 });
    const started = performance.now();
    const response = await adapter.create(options)(ALICE);
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('"token"');
    // Bounded by rateLimitTimeout, not by the hookTimeout of a minute.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(options.onError).toHaveBeenCalledWith(
      expect.objectContaining({
        message: expect.stringMatching(/rateLimit hook did not settle within 100 ms \(rateLimitTimeout\)/),
      }),
      expect.anything(),
    );
  });
});

describe('rateLimitTimeout: the default and its range', () => {
  const adapter = adapters[0] as (typeof adapters)[number];
  test('the default is 1000 ms, whatever hookTimeout says', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const options = base({ rateLimit: () => new Promise(() => {}), hookTimeout: 600_000 });
      let settled = false;
      const pending = adapter
        .create(options)(ALICE)
        .then((r) => {
          settled = true;
          return r;
        });
      await vi.advanceTimersByTimeAsync(999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(500);
    } finally {
      vi.useRealTimers();
    }
  });

  test.each([0, -1, 1.5, 60_001, Number.NaN, '1000', 1e12])('rateLimitTimeout %s is ERR_INVALID_OPTION', (value) => {
    expect(() => adapter.create(base({ rateLimitTimeout: value as number }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: 'options.rateLimitTimeout' }),
    );
  });

  test('undefined, present, is refused as every optional option is', () => {
    expect(() => adapter.create(base({ rateLimitTimeout: undefined }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: 'options.rateLimitTimeout' }),
    );
  });
});

describe.each(adapters)('$name: verdicts in the wrong unit or shape (G2)', (adapter) => {
  test('property: { msBeforeNext } in ms is Retry-After in whole seconds, rounded up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 86_400_000, noNaN: true }), async (ms) => {
        const response = await adapter.create(base({ rateLimit: () => ({ msBeforeNext: ms }) }))(ALICE);
        expect(response.status).toBe(429);
        expect(response.headers['retry-after']).toBe(String(Math.max(1, Math.ceil(ms / 1000))));
      }),
      { numRuns: 20 }, // each run is a request through a real adapter
    );
  });

  test("rate-limiter-flexible's RateLimiterRes as it is rejected (a class instance with getters)", async () => {
    class RateLimiterRes {
      readonly #ms: number;
      constructor(ms: number) {
        this.#ms = ms;
      }
      get msBeforeNext() {
        return this.#ms;
      }
      get remainingPoints() {
        return 0;
      }
    }
    const response = await adapter.create(
      base({ rateLimit: () => Promise.reject(new RateLimiterRes(2500)).catch((r) => r) }),
    )(ALICE);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
  });

  test.each([
    ['{ retryAfter: 1.5 } (seconds are whole)', { retryAfter: 1.5 }],
    ['{ retryAfter: 86401 } (over a day: milliseconds?)', { retryAfter: 86_401 }],
    ['{ msBeforeNext: 86400001 }', { msBeforeNext: 86_400_001 }],
    ['{ msBeforeNext: NaN }', { msBeforeNext: Number.NaN }],
    ['{ __proto__: { retryAfter: 5 } } (an inherited verdict)', Object.create({ retryAfter: 5 })],
    ['{ constructor: 5 }', { constructor: 5 }],
    ['JSON.parse(\'{"__proto__": {"retryAfter": 5}}\')', JSON.parse('{"__proto__": {"retryAfter": 5}}')],
    ['a Date', new Date()],
    ['an array', [5]],
    ['{}', {}],
  ])('%s is a 500 and reaches onError, never a pass', async (_n, verdict) => {
    const options = base({ rateLimit: () => verdict as never });
    const response = await adapter.create(options)(ALICE);
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('"token"');
    expect(options.onError).toHaveBeenCalled();
  });
});

describe('ipSubnet (G3)', () => {
  test('every handler subpath exports the one ipSubnet', () => {
    for (const entry of [fetchEntry, expressEntry, lambdaEntry, functionsEntry])
      expect(entry.ipSubnet).toBe(ipSubnetCore);
  });

  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8::/64'],
    ['::1', '::/64'],
    ['::', '::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['0:0:0:1::', '0:0:0:1::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2::1.2.3.4', '2001:db8:1:2::/64'],
    ['not an ip', 'not an ip'],
    ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
    ['1::2::3', '1::2::3'],
    ['256.1.1.1', '256.1.1.1'],
    ['__proto__', '__proto__'],
  ])('%s -> %s', (ip, key) => {
    expect(ipSubnet(ip)).toBe(key);
  });

  test('property: every address of one /64 has one key; another /64 another', () => {
    const hextet = fc.integer({ min: 0, max: 0xffff });
    const half = fc.tuple(hextet, hextet, hextet, hextet);
    fc.assert(
      fc.property(half, half, half, (prefix, a, b) => {
        const text = (groups: number[]) => groups.map((g) => g.toString(16)).join(':');
        // Not an IPv4-mapped prefix (::ffff:0:0/96 is IPv4).
        fc.pre(!(prefix.every((g) => g === 0) && a[0] === 0 && a[1] === 0xffff));
        const keyA = ipSubnet(text([...prefix, ...a]));
        expect(ipSubnet(text([...prefix, ...b]))).toBe(keyA);
        expect(keyA.endsWith('/64')).toBe(true);
        // The key is an address Node reads back as the same prefix.
        const other = [...prefix];
        other[3] = ((other[3] as number) + 1) & 0xffff;
        expect(ipSubnet(text([...other, ...a]))).not.toBe(keyA);
      }),
    );
  });
});

const ipSubnet = fetchEntry.ipSubnet;
