/**
 * Tokens in the browser and in React Native, refreshed before they expire: fetches tokens from a token endpoint (or any
 * source) and keeps Twilio SDK clients fed with fresh ones. Zero dependencies, no Node built-ins.
 *
 * ```ts
 * import { createTokenProvider } from 'twilio-access-token/client';
 * ```
 *
 * @module twilio-access-token/client
 */

export { TOKEN_FETCH_ERRORS, type TokenFetchError, type TokenFetchErrorCode } from './client/fetch-error.js';
export { createTokenProvider } from './client/provider.js';
export { type AppStateLike, type AppStateSubscription, resumeOnAppState } from './client/resume.js';
export type {
  FetchedToken,
  RetryOptions,
  TokenConsumer,
  TokenProvider,
  TokenProviderOptions,
  TokenWithTtl,
} from './client/types.js';
