import { createTokenProvider } from '../client/provider.js';
import type { TokenProvider, TokenProviderOptions } from '../client/types.js';

// One provider per component tree and what React renders from it. The store is made during render
// (made twice by StrictMode, one copy dropped): it does nothing until React subscribes, and making
// the provider sends no request and adds no listener. React subscribes in an effect; StrictMode
// unsubscribes and subscribes again at once, so the stop after the last unsubscribe waits a tick
// and a subscriber that comes back in time keeps the same provider and its request in flight.

/** What `useAccessToken` returns. */
export interface AccessTokenState {
  /** The current token; `undefined` until the first one arrives. */
  readonly token?: string;
  /** The last failure (a failed fetch, a 401), until the next token arrives. */
  readonly error?: unknown;
  /** `true` until the first token or failure. */
  readonly loading: boolean;
}

/** A provider to use as it is (never stopped by React), or options to make one (stopped on unmount). */
export type TokenSource = TokenProvider | TokenProviderOptions;

/** The store behind the hooks; internal. */
export interface TokenStore {
  /** The provider: the caller's, or the one this store made. */
  provider(): TokenProvider;
  /** The state to render. */
  state(): AccessTokenState;
  /** React's subscription: the first starts the provider, the end of the last stops it. */
  subscribe(onChange: () => void): () => void;
}

/** The state before any token, and on the server. */
export const LOADING: AccessTokenState = Object.freeze({ loading: true });

/** Sends a provider's tokens and failures on, and asks it for a token now; returns the detach. */
function follow(provider: TokenProvider, token: (fresh: string) => void, failed: (error: unknown) => void) {
  const offToken = provider.subscribe(token);
  const offError = provider.onError(failed);
  try {
    provider.getToken().then(token, failed);
  } catch (error) {
    failed(error); // a hand-made provider that throws instead of rejecting
  }
  return () => {
    offToken();
    offError();
  };
}

/**
 * How long a token stays usable after `error`, in ms, as /client hands out its last token: 0 after
 * a 401, past its `exp`, or when unreadable.
 */
function usableFor(token: string | undefined, error: unknown): number {
  if (token === undefined || (error as { status?: unknown } | null)?.status === 401) return 0;
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const exp: unknown = JSON.parse(atob(part)).exp;
    return typeof exp === 'number' ? Math.max(0, exp * 1000 - Date.now()) : 0;
  } catch {
    return 0;
  }
}

/** The caller's provider, or `undefined` for options (`null` included: /client refuses it clearly). */
function providerOf(source: TokenSource): TokenProvider | undefined {
  const getToken =
    typeof source === 'object' && source !== null ? (source as Partial<TokenProvider>).getToken : undefined;
  return typeof getToken === 'function' ? (source as TokenProvider) : undefined;
}

/** A store over a given provider, or over one made from options. */
export function createTokenStore(source: TokenSource): TokenStore {
  const given = providerOf(source);
  const make = () => given ?? createTokenProvider(source as TokenProviderOptions);
  let provider = make();
  let stopped = false;
  let state = LOADING;
  let detach: (() => void) | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined; // the stop after the last unsubscribe
  let expiry: ReturnType<typeof setTimeout> | undefined; // the end of a kept token beside an error
  const changes = new Set<() => void>();
  const set = (next: AccessTokenState) => {
    state = next;
    for (const change of changes) change();
  };

  const start = () => {
    // Shown again after a stop (React's Activity keeps state): a new provider, as on a first mount.
    if (stopped) {
      provider = make();
      stopped = false;
      state = LOADING;
    }
    const current = provider;
    const token = (fresh: string) => {
      if (current === provider && (fresh !== state.token || state.error !== undefined))
        set({ token: fresh, loading: false });
    };
    const failed = (error: unknown) => {
      if (current !== provider || error === state.error) return;
      const ms = usableFor(state.token, error);
      clearTimeout(expiry);
      set(ms > 0 ? { token: state.token, error, loading: false } : { error, loading: false });
      if (ms > 0) expiry = setTimeout(() => state.error === error && set({ error, loading: false }), ms);
    };
    detach = follow(current, token, failed);
  };
  const stop = () => {
    clearTimeout(expiry);
    detach?.();
    detach = undefined;
    if (given === undefined) {
      provider.stop();
      stopped = true;
    }
  };

  return {
    provider: () => provider,
    state: () => state,
    subscribe(onChange) {
      clearTimeout(pending);
      changes.add(onChange);
      if (detach === undefined) start();
      return () => {
        changes.delete(onChange);
        if (changes.size === 0) pending = setTimeout(stop);
      };
    },
  };
}
