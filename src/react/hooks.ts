import {
  createContext,
  createElement,
  type ReactElement,
  type ReactNode,
  useContext,
  useState,
  useSyncExternalStore,
} from 'react';
import type { TokenProvider } from '../client/types.js';
import { type AccessTokenState, createTokenStore, LOADING, type TokenSource, type TokenStore } from './token-store.js';

const StoreContext = createContext<TokenStore | undefined>(undefined);

const serverState = () => LOADING;

/** The store of this component: its own for a `source`, else the enclosing `AccessTokenProvider`'s. */
function useStore(source: TokenSource | undefined, hook: string): TokenStore {
  const outer = useContext(StoreContext);
  // Made once per component: later values of `source` are not read (remount with a `key` to change it).
  const [own] = useState(() => (source === undefined ? undefined : createTokenStore(source)));
  const store = own ?? outer;
  if (store === undefined)
    throw new TypeError(
      `${hook}() needs a source (a TokenProvider or its options) or an enclosing <AccessTokenProvider>`,
    );
  return store;
}

/**
 * Keeps a fresh Access Token in a component: fetches one at mount, re-renders with each refreshed
 * token, and stops the provider at unmount when it made it from options (a provider you pass is
 * yours to stop). Under `<StrictMode>` the double mount makes one request. Without `source`, it
 * uses the enclosing {@link AccessTokenProvider}'s provider.
 *
 * @param source - A `TokenProvider` from `createTokenProvider`, or its options; read once, at the
 *   first render.
 * @returns `{ token, error, loading }`: `loading` until the first token or failure; `error` is the
 *   last failure until the next token.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` (at render) for invalid provider options, and a
 *   `TypeError` without `source` outside an {@link AccessTokenProvider}.
 *
 * @example
 * ```tsx
 * 'use client';
 * import { useAccessToken } from 'twilio-access-token/react';
 *
 * export function Call() {
 *   const { token, error, loading } = useAccessToken({ url: '/api/token' });
 *   if (loading) return <p>Connecting...</p>;
 *   if (token === undefined) return <p>No token: {String(error)}</p>;
 *   return <p>Token ready ({token.length} characters)</p>;
 * }
 * ```
 */
export function useAccessToken(source?: TokenSource): AccessTokenState {
  const store = useStore(source, 'useAccessToken');
  return useSyncExternalStore(store.subscribe, store.state, serverState);
}

/** Props of {@link AccessTokenProvider}. */
export interface AccessTokenProviderProps {
  /** A `TokenProvider` (never stopped by this component), or its options (one is made and stopped on unmount). */
  readonly provider: TokenSource;
  /** The tree that uses the token, through {@link useAccessToken} and {@link useTokenProvider}. */
  readonly children?: ReactNode;
}

/**
 * Gives a component tree one token provider, made once: it fetches a token at mount (one request
 * under `<StrictMode>` too), refreshes it while mounted, and is stopped at unmount when it was made
 * from options. Inside, `useAccessToken()` renders the token and `useTokenProvider()` hands the
 * provider to an SDK (`provider.attach(device)`).
 *
 * @param props - `provider` (a `TokenProvider` or its options, read once) and `children`.
 * @returns The element that provides the tree's token.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` (at render) for invalid provider options.
 *
 * @example
 * ```tsx
 * 'use client';
 * import { AccessTokenProvider, useAccessToken } from 'twilio-access-token/react';
 *
 * function Status() {
 *   const { token } = useAccessToken();
 *   return <p>{token === undefined ? 'Connecting...' : 'Ready'}</p>;
 * }
 *
 * export function App() {
 *   return (
 *     <AccessTokenProvider provider={{ url: '/api/token' }}>
 *       <Status />
 *     </AccessTokenProvider>
 *   );
 * }
 * ```
 */
export function AccessTokenProvider(props: AccessTokenProviderProps): ReactElement {
  const store = useStore(props.provider, 'AccessTokenProvider');
  // Subscribed here, so the provider lives exactly as long as this component.
  useSyncExternalStore(store.subscribe, store.provider, store.provider);
  return createElement(StoreContext.Provider, { value: store }, props.children);
}

/**
 * The enclosing {@link AccessTokenProvider}'s `TokenProvider`, to attach a Twilio SDK client
 * (`provider.attach(device)` in an effect) or to call `getToken()` before connecting.
 *
 * @returns The provider.
 * @throws `TypeError` outside an {@link AccessTokenProvider}.
 *
 * @example
 * ```tsx
 * 'use client';
 * import { useEffect } from 'react';
 * import { useTokenProvider } from 'twilio-access-token/react';
 *
 * declare const device: { updateToken(token: string): void };
 * export function KeepDeviceFresh() {
 *   const provider = useTokenProvider();
 *   useEffect(() => provider.attach(device), [provider]);
 *   return null;
 * }
 * ```
 */
export function useTokenProvider(): TokenProvider {
  const store = useContext(StoreContext);
  if (store === undefined) throw new TypeError('useTokenProvider() must be called inside an <AccessTokenProvider>');
  return useSyncExternalStore(store.subscribe, store.provider, store.provider);
}
