/**
 * React bindings for `twilio-access-token/client`: a hook that keeps a fresh Access Token in a
 * component, and a context that gives a component tree one token provider. React 18 or 19 is an
 * optional peer dependency; this entry imports `/client` rather than copying it.
 *
 * ```ts
 * import { AccessTokenProvider, useAccessToken, useTokenProvider } from 'twilio-access-token/react';
 * ```
 *
 * @module twilio-access-token/react
 */

export { AccessTokenProvider, type AccessTokenProviderProps, useAccessToken, useTokenProvider } from './react/hooks.js';
export type { AccessTokenState, TokenSource } from './react/token-store.js';
