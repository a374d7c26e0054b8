import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider, type FetchedToken, type TokenProviderOptions } from '../../src/client.js';
import { type AccessTokenError, isAccessTokenError } from '../../src/index.js';
import { useFakeClock } from './fakes.js';

// The provider's schedule, single flight, backoff and teardown, with fake timers and a fake source.

const jwt = (n: number, ttl = 100) =>
  `h.${Buffer.from(JSON.stringify({ n, iat: 1_000_000, exp: 1_000_000 + ttl })).toString('base64url')}.s`;

useFakeClock();

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
    const invalid = (path: string, message: RegExp | string) =>
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        path,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
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
        invalid(
          'options.retry.initialDelay',
          `Invalid options.retry.initialDelay: expected a number from 1000 (ms) to maxDelay (default 30000), received ${initialDelay}`,
        ),
      );
    expect(() => createTokenProvider({ fetchToken: source(), retry: { initialDelay: 2000, maxDelay: 1500 } })).toThrow(
      invalid('options.retry.maxDelay', /: expected a number of at least 2000 \(initialDelay\), received 1500$/),
    );
    expect(() => createTokenProvider({ fetchToken: source(), retry: { maxDelay: 500 } })).toThrow(
      invalid('options.retry.maxDelay', /: expected a number of at least 1000 \(initialDelay\), received 500$/),
    );
    for (const identity of [42, null, { toString: () => 'alice' }])
      expect(() => createTokenProvider({ fetchToken: source(), identity: identity as never })).toThrow(
        invalid(
          'options.identity',
          /^Invalid options\.identity: expected a non-empty string, received (42|null|object)$/,
        ),
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

describe('createTokenProvider options, read the one safe way', () => {
  /** The AccessTokenError thrown by `run`, or a failure when it throws something else or nothing. */
  const refusal = (run: () => unknown): AccessTokenError => {
    try {
      run();
    } catch (error) {
      expect(isAccessTokenError(error), String(error)).toBe(true);
      return error as AccessTokenError;
    }
    throw new Error('expected a refusal');
  };
  const create = (options: unknown) => () => createTokenProvider(options as TokenProviderOptions);
  const fetchToken = async () => jwt(1);
  const known = 'url,init,fetchToken,identity,refreshAt,retry,fetch,resume';

  test('a key present with the value undefined is refused at its path, every key', () => {
    // `identity: session.user?.id` must not silently turn the identity check off.
    const expected = {
      url: 'a non-empty string or URL object',
      init: 'an object or a function',
      fetchToken: 'a function',
      identity: 'a non-empty string',
      refreshAt: 'a number',
      retry: 'an object',
      fetch: 'a function',
    };
    for (const [key, phrase] of Object.entries(expected)) {
      const base =
        key === 'url' || key === 'init' ? { fetchToken } : key === 'fetchToken' ? { url: '/t' } : { url: '/t' };
      const error = refusal(create({ ...base, [key]: undefined }));
      expect(error.code).toBe('ERR_INVALID_OPTION');
      expect(error.path).toBe(`options.${key}`);
      expect(error.message).toBe(`Invalid options.${key}: expected ${phrase}, received undefined`);
    }
    for (const key of ['initialDelay', 'maxDelay']) {
      const error = refusal(create({ fetchToken, retry: { [key]: undefined } }));
      expect([error.code, error.path, error.message]).toEqual([
        'ERR_INVALID_OPTION',
        `options.retry.${key}`,
        `Invalid options.retry.${key}: expected a number, received undefined`,
      ]);
    }
  });

  test('options that are not an object, and a retry that is not one, are an AccessTokenError, not a TypeError', () => {
    for (const [options, received] of [
      [null, 'null'],
      [undefined, 'undefined'],
      [42, '42'],
      ['/token', 'string'],
      [Symbol('options'), 'symbol'],
      [() => ({ url: '/t' }), 'function'],
    ] as const) {
      const error = refusal(create(options));
      expect([error.code, error.path, error.message]).toEqual([
        'ERR_INVALID_OPTION',
        'options',
        `Invalid options: expected an object, received ${received}`,
      ]);
    }
    for (const [retry, received] of [
      [null, 'null'],
      [5000, '5000'],
      ['5000', 'string'],
      [Symbol('retry'), 'symbol'],
    ] as const) {
      const error = refusal(create({ url: '/t', retry }));
      expect([error.code, error.path, error.message]).toEqual([
        'ERR_INVALID_OPTION',
        'options.retry',
        `Invalid options.retry: expected an object, received ${received}`,
      ]);
    }
  });

  test('a refreshAt, initialDelay or maxDelay that is not a number is refused, never coerced', () => {
    for (const [refreshAt, received] of [
      [Symbol('x'), 'symbol'],
      ['0.5', 'string'],
      [BigInt(1), 'bigint'],
      [{ valueOf: () => 0.5 }, 'object'],
      [null, 'null'],
      [true, 'boolean'],
    ] as const) {
      const error = refusal(create({ url: '/t', refreshAt }));
      expect([error.code, error.path, error.message]).toEqual([
        'ERR_INVALID_OPTION',
        'options.refreshAt',
        `Invalid options.refreshAt: expected a number, received ${received}`,
      ]);
    }
    // '5000' >= 1000 is true in JavaScript: a string must not pass the floor check by coercion.
    for (const retry of [{ initialDelay: '5000' }, { maxDelay: '60000' }, { initialDelay: Symbol('x') }]) {
      const error = refusal(create({ url: '/t', retry }));
      expect(error.path).toMatch(/^options\.retry\.(initialDelay|maxDelay)$/);
      expect(error.message).toMatch(/^Invalid options\.retry\.\w+: expected a number, received (string|symbol)$/);
    }
    expect(refusal(create({ url: '/t', refreshAt: 1.5 })).message).toBe(
      'Invalid options.refreshAt: expected a number between 0 and 1, received 1.5',
    );
  });

  test('wrong types for url, init, fetchToken and fetch are refused up front', () => {
    for (const [options, path] of [
      [{ url: 42 }, 'options.url'],
      [{ url: null }, 'options.url'],
      [{ url: '/t', init: 'credentials' }, 'options.init'],
      [{ url: '/t', init: null }, 'options.init'],
      [{ fetchToken: '/token' }, 'options.fetchToken'],
      [{ fetchToken: null }, 'options.fetchToken'],
      [{ url: '/t', fetch: {} }, 'options.fetch'],
    ] as const) {
      const error = refusal(create(options));
      expect([error.code, error.path]).toEqual(['ERR_INVALID_OPTION', path]);
    }
    // What the types allow is accepted: a URL object, init as an object or a function.
    for (const options of [
      { url: new URL('https://example.com/t') },
      { url: '/t', init: () => ({}) },
      { url: '/t', init: {} },
    ])
      createTokenProvider(options).stop();
  });

  test.each([
    ['refreshat', 'options.refreshat', 'refreshAt'],
    ['RefreshAt', 'options.RefreshAt', 'refreshAt'],
    ['fetchtoken', 'options.fetchtoken', 'fetchToken'],
    ['fetchTokn', 'options.fetchTokn', 'fetch'], // starting with a known key beats a distance of 1
    ['identiy', 'options.identiy', 'identity'],
    ['retries', 'options.retries', 'retry'],
    ['urlTemplate', 'options.urlTemplate', 'url'], // starts with a known key
    ['fetchFn', 'options.fetchFn', 'fetch'],
    ['URL', 'options.URL', 'url'],
    ['inti', 'options.inti', 'init'], // 2 edits
  ])('a misspelt key %j is named with its suggestion', (key, path, suggestion) => {
    const error = refusal(create({ url: '/t', [key]: 0.5 }));
    expect([error.code, error.path, error.message]).toEqual([
      'ERR_INVALID_OPTION',
      path,
      `Invalid ${path}: unknown option "${key}" (did you mean "${suggestion}"?)`,
    ]);
  });

  test('a misspelt retry key is named with its suggestion, under options.retry', () => {
    const error = refusal(create({ url: '/t', retry: { initialdelay: 2000 } }));
    expect([error.path, error.message]).toEqual([
      'options.retry.initialdelay',
      'Invalid options.retry.initialdelay: unknown option "initialdelay" (did you mean "initialDelay"?)',
    ]);
    const far = refusal(create({ url: '/t', retry: { attempts: 3 } }));
    expect([far.path, far.message]).toEqual([
      'options.retry',
      'Invalid options.retry: unknown option (a key of 8 characters); known options: initialDelay,maxDelay',
    ]);
  });

  test('any other unknown key, prototype names included, is described by its length and never named', () => {
    const secret = 'sk_live_0123456789abcdefghijklmnop';
    for (const options of [
      { url: '/t', [secret]: 1 }, // over 24 characters
      { url: '/t', apiKeySecret: secret },
      { url: '/t', refreshAtWhenTheTokenIsOld: 0.5 }, // starts with a known key, but 26 characters
      JSON.parse('{"url":"/t","__proto__":{"identity":"x"}}'),
      JSON.parse('{"url":"/t","constructor":1}'),
      JSON.parse('{"url":"/t","toString":1}'),
      JSON.parse('{"url":"/t","hasOwnProperty":1}'),
    ]) {
      const key = Object.keys(options).find((k) => k !== 'url') as string;
      const error = refusal(create(options));
      expect([error.code, error.path, error.message]).toEqual([
        'ERR_INVALID_OPTION',
        'options',
        `Invalid options: unknown option (a key of ${key.length} characters); known options: ${known}`,
      ]);
      expect(JSON.stringify(error)).not.toContain(key);
      expect(String(error.stack)).not.toContain(key);
      expect(JSON.stringify(error)).not.toContain(secret.slice(10, 16));
    }
  });

  test('property: every unknown key is refused; one over 24 characters never appears in the error', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((key) => !known.split(',').includes(key)),
        fc.anything(),
        (key, value) => {
          const error = refusal(create(Object.defineProperty({ fetchToken }, key, { value, enumerable: true })));
          expect(error.code).toBe('ERR_INVALID_OPTION');
          if (key.length > 24 || error.path === 'options') {
            expect(error.path).toBe('options');
            expect(error.message).toBe(
              `Invalid options: unknown option (a key of ${key.length} characters); known options: ${known}`,
            );
          } else {
            expect(error.path).toMatch(/^options\./);
            // Every suggestion is a known option (the list, not a copy of it: resume joined it later).
            const suggested = /\(did you mean "([^"]+)"\?\)$/.exec(error.message)?.[1];
            expect(known.split(',')).toContain(suggested);
          }
        },
      ),
    );
  });

  test('property: a known key holding a value of the wrong type is refused at its path, whatever the value', () => {
    const accepts: Record<string, (v: unknown) => boolean> = {
      url: (v) => typeof v === 'string' || (typeof v === 'object' && v !== null),
      init: (v) => (typeof v === 'object' && v !== null) || typeof v === 'function',
      fetchToken: (v) => typeof v === 'function',
      identity: (v) => typeof v === 'string',
      refreshAt: (v) => typeof v === 'number' && v > 0 && v < 1,
      retry: (v) => typeof v === 'object' && v !== null,
      fetch: (v) => typeof v === 'function',
    };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(accepts)), fc.anything(), (key, value) => {
        fc.pre(!accepts[key]!(value));
        const base = key === 'url' || key === 'fetchToken' ? {} : { fetchToken };
        const error = refusal(create({ ...base, [key]: value }));
        expect(error.code).toBe('ERR_INVALID_OPTION');
        // Either the key's own refusal, or (for a url or fetchToken of the right type) the either-or rule.
        expect(error.path).toMatch(new RegExp(`^options(\\.${key}(\\.\\w+)?)?$`));
        expect(error.message).not.toMatch(/undefined is not|Cannot/);
      }),
    );
  });

  test('options are read once, own keys only: a getter runs once, a polluted Object.prototype is ignored', async () => {
    let reads = 0;
    const provider = createTokenProvider({
      get fetchToken() {
        reads += 1;
        return fetchToken;
      },
    });
    expect(reads).toBe(1);
    expect(await provider.getToken()).toBe(jwt(1));
    provider.stop();
    const proto = Object.prototype as Record<string, unknown>;
    proto.identity = 'mallory';
    proto.url = '/evil';
    try {
      // Neither the inherited identity (which would refuse jwt(1)) nor the inherited url (which would
      // make url and fetchToken both given) is read.
      const clean = createTokenProvider({ fetchToken });
      expect(await clean.getToken()).toBe(jwt(1));
      clean.stop();
    } finally {
      delete proto.identity;
      delete proto.url;
    }
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
  test('a provider that never fetched listens to nothing (a React render may make one and drop it)', async () => {
    const added = vi.fn();
    vi.stubGlobal('addEventListener', added);
    vi.stubGlobal('removeEventListener', vi.fn());
    vi.stubGlobal('document', { visibilityState: 'visible', addEventListener: added, removeEventListener: vi.fn() });
    try {
      const provider = createTokenProvider({ fetchToken: source(100) });
      expect(added).not.toHaveBeenCalled();
      await provider.getToken();
      expect(added.mock.calls.map((call) => call[0]).sort()).toEqual(['online', 'visibilitychange']);
      provider.stop();
    } finally {
      vi.unstubAllGlobals();
    }
  });

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
