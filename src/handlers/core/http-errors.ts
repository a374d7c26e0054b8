// The token endpoints' error vocabulary: a table of its own, so types and responses can both
// import it without importing each other.

/**
 * Every code a token endpoint's JSON error body (`{"error":{"code","message"}}`) can carry, with
 * its one HTTP status. The 400s with an `ERR_INVALID_*`/`ERR_NO_GRANTS`/`ERR_DUPLICATE_GRANT` code
 * are the `AccessTokenError` of that code, thrown for this request's identity or grants.
 *
 * @example
 * ```ts
 * import { HTTP_ERRORS, type HttpErrorCode } from 'twilio-access-token/fetch';
 *
 * const response = await fetch('/token', { method: 'POST' });
 * if (!response.ok) {
 *   const { error } = (await response.json()) as { error: { code: HttpErrorCode } };
 *   console.log(HTTP_ERRORS[error.code] === response.status); // true
 * }
 * ```
 */
export const HTTP_ERRORS = {
  /** Malformed JSON or form body, or one nested deeper than 64 levels. */
  ERR_BAD_REQUEST: 400,
  /** The identity `identify` returned is not a valid identity. */
  ERR_INVALID_IDENTITY: 400,
  /** A grant built for this request is not valid. */
  ERR_INVALID_GRANT: 400,
  /** The `grants` function returned no grant. */
  ERR_NO_GRANTS: 400,
  /** The `grants` function returned two grants for one product. */
  ERR_DUPLICATE_GRANT: 400,
  /**
   * A request parameter the endpoint needs is missing or not one of its values (`platform` or
   * `apnsEnvironment` for `pushCredentialFor`); the message names it.
   */
  ERR_INVALID_REQUEST: 400,
  /** `identify` returned `null`, `undefined`, `false` or `''`. */
  ERR_UNAUTHORIZED: 401,
  /** A method other than GET, POST and OPTIONS. */
  ERR_METHOD_NOT_ALLOWED: 405,
  /** The body did not arrive within `bodyTimeout`. */
  ERR_REQUEST_TIMEOUT: 408,
  /** A body over 16 KiB. */
  ERR_PAYLOAD_TOO_LARGE: 413,
  /** `rateLimit` refused the request; `Retry-After` says when to try again. */
  ERR_RATE_LIMITED: 429,
  /** A server fault; its cause goes to `onError`, never to the client. */
  ERR_INTERNAL: 500,
} as const;

/** Every code a token endpoint's JSON error body can carry: the keys of {@link HTTP_ERRORS}. */
export type HttpErrorCode = keyof typeof HTTP_ERRORS;
