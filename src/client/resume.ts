// "The app is back": the events on which a provider checks its token at once, since timers do not
// run while a laptop or a phone sleeps. Nothing here touches a DOM global unguarded: React Native
// has no `document`, and its `window` is the global object without `addEventListener`.

/** The global object, with the DOM members it may lack (React Native has none of them). */
export const g = globalThis as {
  addEventListener?: typeof addEventListener;
  removeEventListener?: typeof removeEventListener;
  document?: Partial<Document>;
};

/**
 * The default resume events: `online`, and `visibilitychange` where a DOM exists; none elsewhere.
 *
 * @param check - What to call on each.
 * @returns The unsubscribe.
 */
export const domResume = (check: () => void): (() => void) => {
  const on = (method: 'addEventListener' | 'removeEventListener') => {
    g[method]?.('online', check);
    g.document?.[method]?.('visibilitychange', check);
  };
  on('addEventListener');
  return () => on('removeEventListener');
};

/**
 * React Native's `AppState`, as {@link resumeOnAppState} reads it: structural, so this package
 * never imports `react-native`.
 */
export interface AppStateLike {
  /**
   * Calls `listener` with each new state (`'active'`, `'background'`, `'inactive'`...).
   *
   * @param type - Always `'change'`.
   * @param listener - Called with the new state.
   * @returns The subscription; `remove()` ends it.
   */
  addEventListener(type: 'change', listener: (state: string) => void): AppStateSubscription | undefined;
  /**
   * Ends a listener, in React Native before 0.65, whose `addEventListener` returned nothing.
   *
   * @param type - Always `'change'`.
   * @param listener - The listener given to `addEventListener`.
   */
  removeEventListener?(type: 'change', listener: (state: string) => void): void;
}

/** What React Native's `AppState.addEventListener` returns. */
export interface AppStateSubscription {
  /** Ends the subscription. */
  remove(): void;
}

/**
 * Adapts React Native's `AppState` to {@link TokenProviderOptions.resume}: the provider checks its
 * token each time the app comes back to the foreground (a change to `'active'`), since its timers
 * did not run while the app slept. `AppState` is passed in, never imported.
 *
 * @param appState - React Native's `AppState`.
 * @returns A `resume` option. (Something without `addEventListener` as `appState` makes the
 *   provider's first `getToken()` reject with the `TypeError`.)
 *
 * @example
 * ```ts
 * import { AppState } from 'react-native';
 * import { createTokenProvider, resumeOnAppState } from 'twilio-access-token/client';
 *
 * const tokens = createTokenProvider({ url: 'https://example.com/token', resume: resumeOnAppState(AppState) });
 * ```
 */
export function resumeOnAppState(appState: AppStateLike): (check: () => void) => () => void {
  return (check) => {
    const listener = (state: string) => {
      if (state === 'active') check();
    };
    const subscription = appState.addEventListener('change', listener);
    return () => (subscription ? subscription.remove() : appState.removeEventListener?.('change', listener));
  };
}
