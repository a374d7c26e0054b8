// The provider: one token at hand, one attempt at a time, every attempt on one timer.

import { expected, invalid, readOptions, type Shape } from './options.js';
import { fail, lifetimeOf, MAX_TTL, readCapped } from './token-response.js';
import type { FetchedToken, RetryOptions, TokenProvider, TokenProviderOptions, TokenWithTtl } from './types.js';

/** No two token requests start closer than this, whatever the server, `fetchToken` or the caller does. */
const FLOOR = 1000;
/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER = 2 ** 31 - 1;

const ignore = () => {};

// Each option and what it must be (bad options are an AccessTokenError, as everywhere in this
// package; fetch failures are not: see onError).
const SHAPE: Shape = {
  url: 'a string or URL object',
  init: 'an object or a function',
  fetchToken: 'a function',
  identity: 'a string',
  refreshAt: 'a number',
  retry: 'an object',
  fetch: 'a function',
};
const RETRY: Shape = { initialDelay: 'a number', maxDelay: 'a number' };

/**
 * Creates a token provider. A refresh is scheduled when a token arrives, from the time it arrived and
 * the ttl the server reported (the body's `ttl` when it is a number from 1 to 86400, else the token's
 * `exp - iat`), never from the client's clock against `exp`: at `refreshAt` of the ttl, less up to
 * 10% jitter. A failed fetch goes to `onError` and is retried with exponential backoff, less up to 20%
 * jitter, while the last token is still valid and after; a 401 or 403 stops refreshing until the next
 * `getToken()`. No two requests start less than 1 s apart. In a browser it re-checks when the
 * network comes back and when the page becomes visible.
 *
 * @param options - `url` (and `init`) or `fetchToken`; `identity`, `refreshAt`, `retry`, `fetch`.
 * @returns A {@link TokenProvider}.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` when neither or both of `url` and `fetchToken` are
 *   given, `identity` is not a string, `refreshAt` is not between 0 and 1, or `retry.initialDelay`
 *   is under 1000 or `retry.maxDelay` under it.
 *
 * @example
 * ```ts
 * import { Device } from '@twilio/voice-sdk';
 * import { createTokenProvider } from 'twilio-access-token/client';
 *
 * const tokens = createTokenProvider({ url: '/token', init: { credentials: 'include' } });
 * const device = new Device(await tokens.getToken());
 * tokens.attach(device); // every refreshed token reaches device.updateToken
 * ```
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const {
    url,
    init,
    fetchToken,
    identity,
    refreshAt = 0.8,
    retry,
    fetch: fetcher,
  } = readOptions(options, SHAPE, 'options') as TokenProviderOptions;
  const { initialDelay = 1000, maxDelay = 30_000 } = readOptions(retry ?? {}, RETRY, 'options.retry') as RetryOptions;
  if ((url === undefined) === (fetchToken === undefined)) throw invalid('options', 'expected either url or fetchToken');
  if (!(refreshAt > 0 && refreshAt < 1))
    throw invalid('options.refreshAt', expected('a number between 0 and 1', refreshAt));
  if (!(initialDelay >= FLOOR && maxDelay >= initialDelay))
    throw invalid('options.retry', 'expected an initialDelay of at least 1000 (ms) and a maxDelay at least as long');

  const listeners = new Set<(token: string) => void>();
  const errorListeners = new Set<(error: unknown) => void>();
  let token: string | undefined;
  let refreshDue = 0; // epoch ms: when to refresh the current token
  let expiresAt = 0; // epoch ms: when the current token stops working, by its ttl
  let last = 0; // epoch ms: when the last request started
  let failures = 0;
  let denied = false; // the last answer was 401 or 403: no retry until getToken asks
  let stopped = false;
  // The next attempt: `wake` starts it (the timer, or stop); while it is set the attempt has not started.
  let next: Promise<string> | undefined;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abort = ignore;

  const report = (error: unknown) => {
    for (const listener of errorListeners) {
      try {
        listener(error);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };

  // Moves the next attempt to `delay` ms from now, but never sooner than 1 s after the last request
  // nor further than a timer can wait, and returns its outcome; a request on its way is not moved.
  const at = (delay: number): Promise<string> => {
    if (next && !wake) return next;
    clearTimeout(timer);
    next ??= new Promise<void>((resolve) => {
      wake = resolve;
    }).then(attempt);
    // The floor is capped at FLOOR too, so a clock set back does not hold every request up.
    const wait = Math.min(Math.max(delay, Math.min(last + FLOOR - Date.now(), FLOOR)), MAX_TIMER);
    // Due now: start in this tick's microtasks, not after a timer (the first getToken waits for no timer).
    if (wait > 0) timer = setTimeout(wake as () => void, wait);
    else wake?.();
    return next;
  };

  async function request(signal: AbortSignal): Promise<FetchedToken> {
    // The floor counts from the request itself, not from the start of an attempt whose init is slow.
    last = Date.now();
    if (fetchToken) return fetchToken(signal);
    const given = typeof init === 'function' ? await init() : init;
    // Stopped while init ran: no request (the attempt has already rejected).
    if (signal.aborted) throw fail('stopped');
    last = Date.now();
    const theirs = given?.signal;
    const { status, headers, body } = await (fetcher ?? fetch)(url as string | URL, {
      method: 'POST',
      ...given,
      // Where AbortSignal.any is missing (Safari before 17.4) theirs wins; stop() still rejects getToken.
      signal: theirs ? (AbortSignal.any?.([theirs, signal]) ?? theirs) : signal,
    });
    if (!(status >= 200 && status < 300)) {
      body?.cancel().catch(ignore);
      denied = status === 401 || status === 403;
      throw fail(`token request answered ${status}`, status);
    }
    return JSON.parse(await readCapped(body, headers.get('content-length')));
  }

  function accept(got: FetchedToken): string {
    const { token: fresh, ttl } = (typeof got === 'string' ? { token: got } : Object(got)) as Partial<TokenWithTtl>;
    const lifetime = lifetimeOf(fresh, identity);
    const seconds = typeof ttl === 'number' && ttl >= 1 && ttl <= MAX_TTL ? ttl : lifetime;
    const now = Date.now();
    const delay = seconds * 1000 * refreshAt * (1 - Math.random() * 0.1);
    token = fresh as string;
    expiresAt = now + seconds * 1000;
    refreshDue = now + delay;
    failures = 0;
    next = undefined;
    at(delay).catch(ignore);
    for (const listener of listeners) {
      try {
        listener(token);
      } catch (error) {
        report(error);
      }
    }
    return token;
  }

  async function attempt(): Promise<string> {
    wake = undefined;
    denied = false;
    try {
      if (stopped) throw fail('stopped');
      const controller = new AbortController();
      abort = () => controller.abort();
      const got = await new Promise<FetchedToken>((resolve, reject) => {
        controller.signal.onabort = reject;
        request(controller.signal).then(resolve, reject);
      });
      if (stopped) throw fail('stopped');
      return accept(got);
    } catch (error) {
      next = undefined;
      if (stopped) throw fail('stopped');
      // Logged out: the server refused, so the last token is not handed out and nothing is retried.
      if (denied) token = undefined;
      else {
        // Exponential backoff, less up to 20% jitter so a fleet that failed together spreads out.
        const step = Math.min(initialDelay * 2 ** failures++, maxDelay);
        at(Math.max(FLOOR, step * (1 - Math.random() * 0.2))).catch(ignore);
      }
      report(error); // after the state is settled: a listener may call getToken
      // The last token still works: hand it out while the retries go on.
      if (token !== undefined && Date.now() < expiresAt) return token;
      throw error;
    }
  }

  // Laptops wake up and networks come back: check then rather than wait for a timer that slept.
  const recheck = () => {
    if (!stopped && token !== undefined && (Date.now() >= refreshDue || failures > 0) && visible()) at(0).catch(ignore);
  };
  const g = globalThis as {
    addEventListener?: typeof addEventListener;
    removeEventListener?: typeof removeEventListener;
    document?: Document;
  };
  const visible = () => g.document?.visibilityState !== 'hidden';
  g.addEventListener?.('online', recheck);
  g.document?.addEventListener('visibilitychange', recheck);

  const subscribe = (listener: (token: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return {
    getToken() {
      const now = Date.now();
      if (stopped) return Promise.reject(fail('stopped'));
      if (token !== undefined && (now < refreshDue || (failures > 0 && now < expiresAt))) return Promise.resolve(token);
      // During a backoff, wait for the scheduled attempt rather than make another request.
      return failures > 0 && next ? next : at(0);
    },
    attach: (client) =>
      subscribe((fresh) => {
        const result = client.updateToken(fresh) as { then?: unknown } | undefined;
        if (typeof result?.then === 'function') (result as Promise<unknown>).then(undefined, report);
      }),
    subscribe,
    onError(listener) {
      errorListeners.add(listener);
      return () => void errorListeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      abort();
      wake?.();
      listeners.clear();
      errorListeners.clear();
      g.removeEventListener?.('online', recheck);
      g.document?.removeEventListener('visibilitychange', recheck);
    },
  };
}
