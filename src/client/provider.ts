// The provider: one token at hand, one attempt at a time, every attempt on one timer. A closure, not
// a class: its state is local variables, which minify to one letter where `this.#field` does not.

import { fail } from './fetch-error.js';
import { FLOOR, readProviderOptions } from './options.js';
import { domResume, g } from './resume.js';
import { lifetimeOf, MAX_TTL, readCapped } from './token-response.js';
import type { FetchedToken, TokenProvider, TokenProviderOptions, TokenWithTtl } from './types.js';

/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER = 2 ** 31 - 1;

const ignore = () => {};

/** Listeners of one kind: a throwing listener does not stop the others, its error goes to `thrown`. */
function listeners<T>(thrown: (error: unknown) => void) {
  const set = new Set<(value: T) => void>();
  return {
    add: (listener: (value: T) => void): (() => void) => {
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit: (value: T): void => {
      for (const listener of set) {
        try {
          listener(value);
        } catch (error) {
          thrown(error);
        }
      }
    },
    clear: () => set.clear(),
  };
}

/**
 * Creates a token provider. A refresh is scheduled when a token arrives, from the time it arrived and
 * the ttl the server reported (the body's `ttl` when it is a number from 1 to 86400, else the token's
 * `exp - iat`), never from the client's clock against `exp`: at `refreshAt` of the ttl, less up to
 * 10% jitter. A failed fetch goes to `onError` and is retried with exponential backoff, less up to 20%
 * jitter, while the last token is still valid and after; a 401 or 403 stops refreshing until the next
 * `getToken()`. No two requests start less than 1 s apart. In a browser it re-checks when the
 * network comes back and when the page becomes visible; elsewhere on the events `resume` gives
 * (React Native: `resumeOnAppState(AppState)`).
 *
 * @param options - `url` (and `init`) or `fetchToken`; `identity`, `refreshAt`, `retry`, `fetch`, `resume`.
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
  const o = readProviderOptions(options);
  const errors = listeners<unknown>(ignore);
  const tokens = listeners<string>(errors.emit);
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
  let unresume: unknown; // what `resume` returned: the unsubscribe

  // Laptops and phones wake up, networks come back: check then rather than wait for a timer that
  // slept. Repeats cost nothing: a fresh token, a request on its way or the 1 s floor holds them.
  const recheck = (): void => {
    if (
      !stopped &&
      token !== undefined &&
      (Date.now() >= refreshDue || failures > 0) &&
      g.document?.visibilityState !== 'hidden'
    )
      at(0).catch(ignore);
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

  const request = async (signal: AbortSignal): Promise<FetchedToken> => {
    const { url, init, fetchToken, fetch: fetcher } = o;
    // The floor counts from the request itself, not from the start of an attempt whose init is slow.
    last = Date.now();
    if (fetchToken) return fetchToken(signal);
    const given = typeof init === 'function' ? await init() : init;
    // Stopped while init ran: no request (the attempt has already rejected).
    if (signal.aborted) throw fail('ERR_STOPPED');
    last = Date.now();
    const theirs = given?.signal;
    const response = await (fetcher ?? fetch)(url as string | URL, {
      method: 'POST',
      ...given,
      // Where AbortSignal.any is missing (Safari before 17.4) theirs wins; stop() still rejects getToken.
      signal: theirs ? (AbortSignal.any?.([theirs, signal]) ?? theirs) : signal,
    });
    const { status } = response;
    if (!(status >= 200 && status < 300)) {
      response.body?.cancel().catch(ignore);
      denied = status === 401 || status === 403;
      throw fail('ERR_HTTP_STATUS', status);
    }
    return JSON.parse(await readCapped(response));
  };

  const accept = (got: FetchedToken): string => {
    const { token: fresh, ttl } = (typeof got === 'string' ? { token: got } : Object(got)) as Partial<TokenWithTtl>;
    const lifetime = lifetimeOf(fresh, o.identity);
    const seconds = typeof ttl === 'number' && ttl >= 1 && ttl <= MAX_TTL ? ttl : lifetime;
    const now = Date.now();
    const delay = seconds * 1000 * o.refreshAt * (1 - Math.random() * 0.1);
    token = fresh as string;
    expiresAt = now + seconds * 1000;
    refreshDue = now + delay;
    failures = 0;
    next = undefined;
    at(delay).catch(ignore);
    tokens.emit(token);
    return token;
  };

  const failed = (error: unknown): string => {
    next = undefined;
    if (stopped) throw fail('ERR_STOPPED');
    // Logged out: the server refused, so the last token is not handed out and nothing is retried.
    if (denied) token = undefined;
    else {
      // Exponential backoff, less up to 20% jitter so a fleet that failed together spreads out.
      const step = Math.min(o.initialDelay * 2 ** failures++, o.maxDelay);
      at(Math.max(FLOOR, step * (1 - Math.random() * 0.2))).catch(ignore);
    }
    errors.emit(error); // after the state is settled: a listener may call getToken
    // The last token still works: hand it out while the retries go on.
    if (token !== undefined && Date.now() < expiresAt) return token;
    throw error;
  };

  const attempt = async (): Promise<string> => {
    wake = undefined;
    denied = false;
    try {
      if (stopped) throw fail('ERR_STOPPED');
      const controller = new AbortController();
      abort = () => controller.abort();
      const got = await new Promise<FetchedToken>((resolve, reject) => {
        controller.signal.onabort = reject;
        request(controller.signal).then(resolve, reject);
      });
      if (stopped) throw fail('ERR_STOPPED');
      return accept(got);
    } catch (error) {
      return failed(error);
    }
  };

  return {
    getToken(): Promise<string> {
      const now = Date.now();
      if (stopped) return Promise.reject(fail('ERR_STOPPED'));
      // Listening from the first request, once, not from creation: a provider that never fetched,
      // such as one a React render made and dropped, holds no listener. A `resume` that throws
      // rejects this call, and the next one subscribes again.
      try {
        unresume ??= (o.resume ?? domResume)(recheck) ?? ignore;
      } catch (error) {
        return Promise.reject(error);
      }
      if (token !== undefined && (now < refreshDue || (failures > 0 && now < expiresAt)))
        return Promise.resolve(token);
      // During a backoff, wait for the scheduled attempt rather than make another request.
      return failures > 0 && next ? next : at(0);
    },
    attach: (client) =>
      tokens.add((fresh) => {
        const result = client.updateToken(fresh) as { then?: unknown } | undefined;
        if (typeof result?.then === 'function') (result as Promise<unknown>).then(undefined, errors.emit);
      }),
    subscribe: tokens.add,
    onError: errors.add,
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      abort();
      wake?.();
      tokens.clear();
      errors.clear();
      if (typeof unresume === 'function') unresume();
    },
  };
}
