// The public types of twilio-access-token/client.

/** A token with the lifetime its source reported. */
export interface TokenWithTtl {
  /** The Access Token. */
  token: string;
  /**
   * Its lifetime in seconds. A value that is not a number from 1 to 86400 (milliseconds by mistake,
   * `NaN`, a string) is ignored, and the token's own `exp - iat` is used.
   */
  ttl?: number;
}

/** What {@link TokenProviderOptions.fetchToken} may return: the token, optionally with its ttl. */
export type FetchedToken = string | TokenWithTtl;

/** Backoff after a failed fetch, in milliseconds. */
export interface RetryOptions {
  /** The first delay; at least 1000. @defaultValue 1000 */
  initialDelay?: number;
  /** The longest delay; each failure doubles the delay up to it. @defaultValue 30000 */
  maxDelay?: number;
}

/** Options of {@link createTokenProvider}. Give `url` or `fetchToken`. */
export interface TokenProviderOptions {
  /** A token endpoint to POST to; its 200 body is `{ token, identity, ttl, expiresAt }`, at most 64 KiB. */
  url?: string | URL;
  /** The request's options (headers, credentials, body), or a function returning them for each request. */
  init?: RequestInit | (() => RequestInit | Promise<RequestInit>);
  /**
   * Fetches a token some other way, instead of `url`. `signal` aborts when the provider is stopped.
   *
   * @param signal - Aborted by `stop()`; pass it on to your own request.
   */
  fetchToken?: (signal: AbortSignal) => Promise<FetchedToken>;
  /** The identity the tokens must be for: a token for another one is refused like a failed fetch. */
  identity?: string;
  /**
   * The fraction of the ttl after which to refresh, between 0 and 1.
   * @defaultValue 0.8
   */
  refreshAt?: number;
  /** Backoff after a failed fetch: from `initialDelay`, doubling up to `maxDelay`, less up to 20% jitter. */
  retry?: RetryOptions;
  /** @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /**
   * Subscribes the provider to "the app is back" events, on each of which it checks its token at
   * once (a timer does not run while a phone app sleeps): call `check` on each, return the
   * unsubscribe. Subscribed at the first `getToken()`, unsubscribed by `stop()`. In React Native,
   * `resumeOnAppState(AppState)`.
   *
   * @param check - Checks the token: refreshes it when it is past its refresh point, or retries a
   *   failed fetch now. Calls close together make at most one request.
   * @returns The unsubscribe.
   * @defaultValue `online` and `visibilitychange` where a DOM exists; nothing elsewhere.
   */
  resume?: (check: () => void) => () => void;
}

/** A Twilio SDK client that takes fresh tokens: Voice `Device`, Conversations `Client`, `SyncClient`, TaskRouter `Worker`. */
export interface TokenConsumer {
  /** Called with each new token; a returned Promise is awaited and its rejection goes to `onError`. */
  updateToken(token: string): unknown;
}

/** Keeps a fresh token at hand; from {@link createTokenProvider}. */
export interface TokenProvider {
  /**
   * The current token. Fetches when there is none or it is past its refresh point; concurrent calls
   * share one request. While retries back off it hands out the last token if it is still valid, and
   * otherwise waits for the scheduled attempt.
   */
  getToken(): Promise<string>;
  /** Sends each new token to `client.updateToken`. Returns a function that stops that. */
  attach(client: TokenConsumer): () => void;
  /** Calls `listener` with each new token. Returns a function that unsubscribes. */
  subscribe(listener: (token: string) => void): () => void;
  /** Calls `listener` with each failed fetch (and each rejected `updateToken`). Returns a function that unsubscribes. */
  onError(listener: (error: unknown) => void): () => void;
  /** Clears timers and listeners and aborts the request in flight; no request after it, and `getToken` rejects. */
  stop(): void;
}
