// What a diagnosis reports: one finding per thing wrong, each with a stable code.

/**
 * Every code a {@link Finding} can carry. Codes are stable: switch on them, not on messages.
 * What each means and how to fix it: docs/troubleshooting.md.
 */
export type FindingCode =
  | 'TOKEN_MALFORMED'
  | 'ALGORITHM_UNSUPPORTED'
  | 'ALGORITHM_NOT_HS256'
  | 'CONTENT_TYPE_WRONG'
  | 'TYPE_WRONG'
  | 'CRITICAL_HEADER'
  | 'CLAIM_NOT_A_NUMBER'
  | 'TIME_IN_MILLISECONDS'
  | 'EXPIRY_MISSING'
  | 'TOKEN_EXPIRED'
  | 'TTL_TOO_LONG'
  | 'EXPIRES_BEFORE_ISSUED'
  | 'TOKEN_NOT_YET_VALID'
  | 'ISSUED_IN_THE_FUTURE'
  | 'ISSUER_IS_ACCOUNT_SID'
  | 'ISSUER_NOT_API_KEY'
  | 'SUBJECT_NOT_ACCOUNT_SID'
  | 'DEMO_CREDENTIALS'
  | 'JTI_UNUSUAL'
  | 'GRANTS_MISSING'
  | 'IDENTITY_MISSING'
  | 'IDENTITY_INVALID'
  | 'IDENTITY_TOO_LONG_FOR_VIDEO'
  | 'IDENTITY_UNSAFE_FOR_VOICE'
  | 'GRANT_UNKNOWN'
  | 'NO_PRODUCT_GRANT'
  | 'GRANT_MALFORMED'
  | 'VOICE_GRANT_EMPTY'
  | 'GRANT_LEGACY_PLAYBACK'
  | 'REGION_UNKNOWN'
  | 'REGION_UNSUPPORTED'
  | 'SECRET_LOOKS_LIKE_AUTH_TOKEN'
  | 'SECRET_HAS_WHITESPACE'
  | 'SIGNATURE_MISMATCH';

/** One thing wrong, or worth a look, in a token. */
export interface Finding {
  /** `'error'`: Twilio rejects the token; `'warning'`: it may work, but likely not as meant. */
  readonly severity: 'error' | 'warning';
  /** A stable code, such as `'TOKEN_EXPIRED'`. */
  readonly code: FindingCode;
  /** The Twilio error code the client would see, where one applies (20104 for an expired token). */
  readonly twilioError?: number;
  /** What is wrong and what to change. Token content longer than 8 characters is described, not shown. */
  readonly message: string;
  /** Where in the token: `header.alg`, `payload.exp`, `payload.grants.chat.service_sid`... */
  readonly path?: string;
}
