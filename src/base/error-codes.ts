// The one list of AccessTokenError codes: the union is its keys, the docs list each one.

/**
 * Every code an `AccessTokenError` can carry, with what it means. Codes are stable: switch on
 * them, not on messages. A diagnose finding that states the same fact has the same code without
 * `ERR_` (`ERR_TOKEN_EXPIRED` and the finding `TOKEN_EXPIRED`).
 *
 * @example
 * ```ts
 * import { ACCESS_TOKEN_ERRORS, type AccessTokenErrorCode } from 'twilio-access-token';
 *
 * const codes = Object.keys(ACCESS_TOKEN_ERRORS) as AccessTokenErrorCode[];
 * ```
 */
export const ACCESS_TOKEN_ERRORS = {
  /** No credentials given and none in the environment. */
  ERR_MISSING_CREDENTIALS: 'No credentials were given and the environment holds none',
  /** A SID or the secret is malformed, or the secret is the Auth Token. */
  ERR_INVALID_CREDENTIALS: 'An Account SID, API Key SID or API Key secret is not valid',
  /** Not 1 to 256 characters, or holds a control character. */
  ERR_INVALID_IDENTITY: 'The identity is not a valid identity string',
  /** A grant option is unknown or invalid, or the value is not a grant. */
  ERR_INVALID_GRANT: 'A grant, or one of its options, is not valid',
  /** An empty list of grants. */
  ERR_NO_GRANTS: 'A token needs at least one grant',
  /** Two grants for one product. */
  ERR_DUPLICATE_GRANT: 'A product appears in more than one grant',
  /** An option is unknown or invalid (ttl, nbf, region, algorithm, now...). */
  ERR_INVALID_OPTION: 'An option is unknown or has an invalid value',
  /** Decoding found no Twilio Access Token. */
  ERR_MALFORMED_TOKEN: 'The token is not a well-formed Twilio Access Token',
  /** The token's `alg` is not one allowed. */
  ERR_UNSUPPORTED_ALGORITHM: 'The token is signed with an algorithm that is not allowed',
  /** Another secret signed the token, or it was altered. */
  ERR_INVALID_SIGNATURE: 'The signature does not match the secret',
  /** The token's `exp` has passed. */
  ERR_TOKEN_EXPIRED: 'The token has expired',
  /** The token's `nbf` is in the future. */
  ERR_TOKEN_NOT_YET_VALID: 'The token is not valid yet (nbf)',
  /** A keyring does not hold the token's key (`iss`), or the token's account (`sub`) is not the keyring's. */
  ERR_UNKNOWN_KEY: "The token's API Key or account is not in the keyring",
  /**
   * Verify with a keyring: the token's key has a `retireAt`, and its `iat` is at or after it or its
   * `exp` is after it (beyond `clockTolerance`): the keyring never mints such a token with that key.
   */
  ERR_KEY_RETIRED: "The token was issued at or after its key's retireAt, or expires after it",
  /** The token's `exp - iat` is over 86400 seconds (Twilio error 20157), or over the keyring's `maxTtl`. */
  ERR_TOKEN_TOO_LONG: 'The token lives longer than Twilio (86400 s) or the keyring (maxTtl) allows',
  /** The entry point cannot run here (Node older than 20.16, a browser page). */
  ERR_UNSUPPORTED_RUNTIME: 'This runtime cannot run this entry point',
} as const;

/**
 * Every code an `AccessTokenError` can carry: the keys of {@link ACCESS_TOKEN_ERRORS}.
 * Codes are stable: switch on them, not on messages.
 */
export type AccessTokenErrorCode = keyof typeof ACCESS_TOKEN_ERRORS;
