/**
 * Tokens in the browser, refreshed before they expire: fetches tokens from a token endpoint (or any
 * source) and keeps Twilio SDK clients fed with fresh ones. Zero dependencies, no Node built-ins.
 *
 * ```ts
 * import { createTokenProvider } from 'twilio-access-token/client';
 * ```
 *
 * @module twilio-access-token/client
 */

import { AccessTokenError } from './errors.js';

/** A token with the lifetime its source reported. */
export interface TokenWithTtl {
  /** The Access Token. */
  token: string;
  /** Its lifetime in seconds; without it the token's own `exp - iat` is used. */
  ttl?: number;
}

/** What {@link TokenProviderOptions.fetchToken} may return: the token, optionally with its ttl. */
export type FetchedToken = string | TokenWithTtl;

/** Backoff after a failed fetch, in milliseconds. */
export interface RetryOptions {
  /** The first delay. @defaultValue 1000 */
  initialDelay?: number;
  /** The longest delay; each failure doubles the delay up to it. @defaultValue 30000 */
  maxDelay?: number;
}

/** Options of {@link createTokenProvider}. Give `url` or `fetchToken`. */
export interface TokenProviderOptions {
  /** A token endpoint to POST to; its 200 body is `{ token, identity, ttl, expiresAt }`. */
  url?: string | URL;
  /** The request's options (headers, credentials, body), or a function returning them for each request. */
  init?: RequestInit | (() => RequestInit | Promise<RequestInit>);
  /** Fetches a token some other way, instead of `url`. */
  fetchToken?: () => Promise<FetchedToken>;
  /**
   * The fraction of the ttl after which to refresh, between 0 and 1.
   * @defaultValue 0.8
   */
  refreshAt?: number;
  /** Backoff after a failed fetch: from `initialDelay`, doubling up to `maxDelay`. */
  retry?: RetryOptions;
  /** @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
}

/** A Twilio SDK client that takes fresh tokens: Voice `Device`, Conversations `Client`, `SyncClient`, TaskRouter `Worker`. */
export interface TokenConsumer {
  /** Called with each new token; a returned Promise is awaited and its rejection goes to `onError`. */
  updateToken(token: string): unknown;
}

/** Keeps a fresh token at hand; from {@link createTokenProvider}. */
export interface TokenProvider {
  /** The current token; fetches when there is none or it is past its refresh point. Concurrent calls share one request. */
  getToken(): Promise<string>;
  /** Sends each new token to `client.updateToken`. Returns a function that stops that. */
  attach(client: TokenConsumer): () => void;
  /** Calls `listener` with each new token. Returns a function that unsubscribes. */
  subscribe(listener: (token: string) => void): () => void;
  /** Calls `listener` with each failed fetch (and each rejected `updateToken`). Returns a function that unsubscribes. */
  onError(listener: (error: unknown) => void): () => void;
  /** Clears timers and listeners; no request after it, and `getToken` rejects. */
  stop(): void;
}

/** A failed token fetch: `status` is the HTTP status when the server answered. */
export interface TokenFetchError extends Error {
  /** The HTTP status of a non-2xx answer. */
  readonly status?: number;
}

const fail = (message: string, status?: number): TokenFetchError =>
  Object.assign(new Error(`twilio-access-token/client: ${message}`), status === undefined ? {} : { status });

/** The ttl from a JWT's own claims (`exp - iat`), for sources that do not report one. */
function ttlOf(token: string): number | undefined {
  try {
    const json = atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'));
    const { exp, iat } = JSON.parse(json) as { exp?: unknown; iat?: unknown };
    return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? exp - iat : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates a token provider. A refresh is scheduled when a token arrives, from the time it arrived and
 * the ttl the server reported (the body's `ttl`, else the token's `exp - iat`), never from the
 * client's clock against `exp`: at `refreshAt` of the ttl, less up to 10% jitter. A failed fetch goes
 * to `onError` and is retried with exponential backoff, while the last token is still valid and
 * after. In a browser it re-checks when the network comes back and when the page becomes visible.
 *
 * @param options - `url` (and `init`) or `fetchToken`; `refreshAt`, `retry`, `fetch`.
 * @returns A {@link TokenProvider}.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` when neither or both of `url` and `fetchToken` are
 *   given, or `refreshAt` or `retry` is out of range.
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
  const { url, init, fetchToken, refreshAt = 0.8, retry = {} } = options;
  const { initialDelay = 1000, maxDelay = 30_000 } = retry;
  // Bad options are an AccessTokenError, as everywhere in this package (fetch failures are not: see onError).
  const invalid = (path: string, expected: string) =>
    new AccessTokenError('ERR_INVALID_OPTION', `Invalid ${path}: expected ${expected}`, path);
  if ((url === undefined) === (fetchToken === undefined)) throw invalid('options', 'either url or fetchToken');
  if (!(refreshAt > 0 && refreshAt < 1)) throw invalid('options.refreshAt', 'a fraction between 0 and 1');
  if (!(initialDelay > 0 && maxDelay >= initialDelay))
    throw invalid('options.retry', 'a positive initialDelay and a maxDelay at least as long');

  const listeners = new Set<(token: string) => void>();
  const errorListeners = new Set<(error: unknown) => void>();
  let token: string | undefined;
  let refreshDue = 0; // epoch ms: when to refresh the current token
  let expiresAt = 0; // epoch ms: when the current token stops working, by its ttl
  let inFlight: Promise<string> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const report = (error: unknown) => {
    for (const listener of errorListeners) {
      try {
        listener(error);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void refresh().catch(() => {}), delay);
  };

  async function request(): Promise<FetchedToken> {
    if (fetchToken !== undefined) return fetchToken();
    const given = typeof init === 'function' ? await init() : init;
    const response = await (options.fetch ?? fetch)(url as string | URL, { method: 'POST', ...given });
    if (!response.ok) throw fail(`token request answered ${response.status}`, response.status);
    return (await response.json()) as FetchedToken;
  }

  function refresh(): Promise<string> {
    if (stopped) return Promise.reject(fail('stopped'));
    inFlight ??= request()
      .then((got) => {
        const fresh = typeof got === 'string' ? got : got?.token;
        if (typeof fresh !== 'string' || fresh.split('.').length !== 3) throw fail('the response holds no token');
        const ttl =
          (typeof got === 'object' && typeof got.ttl === 'number' && got.ttl > 0 ? got.ttl : ttlOf(fresh)) ?? 0;
        const now = Date.now();
        token = fresh;
        expiresAt = now + ttl * 1000;
        const delay = ttl * 1000 * refreshAt * (1 - Math.random() * 0.1);
        refreshDue = now + delay;
        failures = 0;
        if (ttl > 0) schedule(delay);
        for (const listener of listeners) {
          try {
            listener(fresh);
          } catch (error) {
            report(error);
          }
        }
        return fresh;
      })
      .catch((error: unknown) => {
        if (stopped) throw fail('stopped');
        report(error);
        schedule(Math.min(initialDelay * 2 ** failures++, maxDelay));
        // The last token still works: hand it out while the retries go on.
        if (token !== undefined && Date.now() < expiresAt) return token;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  // Laptops wake up and networks come back: check then rather than wait for a timer that slept.
  const recheck = () => {
    if (!stopped && token !== undefined && (Date.now() >= refreshDue || failures > 0) && visible())
      void refresh().catch(() => {});
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
      if (stopped) return Promise.reject(fail('stopped'));
      return token !== undefined && Date.now() < refreshDue ? Promise.resolve(token) : refresh();
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
      listeners.clear();
      errorListeners.clear();
      g.removeEventListener?.('online', recheck);
      g.document?.removeEventListener('visibilitychange', recheck);
    },
  };
}
