import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider, type FetchedToken, type TokenFetchError } from '../../src/client.js';
import { fakeEndpoint, HOUR, smallestGap, tokenFor, useFakeClock } from './fakes.js';

// What the provider refuses or stops for: a 401 or 403 (logged out), a token for another identity,
// a body over 64 KiB, and stop() with a request in flight.

const MINUTE = 60_000;

useFakeClock();

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as TokenFetchError,
  );

describe('a 401 or 403 stops refreshing', () => {
  test.each([401, 403])('%s: one request, onError with status, then none until getToken asks', async (status) => {
    let answer = status;
    const endpoint = fakeEndpoint((n) =>
      answer === 200 ? { body: { token: tokenFor(HOUR, 'alice', n) } } : { status: answer, body: {} },
    );
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    const errors: TokenFetchError[] = [];
    provider.onError((error) => errors.push(error as TokenFetchError));

    const error = await errorOf(provider.getToken());
    expect(error.message).toBe(`twilio-access-token/client: token request answered ${status}`);
    expect(error.status).toBe(status);
    expect(errors).toEqual([error]);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(endpoint.times).toHaveLength(1); // no retries: the user is logged out
    expect(vi.getTimerCount()).toBe(0);

    // The next getToken makes exactly one new attempt, and rejects with its answer.
    const again = await errorOf(provider.getToken());
    expect(again.status).toBe(status);
    expect(endpoint.times).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(endpoint.times).toHaveLength(2);

    // Logged in again: the next getToken gets a token and refreshing resumes.
    answer = 200;
    expect(await provider.getToken()).toBe(tokenFor(HOUR, 'alice', 3));
    await vi.advanceTimersByTimeAsync(48 * MINUTE);
    expect(endpoint.times).toHaveLength(4);
    provider.stop();
  });

  test('a 401 at a scheduled refresh drops the last token: getToken makes one attempt and rejects', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let status = 200;
    const endpoint = fakeEndpoint((n) =>
      status === 200 ? { body: { token: tokenFor(HOUR, 'a', n) } } : { status, body: {} },
    );
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    const errors: TokenFetchError[] = [];
    provider.onError((error) => errors.push(error as TokenFetchError));
    await provider.getToken();
    status = 401; // the session ended
    await vi.advanceTimersByTimeAsync(48 * MINUTE);
    expect(endpoint.times).toHaveLength(2);
    expect(errors.map((e) => e.status)).toEqual([401]);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(endpoint.times).toHaveLength(2);
    // The old token still had 12 minutes, but the server said no: it is not handed out.
    expect((await errorOf(provider.getToken())).status).toBe(401);
    expect(endpoint.times).toHaveLength(3);
    provider.stop();
  });

  test('getToken in a loop after a 401 makes one request a second, not one per call', async () => {
    const endpoint = fakeEndpoint(() => ({ status: 401, body: {} }));
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    await provider.getToken().catch(() => {});
    for (let i = 0; i < 100; i++) {
      void provider.getToken().catch(() => {});
      await vi.advanceTimersByTimeAsync(20);
    }
    // 2 simulated seconds, 101 calls: requests at 0, 1 and 2 s.
    expect(endpoint.times.map((t) => t - endpoint.times[0]!)).toEqual([0, 1000, 2000]);
    provider.stop();
  });

  test('with fetchToken, an error carrying status 401 is a failed fetch like any other: retried', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const fetchToken = vi.fn(async (): Promise<FetchedToken> => {
      throw Object.assign(new Error('unauthorized'), { status: 401 });
    });
    const provider = createTokenProvider({ fetchToken });
    await expect(provider.getToken()).rejects.toThrow('unauthorized');
    await vi.advanceTimersByTimeAsync(3000);
    expect(fetchToken).toHaveBeenCalledTimes(3); // at 0, 1 and 3 s
    provider.stop();
  });

  test.each([400, 404, 429, 500, 502, 503])('a %s is retried with backoff', async (status) => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const endpoint = fakeEndpoint(() => ({ status, body: {} }));
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    expect((await errorOf(provider.getToken())).status).toBe(status);
    await vi.advanceTimersByTimeAsync(7000);
    expect(endpoint.times).toHaveLength(4); // at 0, 1, 3 and 7 s
    provider.stop();
  });
});

describe('options.identity', () => {
  const identities = ['alice', 'Zoë 👋 ünïcode', 'constructor', '__proto__', 'toString', 'a'.repeat(256)];

  test.each(identities)('a token for %j is accepted when the option says so', async (identity) => {
    const provider = createTokenProvider({ identity, fetchToken: async () => tokenFor(HOUR, identity) });
    expect(await provider.getToken()).toBe(tokenFor(HOUR, identity));
    provider.stop();
  });

  test.each(identities)('a token for another identity, or none, is refused when expecting %j', async (identity) => {
    for (const other of [
      identity.toUpperCase() === identity ? `${identity}x` : identity.toUpperCase(),
      undefined,
      `${identity} `,
    ]) {
      const tokens: FetchedToken[] = [tokenFor(HOUR, other), { token: tokenFor(HOUR, other), ttl: HOUR }];
      for (const token of tokens) {
        const fetchToken = vi.fn(async () => token);
        const provider = createTokenProvider({ identity, fetchToken });
        const errors: unknown[] = [];
        provider.onError((error) => errors.push(error));
        const error = await errorOf(provider.getToken());
        expect(error.message).toBe('twilio-access-token/client: the token is for another identity');
        expect(error.message).not.toContain(identity.slice(0, 9) || '-');
        expect(errors).toEqual([error]);
        // Refused like a failed fetch: retried with backoff.
        await vi.advanceTimersByTimeAsync(1000);
        expect(fetchToken).toHaveBeenCalledTimes(2);
        provider.stop();
      }
    }
  });

  test('a grants object whose identity is inherited does not count', async () => {
    // {} has a constructor and a toString through its prototype; neither is the token's identity.
    for (const identity of ['constructor', 'toString', 'hasOwnProperty'] as const) {
      const provider = createTokenProvider({ identity, fetchToken: async () => tokenFor(HOUR) });
      await expect(provider.getToken()).rejects.toThrow('the token is for another identity');
      provider.stop();
    }
  });

  test('without the option any identity is accepted', async () => {
    const provider = createTokenProvider({ fetchToken: async () => tokenFor(HOUR, 'mallory') });
    expect(await provider.getToken()).toBe(tokenFor(HOUR, 'mallory'));
    provider.stop();
  });
});

describe('a response body over 64 KiB is refused without reading it all', () => {
  const tooLarge = 'twilio-access-token/client: the response is over 64 KiB';

  /** A body of `chunks` chunks of `size` bytes, counting how many were pulled and whether it was cancelled. */
  function stream(size: number, chunks = Number.POSITIVE_INFINITY) {
    const seen = { pulled: 0, cancelled: false };
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (seen.pulled >= chunks) return controller.close();
          seen.pulled += 1;
          controller.enqueue(new Uint8Array(size).fill(0x20));
        },
        cancel() {
          seen.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    return { body, seen };
  }

  test('an endless body without Content-Length: read to the limit, then cancelled', async () => {
    const { body, seen } = stream(4096);
    const fetch = vi.fn(async () => new Response(body, { status: 200 }));
    const provider = createTokenProvider({ url: '/token', fetch: fetch as unknown as typeof globalThis.fetch });
    expect((await errorOf(provider.getToken())).message).toBe(tooLarge);
    expect(seen.pulled).toBeLessThanOrEqual(17); // 16 chunks are 64 KiB; the 17th passes the limit
    expect(seen.cancelled).toBe(true);
    provider.stop();
  });

  test('a Content-Length over the limit: refused before reading a byte', async () => {
    const { body, seen } = stream(4096);
    const fetch = vi.fn(async () => new Response(body, { status: 200, headers: { 'content-length': '209715200' } }));
    const provider = createTokenProvider({ url: '/token', fetch: fetch as unknown as typeof globalThis.fetch });
    expect((await errorOf(provider.getToken())).message).toBe(tooLarge);
    expect(seen.pulled).toBe(0);
    expect(seen.cancelled).toBe(true);
    provider.stop();
  });

  test('a lying small Content-Length does not lift the limit', async () => {
    const { body, seen } = stream(4096);
    const fetch = vi.fn(async () => new Response(body, { status: 200, headers: { 'content-length': '100' } }));
    const provider = createTokenProvider({ url: '/token', fetch: fetch as unknown as typeof globalThis.fetch });
    expect((await errorOf(provider.getToken())).message).toBe(tooLarge);
    expect(seen.pulled).toBeLessThanOrEqual(17);
    provider.stop();
  });

  test('a body of exactly 64 KiB is read; one byte more is refused', async () => {
    const json = JSON.stringify({ token: tokenFor(HOUR), ttl: HOUR });
    for (const [extra, expected] of [
      [0, 'ok'],
      [1, tooLarge],
    ] as const) {
      const raw = json + ' '.repeat(65_536 - json.length + extra);
      const endpoint = fakeEndpoint(() => ({ raw }));
      const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
      expect(
        await provider.getToken().then(
          () => 'ok',
          (error: Error) => error.message,
        ),
      ).toBe(expected);
      provider.stop();
    }
  });

  test('an error status does not read the body', async () => {
    const { body, seen } = stream(4096);
    const fetch = vi.fn(async () => new Response(body, { status: 500 }));
    const provider = createTokenProvider({ url: '/token', fetch: fetch as unknown as typeof globalThis.fetch });
    expect((await errorOf(provider.getToken())).status).toBe(500);
    expect(seen.pulled).toBe(0);
    expect(seen.cancelled).toBe(true);
    provider.stop();
  });
});

describe('stop()', () => {
  test('aborts the request in flight and rejects every pending getToken', async () => {
    const signals: AbortSignal[] = [];
    const fetchToken = vi.fn((signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<FetchedToken>(() => {}); // a server that never answers
    });
    const provider = createTokenProvider({ fetchToken });
    const errors: unknown[] = [];
    provider.onError((error) => errors.push(error));
    const pending = [provider.getToken(), provider.getToken()].map(errorOf);
    await vi.advanceTimersByTimeAsync(0);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
    provider.stop();
    expect(signals[0]!.aborted).toBe(true);
    for (const error of await Promise.all(pending)) expect(error.message).toBe('twilio-access-token/client: stopped');
    expect(errors).toEqual([]); // stopping is not a failure
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('a stop() while init runs: no request is made, not even one with an aborted signal', async () => {
    const endpoint = fakeEndpoint(() => ({ body: { token: tokenFor(HOUR) } }));
    const init = vi.fn(() => new Promise<RequestInit>((resolve) => setTimeout(() => resolve({}), 100)));
    const provider = createTokenProvider({ url: '/token', init, fetch: endpoint.fetch });
    const pending = errorOf(provider.getToken());
    await vi.advanceTimersByTimeAsync(50);
    expect(init).toHaveBeenCalledTimes(1);
    provider.stop();
    expect((await pending).message).toBe('twilio-access-token/client: stopped');
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(endpoint.mock).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a stop() while a synchronous init function runs its returned promise: no request either', async () => {
    const endpoint = fakeEndpoint(() => ({ body: { token: tokenFor(HOUR) } }));
    let provider: ReturnType<typeof createTokenProvider> | undefined;
    const init = () => {
      provider?.stop(); // the page tears down while building the request
      return {};
    };
    provider = createTokenProvider({ url: '/token', init, fetch: endpoint.fetch });
    expect((await errorOf(provider.getToken())).message).toBe('twilio-access-token/client: stopped');
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(endpoint.mock).not.toHaveBeenCalled();
  });

  test('passes an abort signal to fetch, merged with the one in init', async () => {
    const endpoint = fakeEndpoint(() => ({ body: { token: tokenFor(HOUR) } }));
    const mine = new AbortController();
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch, init: { signal: mine.signal } });
    await provider.getToken();
    const [signal] = endpoint.signals;
    expect(signal).not.toBe(mine.signal);
    expect(signal!.aborted).toBe(false);
    mine.abort();
    expect(signal!.aborted).toBe(true);
    provider.stop();
  });

  test('without AbortSignal.any (older browsers) the signal in init is passed, and stop() still rejects', async () => {
    const any = Object.getOwnPropertyDescriptor(AbortSignal, 'any') as PropertyDescriptor;
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true });
    try {
      const mine = new AbortController();
      const signals: AbortSignal[] = [];
      const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
        signals.push(init?.signal as AbortSignal);
        return new Promise<Response>(() => {});
      });
      const provider = createTokenProvider({
        url: '/token',
        init: { signal: mine.signal },
        fetch: fetch as unknown as typeof globalThis.fetch,
      });
      const pending = errorOf(provider.getToken());
      await vi.advanceTimersByTimeAsync(0);
      expect(signals).toEqual([mine.signal]);
      provider.stop();
      expect((await pending).message).toBe('twilio-access-token/client: stopped');
    } finally {
      Object.defineProperty(AbortSignal, 'any', any);
    }
    expect(typeof AbortSignal.any).toBe('function');
  });

  test('a stop during a backoff rejects the getToken waiting for the retry', async () => {
    const fetchToken = vi.fn(async (): Promise<FetchedToken> => {
      throw new Error('down');
    });
    const provider = createTokenProvider({ fetchToken });
    await provider.getToken().catch(() => {});
    const waiting = errorOf(provider.getToken());
    provider.stop();
    expect((await waiting).message).toBe('twilio-access-token/client: stopped');
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('a token that arrives after stop() is not kept, sent or scheduled', async () => {
    let answer: (token: FetchedToken) => void = () => {};
    const fetchToken = vi.fn(() => new Promise<FetchedToken>((resolve) => (answer = resolve)));
    const provider = createTokenProvider({ fetchToken });
    const seen = vi.fn();
    provider.subscribe(seen);
    const pending = errorOf(provider.getToken());
    await vi.advanceTimersByTimeAsync(0);
    provider.stop();
    answer(tokenFor(HOUR));
    expect((await pending).message).toBe('twilio-access-token/client: stopped');
    expect(seen).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('onError listeners that call getToken', () => {
  test('after a 401: the listener gets no old token and makes no loop faster than once a second', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    let status = 200;
    const endpoint = fakeEndpoint((n) =>
      status === 200 ? { body: { token: tokenFor(HOUR, 'a', n) } } : { status, body: {} },
    );
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    const got: string[] = [];
    provider.onError(() => {
      provider.getToken().then(
        (token) => got.push(token),
        () => got.push('rejected'),
      );
    });
    await provider.getToken();
    status = 401;
    await vi.advanceTimersByTimeAsync(48 * MINUTE + 10_000);
    expect(got.every((g) => g === 'rejected')).toBe(true);
    // A listener that asks again on every 401 gets one request a second, the floor: 10 in 10 s.
    expect(endpoint.times.length).toBe(2 + 10);
    expect(smallestGap(endpoint.times)).toBe(1000);
    provider.stop();
  });

  test('during a backoff: the listener waits for the scheduled retry', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const endpoint = fakeEndpoint(() => ({ status: 500, body: {} }));
    const provider = createTokenProvider({ url: '/token', fetch: endpoint.fetch });
    provider.onError(() => void provider.getToken().catch(() => {}));
    await provider.getToken().catch(() => {});
    await vi.advanceTimersByTimeAsync(31_000);
    // The backoff alone: at 0, 1, 3, 7, 15 and 31 s.
    expect(endpoint.times.map((t) => t - endpoint.times[0]!)).toEqual([0, 1000, 3000, 7000, 15_000, 31_000]);
    provider.stop();
  });
});
