// What a diagnosis reports: one finding per thing wrong, each with a stable code.

/**
 * Every code a {@link Finding} can carry, with its severity and the Twilio error number a client
 * would see (where one applies; `CLAIM_NOT_A_NUMBER` is 20104 for `exp`, else 20101). A finding that
 * states the same fact as an `AccessTokenError` has that error's code without `ERR_`
 * (`MALFORMED_TOKEN`, `UNSUPPORTED_ALGORITHM`, `INVALID_SIGNATURE`, `TOKEN_EXPIRED`,
 * `TOKEN_NOT_YET_VALID`, `INVALID_IDENTITY`, `INVALID_GRANT`, `NO_GRANTS`). What each means and how
 * to fix it: docs/troubleshooting.md.
 *
 * @example
 * ```ts
 * import { FINDINGS, type FindingCode } from 'twilio-access-token';
 *
 * const errors = (Object.keys(FINDINGS) as FindingCode[]).filter((code) => FINDINGS[code].severity === 'error');
 * ```
 */
export const FINDINGS = {
  MALFORMED_TOKEN: { severity: 'error', twilioError: 20101 },
  UNSUPPORTED_ALGORITHM: { severity: 'error', twilioError: 20160 },
  ALGORITHM_NOT_HS256: { severity: 'warning', twilioError: 20160 },
  CONTENT_TYPE_WRONG: { severity: 'error', twilioError: 20102 },
  TYPE_WRONG: { severity: 'error', twilioError: 20102 },
  CRITICAL_HEADER: { severity: 'error', twilioError: 20102 },
  CLAIM_NOT_A_NUMBER: { severity: 'error', twilioError: 20101 },
  TIME_IN_MILLISECONDS: { severity: 'error', twilioError: 20157 },
  EXPIRY_MISSING: { severity: 'error', twilioError: 20104 },
  TOKEN_EXPIRED: { severity: 'error', twilioError: 20104 },
  TTL_TOO_LONG: { severity: 'error', twilioError: 20157 },
  EXPIRES_BEFORE_ISSUED: { severity: 'error', twilioError: 20104 },
  TOKEN_NOT_YET_VALID: { severity: 'error', twilioError: 20105 },
  ISSUED_IN_THE_FUTURE: { severity: 'warning' },
  ISSUER_IS_ACCOUNT_SID: { severity: 'error', twilioError: 20103 },
  ISSUER_NOT_API_KEY: { severity: 'error', twilioError: 20103 },
  SUBJECT_NOT_ACCOUNT_SID: { severity: 'error', twilioError: 20103 },
  DEMO_CREDENTIALS: { severity: 'error', twilioError: 20103 },
  JTI_UNUSUAL: { severity: 'warning' },
  GRANTS_MISSING: { severity: 'error', twilioError: 20106 },
  IDENTITY_MISSING: { severity: 'error' },
  INVALID_IDENTITY: { severity: 'error' },
  IDENTITY_TOO_LONG_FOR_VIDEO: { severity: 'warning', twilioError: 53201 },
  IDENTITY_UNSAFE_FOR_VOICE: { severity: 'warning', twilioError: 31105 },
  GRANT_UNKNOWN: { severity: 'warning' },
  GRANT_FIELD_UNKNOWN: { severity: 'warning' },
  NO_GRANTS: { severity: 'error', twilioError: 20106 },
  INVALID_GRANT: { severity: 'error', twilioError: 20106 },
  VOICE_GRANT_EMPTY: { severity: 'warning' },
  GRANT_LEGACY_PLAYBACK: { severity: 'warning' },
  REGION_UNKNOWN: { severity: 'warning' },
  REGION_UNSUPPORTED: { severity: 'error' },
  SECRET_LOOKS_LIKE_AUTH_TOKEN: { severity: 'warning', twilioError: 20107 },
  SECRET_HAS_WHITESPACE: { severity: 'warning', twilioError: 20107 },
  INVALID_SIGNATURE: { severity: 'error', twilioError: 20107 },
} as const satisfies Record<string, { readonly severity: 'error' | 'warning'; readonly twilioError?: number }>;

/**
 * Every code a {@link Finding} can carry: the keys of {@link FINDINGS}. Codes are stable: switch
 * on them, not on messages.
 */
export type FindingCode = keyof typeof FINDINGS;

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

/**
 * Builds a finding: its severity and Twilio error come from {@link FINDINGS}, so a check states
 * only what it found and where.
 *
 * @param code - The finding's code.
 * @param message - What is wrong and what to change.
 * @param path - Where in the token, when it is one place.
 * @returns The finding.
 */
export function finding(code: FindingCode, message: string, path?: string): Finding {
  const row: { readonly severity: Finding['severity']; readonly twilioError?: number } = FINDINGS[code];
  return {
    severity: row.severity,
    code,
    ...(row.twilioError === undefined ? {} : { twilioError: row.twilioError }),
    message,
    ...(path === undefined ? {} : { path }),
  };
}
