import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider, type FetchedToken } from '../../src/client.js';
import {
  fakeEndpoint,
  HOUR,
  MAX_TIMER,
  MINUTE,
  recordTimers,
  smallestGap,
  source,
  tokenFor,
  tokenWith,
  useFakeClock,
} from './fakes.js';

// Storms: whatever the server, fetchToken or the caller does, no timer is longer than 2^31-1 ms and
// no two token requests start less than 1 s apart. Each test counts requests over a window of
// simulated time.

useFakeClock();

describe('a server ttl that is not a number from 1 to 86400', () => {
  test.each([
    ['milliseconds', 3_600_000],
    ['a thousandth of a second', 0.001],
    ['zero', 0],
    ['negative', -60],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['one more than a day', 86_401],
    ['the largest number', Number.MAX_VALUE],
    ['a string', '3600'],
    ['an object with valueOf', { valueOf: (): number => 3600 }],
    ['null', null],
  ])('(%s) is ignored: the token exp - iat of 1 h schedules the refresh', async (_name, ttl) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const delays = recordTimers();
    const { fetchToken, times } = source(() => ({ token: tokenFor(HOUR), ttl }) as FetchedToken);
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(times).toHaveLength(1);
    // Refreshed at 0.8 of the token's own hour: 48 minutes, not before.
    await vi.advanceTimersByTimeAsync(38 * MINUTE - 1);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toHaveLength(2);
    expect(Math.max(...delays)).toBe(48 * MINUTE);
    provider.stop();
  });

  test('a ttl of 3600000 from a token endpoint (ms for s) makes one request in 10 minutes, not thousands', async () => {
    const endpoint = fakeEndpoint(() => ({ body: { token: tokenFor(HOUR), ttl: 3_600_000 } }));
    const delays = recordTimers();
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(endpoint.times).toHaveLength(1);
    expect(delays.every((d) => d <= MAX_TIMER)).toBe(true);
    provider.stop();
  });

  test('a valid server ttl wins over exp - iat, at the boundaries too', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    for (const ttl of [1, 86_400]) {
      const { fetchToken, times } = source(() => ({ token: tokenFor(HOUR), ttl }));
      const provider = createTokenProvider({ fetchToken, refreshAt: 0.5 });
      await provider.getToken();
      // Due at 0.5 * ttl, but never sooner than 1 s after the last request.
      await vi.advanceTimersByTimeAsync(Math.max(ttl * 500, 1000) - 1);
      expect(times).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(times).toHaveLength(2);
      provider.stop();
    }
  });
});

describe('a token that is not a JWT, or lives outside 1 to 86400 seconds, is refused like a failed fetch', () => {
  const noToken = 'twilio-access-token/client: the response holds no token';
  const badLifetime = 'twilio-access-token/client: the token lives outside 1 to 86400 seconds (exp - iat)';
  test.each([
    ['"a.b.c" (a payload that is not base64 JSON)', 'a.b.c', noToken],
    ['two segments', 'h.eyJ9', noToken],
    ['four segments', `${tokenFor(HOUR)}.x`, noToken],
    ['an empty segment', `.${tokenFor(HOUR).split('.')[1]}.s`, noToken],
    // Base64 (not base64url) of {"iat":1,"exp":3601,"x":"~~~?"}: '+' and '=' are not base64url.
    ['standard base64 characters', 'h.eyJpYXQiOjEsImV4cCI6MzYwMSwieCI6In5+fj8ifQ.s', noToken],
    ['padding', `h.${Buffer.from('{"iat":1,"exp":3601}').toString('base64')}.s`, noToken],
    ['spaces around it', ` ${tokenFor(HOUR)} `, noToken],
    ['a payload that is not JSON', `h.${Buffer.from('hello').toString('base64url')}.s`, noToken],
    ['a payload of null', tokenWith(null), badLifetime],
    ['a payload that is an array', tokenWith([1, 2]), badLifetime],
    ['an exp - iat of 400 days', tokenFor(400 * 86_400), badLifetime],
    ['an exp - iat of one day and a second', tokenFor(86_401), badLifetime],
    ['an exp - iat of zero', tokenFor(0), badLifetime],
    ['an exp - iat of half a second', tokenFor(0.5), badLifetime],
    ['an exp before iat', tokenFor(-HOUR), badLifetime],
    ['exp and iat as strings', tokenWith({ iat: '1000', exp: '4600' }), badLifetime],
    ['no exp', tokenWith({ iat: 1 }), badLifetime],
    ['an exp of 1e308', tokenWith({ iat: 0, exp: 1e308 }), badLifetime],
    ['a number instead of a string', 42, noToken],
    ['an object', { toString: () => tokenFor(HOUR) }, noToken],
  ])('%s', async (_name, token, message) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const delays = recordTimers();
    const { fetchToken, times } = source(() => ({ token, ttl: HOUR }) as FetchedToken);
    const provider = createTokenProvider({ fetchToken });
    const errors: unknown[] = [];
    provider.onError((error) => errors.push(error));
    await expect(provider.getToken()).rejects.toThrow(message);
    expect((errors[0] as Error).message).toBe(message);
    // Retried with backoff (1, 2, 4, 8, 16, then every 30 s): 24 requests in 10 minutes, not thousands.
    await vi.advanceTimersByTimeAsync(10 * MINUTE - 1);
    expect(times).toHaveLength(24);
    expect(errors).toHaveLength(24);
    expect(smallestGap(times)).toBe(1000);
    expect(Math.max(...delays)).toBe(30_000);
    provider.stop();
  });

  test('an exp - iat of 400 days from a token endpoint: 24 requests in 10 minutes', async () => {
    const endpoint = fakeEndpoint(() => ({ body: { token: tokenFor(400 * 86_400) } }));
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    await expect(provider.getToken()).rejects.toThrow(/outside 1 to 86400 seconds/);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    // Jitter moves retries earlier by up to 20% of each step: at least the 24 of a jitterless run.
    expect(endpoint.times.length).toBeGreaterThanOrEqual(24);
    expect(endpoint.times.length).toBeLessThanOrEqual(30);
    expect(smallestGap(endpoint.times)).toBeGreaterThanOrEqual(1000);
    provider.stop();
  });

  test('lifetimes of exactly 1 and 86400 seconds are accepted', async () => {
    for (const lifetime of [1, 86_400]) {
      const provider = createTokenProvider({ fetchToken: async () => tokenFor(lifetime) });
      expect(await provider.getToken()).toBe(tokenFor(lifetime));
      provider.stop();
    }
  });
});

describe('no two requests less than 1 s apart', () => {
  test('a 1-second token is refreshed once a second, not at 0.8 s', async () => {
    const { fetchToken, times } = source(() => tokenFor(1));
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(times).toHaveLength(61);
    expect(smallestGap(times)).toBe(1000);
    provider.stop();
  });

  test('the floor is measured between calls of fetch: a slow first init does not shorten the next gap', async () => {
    // ttl 1 s: the refresh is due 0.8 s after the token arrives. The first init takes 800 ms, so the
    // first fetch starts 800 ms into its attempt; the next request must still be 1 s after it.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const endpoint = fakeEndpoint((n) => ({ body: { token: tokenFor(HOUR, undefined, n), ttl: 1 } }));
    let inits = 0;
    const init = async () => {
      inits += 1;
      if (inits === 1) await new Promise((resolve) => setTimeout(resolve, 800));
      return {};
    };
    const provider = createTokenProvider({ url: '/token', init, fetch: endpoint.fetch });
    const first = provider.getToken();
    await vi.advanceTimersByTimeAsync(800);
    expect(await first).toBe(tokenFor(HOUR, undefined, 1));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(endpoint.times.length).toBeGreaterThanOrEqual(9);
    expect(smallestGap(endpoint.times)).toBe(1000);
    provider.stop();
  });

  test('the floor is measured from the call of fetchToken too', async () => {
    const { fetchToken, times } = source(() => ({ token: tokenFor(HOUR), ttl: 1 }));
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(5000);
    expect(times).toHaveLength(6);
    expect(smallestGap(times)).toBe(1000);
    provider.stop();
  });

  test('getToken during a backoff waits for the scheduled attempt: 100 calls in 2 ms make no request', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const endpoint = fakeEndpoint(() => ({ status: 503, body: {} }));
    const provider = createTokenProvider({
      url: '/token',
      fetch: endpoint.fetch,
      retry: { initialDelay: 10_000, maxDelay: 10_000 },
    });
    await expect(provider.getToken()).rejects.toThrow('twilio-access-token/client: token request answered 503');
    const calls = Array.from({ length: 100 }, () => provider.getToken().catch((error: Error) => error.message));
    await vi.advanceTimersByTimeAsync(2);
    expect(endpoint.times).toHaveLength(1);
    // Nor do they pull the retry forward: it stays at 10 s.
    await vi.advanceTimersByTimeAsync(9997);
    expect(endpoint.times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(endpoint.times).toHaveLength(2);
    expect(new Set(await Promise.all(calls))).toEqual(
      new Set(['twilio-access-token/client: token request answered 503']),
    );
    provider.stop();
  });

  test('getToken in a loop after a refused token makes one request a second', async () => {
    const { fetchToken, times } = source(() => 'not a token');
    const provider = createTokenProvider({ fetchToken, retry: { initialDelay: 60_000, maxDelay: 60_000 } });
    for (let i = 0; i < 100; i++) {
      void provider.getToken().catch(() => {});
      await vi.advanceTimersByTimeAsync(100);
    }
    // 10 simulated seconds: one request, then the backoff's one at 60 s; the loop adds none.
    expect(times).toHaveLength(1);
    provider.stop();
  });

  test('a storm of online events makes at most one request a second', async () => {
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    try {
      // A 2-second token, then every refresh fails, while the page fires `online` every millisecond.
      const { fetchToken, times } = source(async () => {
        if (times.length === 1) return tokenFor(2);
        throw new Error('offline');
      });
      const provider = createTokenProvider({ fetchToken });
      await provider.getToken();
      for (let i = 0; i < 5000; i++) {
        target.dispatchEvent(new Event('online'));
        await vi.advanceTimersByTimeAsync(1);
      }
      // The refresh at 1.6 s or later, then each event can only pull the retry forward to the 1 s floor.
      expect(times.length).toBeGreaterThanOrEqual(4);
      expect(times.length).toBeLessThanOrEqual(5);
      expect(smallestGap(times)).toBe(1000);
      provider.stop();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('a clock set back an hour holds no request up for more than a second past its floor', async () => {
    const { fetchToken, times } = source(async () => {
      throw new Error('offline');
    });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const provider = createTokenProvider({ fetchToken });
    await expect(provider.getToken()).rejects.toThrow('offline');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times).toHaveLength(2);
    vi.setSystemTime(Date.now() - 60 * MINUTE);
    await vi.advanceTimersByTimeAsync(2000); // the next retry, 2 s after the last
    expect(times).toHaveLength(3);
    provider.stop();
  });
});
