// The few React Native APIs docs/mobile.md uses, as structural types: the package has no
// react-native dependency, and these are what its snippets are type-checked against.
import type { ReactElement, ReactNode } from 'react';

declare global {
  /** True in a development build. */
  var __DEV__: boolean;
}

/** React Native's `AppStateStatus`. */
export type AppStateStatus = 'active' | 'background' | 'inactive' | 'unknown' | 'extension';

/** React Native's `AppState`: `addEventListener('change', fn)` returns a subscription. */
export declare const AppState: {
  readonly currentState: AppStateStatus;
  addEventListener(type: 'change', listener: (state: AppStateStatus) => void): { remove(): void };
};

/** React Native's `Platform`. */
export declare const Platform: { readonly OS: 'ios' | 'android' | 'windows' | 'macos' | 'web' };

/** React Native's `Text`. */
export declare function Text(props: { children?: ReactNode }): ReactElement;
