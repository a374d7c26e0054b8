// The provider: one token at hand, one attempt at a time, every attempt on one timer. Closures over
// local variables rather than a class: a local minifies to one letter, `this.#field` does not.
//
// - Listening from the first request, once, not from creation: a provider that never fetched, such
//   as one a React render made and dropped, holds no listener. A `resume` that throws rejects that
//   getToken call, and the next one subscribes again.
// - Laptops and phones wake up, networks come back: `recheck` then rather than wait for a timer that
//   slept. Repeats cost nothing: a fresh token, a request on its way, a backoff or the 1 s floor
//   holds them.
// - During a backoff, getToken waits for the scheduled attempt rather than make another request, and
//   a resume never cuts it short (an AppState that flaps through an outage would make every phone
//   retry each second).
// - A failure: when the server refused (401, 403: logged out), the last token is not handed out and
//   nothing is retried; else exponential backoff, less up to 20% jitter so a fleet that failed
//   together spreads out. The last token, while it still works, is handed out while retries go on.

import { fail } from './fetch-error.js';
import { FLOOR, type ProviderConfig, readProviderOptions } from './options.js';
import { domResume, g } from './resume.js';
import { denials, ignore, readAnswer, tokenOf } from './token-response.js';
import type { TokenProvider, TokenProviderOptions } from './types.js';

/** Throws the error of a stopped provider when `signal` (the provider's) is aborted. */
const live = (signal: AbortSignal): void => {
  if (signal.aborted) throw fail('ERR_STOPPED');
};

/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER = 2 ** 31 - 1;

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
 * Asks the source for a token: `fetchToken`, or a POST to `url` whose answer {@link readAnswer}
 * reads. Where AbortSignal.any is missing (Safari before 17.4) the caller's own `init.signal` wins;
 * `stop()` still rejects at once, by `signal`.
 *
 * @param o - The provider's options.
 * @param signal - Aborted by `stop()`: the returned promise rejects then, whatever the source does.
 * @param started - Called as the request starts: the 1 s floor counts from the request itself, not
 *   from the start of an attempt whose `init` is slow.
 * @returns What the source answered.
 */
const request = (o: ProviderConfig, signal: AbortSignal, started: () => void): Promise<unknown> =>
  new Promise((resolve, reject) => {
    signal.onabort = reject;
    (async () => {
      const { url, init, fetchToken, fetch: fetcher } = o;
      const given = fetchToken || (typeof init === 'function' ? await init() : init);
      // Stopped while init ran: no request (the attempt has already rejected).
      live(signal);
      started();
      if (fetchToken) return fetchToken(signal);
      const theirs = (given as RequestInit | undefined)?.signal;
      const response = await (fetcher ?? fetch)(url as string | URL, {
        method: 'POST',
        ...(given as RequestInit | undefined),
        signal: theirs ? (AbortSignal.any?.([theirs, signal]) ?? theirs) : signal,
      });
      return readAnswer(response);
    })().then(resolve, reject);
  });

/**
 * One attempt at a time, on one timer.
 *
 * @param attempt - Makes an attempt and settles it (calling `settled` before it schedules the next).
 * @returns `at(delay)`: moves the next attempt to `delay` ms from now, but never sooner than 1 s after
 *   the last request (a floor capped at 1 s, for a clock set back) nor further than a timer can
 *   wait, and returns its outcome; a request on its way is not moved, and one due now starts in
 *   this tick's microtasks. `pending()`: the next attempt, if any. `settled()`: the attempt on its
 *   way has its outcome. `started()`: a request starts now. `halt()`: no timer, and a waiting
 *   attempt starts at once (to fail as stopped).
 */
function scheduler(attempt: () => Promise<string>) {
  let next: Promise<string> | undefined;
  // Starts the next attempt (the timer, or halt); while it is set the attempt has not started.
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0; // epoch ms: when the last request started
  const at = (delay: number): Promise<string> => {
    if (next && !wake) return next;
    clearTimeout(timer);
    if (!next) {
      next = new Promise<void>((resolve) => {
        wake = resolve;
      }).then(() => {
        wake = undefined;
        return attempt();
      });
      next.catch(ignore);
    }
    const wait = Math.min(Math.max(delay, Math.min(last + FLOOR - Date.now(), FLOOR)), MAX_TIMER);
    if (wait > 0) timer = setTimeout(wake!, wait);
    else wake!();
    return next;
  };
  return [
    at,
    () => next,
    () => {
      next = undefined;
    },
    () => {
      last = Date.now();
    },
    () => {
      clearTimeout(timer);
      wake?.();
    },
  ] as const;
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
 *   given, `url` or `identity` is an empty string or not a string, `refreshAt` is not between 0 and 1,
 *   or `retry.initialDelay` is under 1000 or over `retry.maxDelay` (30000 when not given), or a given
 *   `retry.maxDelay` is under `retry.initialDelay`.
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
  const controller = new AbortController(); // stop() aborts it: the request in flight, and every later attempt
  const { signal } = controller;
  let token: string | undefined;
  let [refreshDue, expiresAt, failures] = [0, 0, 0]; // epoch ms: when to refresh the token, when it stops working
  let unresume: unknown; // what `resume` returned: the unsubscribe
  const [at, pending, settled, started, halt] = scheduler(async () => {
    try {
      live(signal);
      const [fresh, seconds] = tokenOf(await request(o, signal, started), o.identity);
      live(signal);
      const now = Date.now();
      const delay = seconds * 1000 * o.refreshAt * (1 - Math.random() * 0.1);
      [token, expiresAt, refreshDue, failures] = [fresh, now + seconds * 1000, now + delay, 0];
      settled();
      at(delay);
      tokens.emit(fresh);
      return fresh;
    } catch (error) {
      settled();
      live(signal);
      if (denials.has(error as object)) token = undefined;
      else at(Math.min(o.initialDelay * 2 ** failures++, o.maxDelay) * (1 - Math.random() * 0.2)); // at() keeps the 1 s floor
      errors.emit(error); // after the state is settled: a listener may call getToken
      if (token && Date.now() < expiresAt) return token; // it still works: handed out while retries go on
      throw error;
    }
  });
  const recheck = (): void => {
    if (!signal.aborted && token && !failures && Date.now() >= refreshDue && g.document?.visibilityState !== 'hidden')
      at(0);
  };
  return {
    async getToken() {
      const now = Date.now();
      live(signal);
      unresume ??= (o.resume ?? domResume)(recheck) ?? ignore; // from the first request (see above)
      if (token && (now < refreshDue || (failures && now < expiresAt))) return token;
      return (failures && pending()) || at(0); // during a backoff, the scheduled attempt
    },
    // A Promise that updateToken returns is awaited, its rejection to onError (a value is left as it is).
    attach: (client) => tokens.add((fresh) => void Promise.resolve(client.updateToken(fresh)).catch(errors.emit)),
    subscribe: tokens.add,
    onError: errors.add,
    stop() {
      controller.abort();
      halt();
      try {
        (unresume as () => void)?.();
      } catch (error) {
        errors.emit(error); // an unsubscribe that throws stops nothing else
      }
      tokens.clear();
      errors.clear();
    },
  };
}
