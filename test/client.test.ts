import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createTokenProvider, type FetchedToken } from '../src/client.js';
import { isAccessTokenError } from '../src/index.js';

// The provider's schedule, single flight, backoff and teardown, with fake timers and a fake source.

const jwt = (n: number, ttl = 100) =>
  `h.${Buffer.from(JSON.stringify({ n, iat: 1_000_000, exp: 1_000_000 + ttl })).toString('base64url')}.s`;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.UTC(2026, 0, 1));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A source that answers with tokens 1, 2, 3... and the given ttl (null: a bare token whose exp - iat is 50). */
function source(ttl: number | null = 100) {
  let n = 0;
  const fetchToken = vi.fn(async (): Promise<FetchedToken> => {
    n += 1;
    return ttl === null ? jwt(n, 50) : { token: jwt(n), ttl };
  });
  return fetchToken;
}

describe('createTokenProvider', () => {
  test('refuses options without a source, or with an out-of-range refreshAt or retry', () => {
    const invalid = (path: string, message: RegExp) =>
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path, message: expect.stringMatching(message) });
    expect(() => createTokenProvider({})).toThrow(invalid('options', /either url or fetchToken/));
    expect(() => createTokenProvider({ url: '/t', fetchToken: source() })).toThrow(
      invalid('options', /either url or fetchToken/),
    );
    for (const refreshAt of [0, 1, 1.5, -0.2, Number.NaN])
      expect(() => createTokenProvider({ fetchToken: source(), refreshAt })).toThrow(
        invalid('options.refreshAt', /between 0 and 1/),
      );
    // No retry sooner than 1 s: an initialDelay under 1000 ms (or one given in seconds) is refused.
    for (const initialDelay of [0, 1, 999, -1000, Number.NaN])
      expect(() => createTokenProvider({ fetchToken: source(), retry: { initialDelay } })).toThrow(
        invalid('options.retry', /^Invalid options\.retry: expected an initialDelay of at least 1000 \(ms\)/),
      );
    expect(() => createTokenProvider({ fetchToken: source(), retry: { initialDelay: 2000, maxDelay: 1500 } })).toThrow(
      invalid('options.retry', /a maxDelay at least as long$/),
    );
    for (const identity of [42, null, { toString: () => 'alice' }])
      expect(() => createTokenProvider({ fetchToken: source(), identity: identity as never })).toThrow(
        invalid('options.identity', /^Invalid options\.identity: expected a string$/),
      );
    expect(
      isAccessTokenError(
        (() => {
          try {
            createTokenProvider({});
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(true);
  });

  test('getToken fetches once, then serves the same token until the refresh point', async () => {
    const fetchToken = source();
    const provider = createTokenProvider({ fetchToken });
    const first = await provider.getToken();
    expect(first).toBe(jwt(1));
    await vi.advanceTimersByTimeAsync(50_000);
    expect(await provider.getToken()).toBe(first);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    provider.stop();
  });

  test('concurrent calls share one request', async () => {
    const fetchToken = source();
    const provider = createTokenProvider({ fetchToken });
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    provider.stop();
  });

  test('refreshes at refreshAt * ttl from arrival, less up to 10% jitter, whatever exp says', async () => {
    for (const random of [0, 0.5, 0.999]) {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const fetchToken = source(100);
      const provider = createTokenProvider({ fetchToken, refreshAt: 0.5 });
      await provider.getToken();
      const due = 50_000 * (1 - random * 0.1);
      await vi.advanceTimersByTimeAsync(due - 1);
      expect(fetchToken).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetchToken).toHaveBeenCalledTimes(2);
      expect(due).toBeGreaterThanOrEqual(45_000);
      provider.stop();
      vi.restoreAllMocks();
    }
  });

  test('the ttl comes from the response, else from the token (exp - iat)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fromToken = source(null); // plain strings whose exp - iat is 50
    const provider = createTokenProvider({ fetchToken: fromToken });
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(40_000); // 0.8 * 50 s
    expect(fromToken).toHaveBeenCalledTimes(2);
    provider.stop();
  });

  test('the refresh point is measured from arrival, not the client clock against exp', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    // exp in the token is far in the past for this clock; the server said ttl 100.
    const fetchToken = vi.fn(async () => ({ token: jwt(1, 100), ttl: 100 }));
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken();
    await provider.getToken();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(80_000);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    provider.stop();
  });

  test('each new token reaches subscribers and attached clients; detach stops that', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const provider = createTokenProvider({ fetchToken: source(10) });
    const seen = vi.fn();
    const client = { updateToken: vi.fn() };
    const unsubscribe = provider.subscribe(seen);
    const detach = provider.attach(client);
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(8000);
    expect(seen.mock.calls.map(([t]) => t)).toEqual([jwt(1), jwt(2)]);
    expect(client.updateToken.mock.calls.map(([t]) => t)).toEqual([jwt(1), jwt(2)]);
    detach();
    unsubscribe();
    await vi.advanceTimersByTimeAsync(8000);
    expect(seen).toHaveBeenCalledTimes(2);
    expect(client.updateToken).toHaveBeenCalledTimes(2);
    provider.stop();
  });

  test('a rejected or throwing updateToken goes to onError, and the others still get the token', async () => {
    const provider = createTokenProvider({ fetchToken: source() });
    const errors = vi.fn();
    provider.onError(errors);
    provider.attach({ updateToken: () => Promise.reject(new Error('not connected')) });
    provider.attach({
      updateToken: () => {
        throw new Error('sync failure');
      },
    });
    const good = { updateToken: vi.fn() };
    provider.attach(good);
    await provider.getToken();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.mock.calls.map(([e]) => (e as Error).message).sort()).toEqual(['not connected', 'sync failure']);
    expect(good.updateToken).toHaveBeenCalledTimes(1);
    provider.stop();
  });

  test('a failed fetch goes to onError and is retried with doubling backoff, capped', async () => {
    const fetchToken = vi.fn(async (): Promise<FetchedToken> => {
      throw new Error('offline');
    });
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: the full backoff step
    const provider = createTokenProvider({ fetchToken, retry: { initialDelay: 1000, maxDelay: 5000 } });
    const errors = vi.fn();
    provider.onError(errors);
    await expect(provider.getToken()).rejects.toThrow('offline');
    const calls: number[] = [];
    for (let t = 0; t < 20_000; t += 100) {
      await vi.advanceTimersByTimeAsync(100);
      calls.push(fetchToken.mock.calls.length);
    }
    // Retries at +1000, +2000, +4000, +5000, +5000... after each failure.
    const at = (n: number) => (calls.indexOf(n) + 1) * 100;
    expect([at(2), at(3) - at(2), at(4) - at(3), at(5) - at(4), at(6) - at(5)]).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(errors).toHaveBeenCalledTimes(fetchToken.mock.calls.length);
    provider.stop();
  });

  test('while the last token is valid, a failed refresh hands it out; backoff resets after a success', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let fail = false;
    let n = 0;
    const fetchToken = vi.fn(async () => {
      if (fail) throw new Error('502');
      n += 1;
      return { token: jwt(n), ttl: 100 };
    });
    const provider = createTokenProvider({ fetchToken, retry: { initialDelay: 1000, maxDelay: 4000 } });
    const errors = vi.fn();
    provider.onError(errors);
    await provider.getToken();
    fail = true;
    await vi.advanceTimersByTimeAsync(80_000); // the scheduled refresh fails
    expect(errors).toHaveBeenCalledTimes(1);
    expect(await provider.getToken()).toBe(jwt(1)); // a second failure, but the token is still valid
    fail = false;
    await vi.advanceTimersByTimeAsync(4000);
    expect(await provider.getToken()).toBe(jwt(2));
    provider.stop();
  });

  test('getToken rejects only when no unexpired token is at hand and the fetch failed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let fail = false;
    const fetchToken = vi.fn(async () => {
      if (fail) throw new Error('down');
      return { token: jwt(1), ttl: 10 };
    });
    const provider = createTokenProvider({ fetchToken, retry: { initialDelay: 60_000, maxDelay: 60_000 } });
    await provider.getToken();
    fail = true;
    await vi.advanceTimersByTimeAsync(10_000); // expired now; the refresh at 8 s failed, its retry is due at 68 s
    // getToken waits for the scheduled retry (no request of its own) and rejects with its failure.
    const waiting = expect(provider.getToken()).rejects.toThrow('down');
    expect(fetchToken).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(58_000);
    await waiting;
    expect(fetchToken).toHaveBeenCalledTimes(3);
    provider.stop();
  });

  test('stop clears timers, makes no request after it, and getToken rejects', async () => {
    const fetchToken = source(1);
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken();
    provider.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await expect(provider.getToken()).rejects.toThrow(/stopped/);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createTokenProvider with url', () => {
  const respond = (status: number, body: unknown) =>
    vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify(body), { status }));

  test('POSTs with init, a function of each request, and reads token and ttl', async () => {
    const fetch = respond(200, { token: jwt(1), identity: 'a', ttl: 60, expiresAt: 'x' });
    let n = 0;
    const provider = createTokenProvider({
      url: '/token',
      init: () => ({ headers: { authorization: `Bearer ${++n}` }, credentials: 'include' }),
      fetch: fetch as typeof globalThis.fetch,
    });
    expect(await provider.getToken()).toBe(jwt(1));
    expect(fetch).toHaveBeenCalledWith('/token', {
      method: 'POST',
      headers: { authorization: 'Bearer 1' },
      credentials: 'include',
      signal: expect.any(AbortSignal), // stop() aborts the request in flight
    });
    provider.stop();
  });

  test.each([
    ['a non-2xx answer', respond(401, { error: { code: 'ERR_UNAUTHORIZED' } }), /answered 401/],
    ['a body without a token', respond(200, { identity: 'a' }), /holds no token/],
    ['a token that is not a JWT', respond(200, { token: 'nope' }), /holds no token/],
  ])('%s is a failed fetch', async (_name, fetch, message) => {
    const provider = createTokenProvider({ url: '/token', fetch: fetch as typeof globalThis.fetch });
    const errors = vi.fn();
    provider.onError(errors);
    await expect(provider.getToken()).rejects.toThrow(message);
    expect(errors).toHaveBeenCalledTimes(1);
    provider.stop();
  });

  test('a 401 carries its status', async () => {
    const provider = createTokenProvider({ url: '/token', fetch: respond(401, {}) as typeof globalThis.fetch });
    const error = (await provider.getToken().catch((e: unknown) => e)) as { status?: number };
    expect(error.status).toBe(401);
    provider.stop();
  });
});

describe('re-checks in the browser', () => {
  test('on online and visibilitychange, a token past its refresh point is refreshed at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const target = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    vi.stubGlobal('document', doc);
    try {
      const fetchToken = source(100);
      const provider = createTokenProvider({ fetchToken });
      await provider.getToken();
      // A laptop asleep: the clock jumps past the refresh point while no timer ran.
      vi.setSystemTime(Date.now() + 90_000);
      target.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(0);
      expect(fetchToken).toHaveBeenCalledTimes(2);
      vi.setSystemTime(Date.now() + 90_000);
      doc.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
      expect(fetchToken).toHaveBeenCalledTimes(3);
      // Before the refresh point nothing happens.
      doc.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(0);
      expect(fetchToken).toHaveBeenCalledTimes(3);
      provider.stop();
      vi.setSystemTime(Date.now() + 90_000);
      target.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(0);
      expect(fetchToken).toHaveBeenCalledTimes(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
