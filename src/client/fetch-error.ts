// The one error a token provider makes itself: a failed fetch, tagged with a code from one table.
// (Errors of `fetch` or `fetchToken` themselves, such as a network TypeError, reach `onError` as
// they were thrown.)

/**
 * Every code a {@link TokenFetchError} can carry, with the message it reads. `ERR_HTTP_STATUS`
 * also names the status.
 *
 * @example
 * ```ts
 * import { createTokenProvider, type TokenFetchError } from 'twilio-access-token/client';
 *
 * const provider = createTokenProvider({ url: '/token' });
 * provider.onError((error) => {
 *   if ((error as TokenFetchError).code === 'ERR_HTTP_STATUS') console.warn('log in again');
 * });
 * ```
 */
export const TOKEN_FETCH_ERRORS = {
  /** The endpoint answered a non-2xx status (in `status`). */
  ERR_HTTP_STATUS: 'token request answered',
  /** The response body is over 64 KiB. */
  ERR_RESPONSE_TOO_LARGE: 'the response is over 64 KiB',
  /** The response has no body. */
  ERR_NO_BODY: 'the response has no body',
  /** The response holds no token (three base64url segments with a JSON payload). */
  ERR_NO_TOKEN: 'the response holds no token',
  /** The token's `exp - iat` is outside 1 to 86400 seconds. */
  ERR_TOKEN_LIFETIME: 'the token lives outside 1 to 86400 seconds (exp - iat)',
  /** The token is for another identity than the `identity` option. */
  ERR_WRONG_IDENTITY: 'the token is for another identity',
  /** `stop()` was called. */
  ERR_STOPPED: 'stopped',
} as const;

/** Every code a {@link TokenFetchError} can carry: the keys of {@link TOKEN_FETCH_ERRORS}. */
export type TokenFetchErrorCode = keyof typeof TOKEN_FETCH_ERRORS;

/** A failed token fetch, as `onError` and `getToken()` see it. */
export interface TokenFetchError extends Error {
  /** What failed. */
  readonly code: TokenFetchErrorCode;
  /** The HTTP status of a non-2xx answer (`ERR_HTTP_STATUS`). */
  readonly status?: number;
}

/**
 * Creates the error of a failed fetch; its message is the table's, prefixed with the entry's name.
 *
 * @param code - What failed.
 * @param status - The HTTP status, when the server answered.
 * @returns An `Error` with `code`, and `status` when given.
 */
export const fail = (code: TokenFetchErrorCode, status?: number): TokenFetchError =>
  Object.assign(
    new Error(`twilio-access-token/client: ${TOKEN_FETCH_ERRORS[code]}${status ? ` ${status}` : ''}`),
    { code },
    status && { status }, // an HTTP status is never 0
  );
