import { describe, type Show } from '../../base/errors.js';

// What a diagnosis reports: one finding per thing wrong, each with a stable code.

/** What {@link FINDINGS} holds for each code. */
export interface FindingInfo {
  /** `'error'`: Twilio rejects the token; `'warning'`: it may work, but likely not as meant. */
  readonly severity: 'error' | 'warning';
  /** The Twilio error code the client would see, where one applies. */
  readonly twilioError?: number;
}

// Marked free of side effects, so a bundle that never diagnoses drops the table.
/* @__NO_SIDE_EFFECTS__ */
function error(twilioError?: number): FindingInfo {
  return twilioError === undefined ? { severity: 'error' } : { severity: 'error', twilioError };
}
/* @__NO_SIDE_EFFECTS__ */
function warning(twilioError?: number): FindingInfo {
  return twilioError === undefined ? { severity: 'warning' } : { severity: 'warning', twilioError };
}

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
  /** Not three base64url segments of JSON. */
  MALFORMED_TOKEN: error(20101),
  /** `alg` is not HS256, HS384 or HS512. */
  UNSUPPORTED_ALGORITHM: error(20160),
  /** `alg` is HS384 or HS512; Twilio documents HS256. */
  ALGORITHM_NOT_HS256: warning(20160),
  /** `cty` is not `twilio-fpa;v=1`. */
  CONTENT_TYPE_WRONG: error(20102),
  /** `typ` is not `JWT`. */
  TYPE_WRONG: error(20102),
  /** The header has `crit`, which Twilio does not implement. */
  CRITICAL_HEADER: error(20102),
  /** `exp`, `iat` or `nbf` is not a number (20104 for `exp`). */
  CLAIM_NOT_A_NUMBER: error(20101),
  /** A time claim in milliseconds. */
  TIME_IN_MILLISECONDS: error(20157),
  /** No `exp`. */
  EXPIRY_MISSING: error(20104),
  /** `exp` has passed. */
  TOKEN_EXPIRED: error(20104),
  /** `exp - iat` is over 24 hours. */
  TTL_TOO_LONG: error(20157),
  /** `exp` is not after `iat`. */
  EXPIRES_BEFORE_ISSUED: error(20104),
  /** `nbf` is in the future. */
  TOKEN_NOT_YET_VALID: error(20105),
  /** `iat` is in the future: the minting clock runs ahead. */
  ISSUED_IN_THE_FUTURE: warning(),
  /** `iss` is an Account SID where the API Key SID belongs. */
  ISSUER_IS_ACCOUNT_SID: error(20103),
  /** `iss` is not an API Key SID. */
  ISSUER_NOT_API_KEY: error(20103),
  /** `sub` is not an Account SID. */
  SUBJECT_NOT_ACCOUNT_SID: error(20103),
  /** Signed with the all-zero demo SIDs. */
  DEMO_CREDENTIALS: error(20103),
  /** With a keyring: `iss` names a key the keyring does not hold (deleted, or another keyring's). */
  UNKNOWN_KEY: error(20103),
  /** With a keyring (or the probe's credentials): `sub` is not the keyring's account. */
  ACCOUNT_MISMATCH: error(20103),
  /**
   * With a keyring: the signing key is past its `retireAt`. A warning: Twilio still accepts it
   * until the key is deleted, but a token that outlives `retireAt` was minted after the rotation:
   * a server still signs with the old key (perhaps with plain credentials instead of the keyring).
   */
  KEY_PAST_RETIREMENT: warning(),
  /**
   * With a keyring: the token's key has a `retireAt`, and the token was issued at or after it or
   * expires after it. The keyring never mints such a token with that key: whoever kept the retired
   * secret signed it, and verify refuses it (`ERR_KEY_RETIRED`).
   */
  KEY_RETIRED: error(20103),
  /** `jti` is not `<iss>-<iat>`. */
  JTI_UNUSUAL: warning(),
  /** No `grants` claim. */
  GRANTS_MISSING: error(20106),
  /** No identity. */
  IDENTITY_MISSING: error(),
  /** The identity is not 1 to 256 characters. */
  INVALID_IDENTITY: error(),
  /** Too long for Video (128 characters). */
  IDENTITY_TOO_LONG_FOR_VIDEO: warning(53201),
  /** Characters Voice client names may not hold. */
  IDENTITY_UNSAFE_FOR_VOICE: warning(31105),
  /** Over 121 characters: too long for a Voice client name. */
  IDENTITY_TOO_LONG_FOR_VOICE: warning(31105),
  /** A grant key no Twilio SDK reads. */
  GRANT_UNKNOWN: warning(),
  /** A field inside a known grant that Twilio does not read. */
  GRANT_FIELD_UNKNOWN: warning(),
  /** No known product grant. */
  NO_GRANTS: error(20106),
  /** A grant with a wrong SID or value. */
  INVALID_GRANT: error(20106),
  /** A voice grant that allows nothing. */
  VOICE_GRANT_EMPTY: warning(),
  /** A Twilio Live (end of life) grant. */
  GRANT_LEGACY_PLAYBACK: warning(),
  /** A region other than us1, ie1, au1. */
  REGION_UNKNOWN: warning(),
  /** A product the region does not serve. */
  REGION_UNSUPPORTED: error(),
  /** The secret given has the Auth Token's shape. */
  SECRET_LOOKS_LIKE_AUTH_TOKEN: warning(20107),
  /** The secret given starts or ends with whitespace. */
  SECRET_HAS_WHITESPACE: warning(20107),
  /** Another secret signed the token. */
  INVALID_SIGNATURE: error(20107),
} as const satisfies Record<string, FindingInfo>;

/**
 * Every code the online probe (`twilio-access-token/probe`) adds to {@link FINDINGS}'s, with its
 * severity and the Twilio error number Twilio's API answered with (where one applies). A table of
 * its own, so a bundle that only diagnoses offline does not carry it. What each means and how to
 * fix it: docs/troubleshooting.md.
 *
 * @example
 * ```ts
 * import { PROBE_FINDINGS } from 'twilio-access-token/probe';
 *
 * console.log(PROBE_FINDINGS.KEY_RESTRICTED); // { severity: 'error', twilioError: 70051 }
 * ```
 */
export const PROBE_FINDINGS = {
  /** Twilio answered 401 (20003) in every region probed: a wrong secret, a deleted key or another account's key. */
  CREDENTIALS_REJECTED: error(20003),
  /** A Restricted API Key (403, 70051): it cannot sign Access Tokens. */
  KEY_RESTRICTED: error(70051),
  /** A Main API Key: it works, but gives full account access, more than signing tokens needs. */
  MAIN_KEY: warning(),
  /** The token's region (`twr`, US1 when absent) is not the key's region, or a keyring's keys live in different regions. */
  REGION_MISMATCH: error(),
  /** Twilio has no resource with a SID the token's grants name, in this account and region (404, 20404). */
  RESOURCE_NOT_FOUND: error(20404),
  /** The push credential is for sandbox APNs: only development builds of the iOS app get notifications. */
  PUSH_CREDENTIAL_SANDBOX: warning(),
  /** The push credential is a GCM one; Google shut GCM down: create an FCM credential. */
  PUSH_CREDENTIAL_GCM: warning(),
  /** With `expectPush`: an APNs credential where an FCM one belongs (`push.android`), or the reverse (52003). */
  PUSH_CREDENTIAL_WRONG_TYPE: error(52003),
  /** With `expectPush`: a sandbox APNs credential under `production`, or a production one under `sandbox` (52134). */
  PUSH_CREDENTIAL_WRONG_ENVIRONMENT: error(52134),
  /** The token was signed by another key than the one probed. */
  KEY_NOT_TOKEN_ISSUER: warning(),
  /** This machine's clock is more than 60 s off Twilio's (from the responses' `Date` header). */
  CLOCK_SKEW: warning(),
  /** The probe could not decide: no answer in time, a network failure, rate limiting or an unexpected answer. */
  PROBE_INCONCLUSIVE: error(),
} as const satisfies Record<string, FindingInfo>;

/** Every code the online probe's findings can carry: its own ({@link PROBE_FINDINGS}) and the offline ones it shares. */
export type ProbeFindingCode = keyof typeof PROBE_FINDINGS | 'MALFORMED_TOKEN' | 'ACCOUNT_MISMATCH' | 'UNKNOWN_KEY';

/**
 * Every code a {@link Finding} can carry: the keys of {@link FINDINGS}. Codes are stable: switch
 * on them, not on messages.
 */
export type FindingCode = keyof typeof FINDINGS;

/**
 * One thing wrong, or worth a look, in a token (or, from the online probe, in the credentials and
 * what the token names).
 *
 * @typeParam C - The codes it may carry: {@link FindingCode} from diagnose, {@link ProbeFindingCode} from the probe.
 */
export interface Finding<C extends string = FindingCode> {
  /** `'error'`: Twilio rejects the token; `'warning'`: it may work, but likely not as meant. */
  readonly severity: 'error' | 'warning';
  /** A stable code, such as `'TOKEN_EXPIRED'`. */
  readonly code: C;
  /** The Twilio error code the client would see, where one applies (20104 for an expired token). */
  readonly twilioError?: number;
  /** What is wrong and what to change. Token content longer than 8 characters is described, not shown. */
  readonly message: string;
  /** Where in the token: `header.alg`, `payload.exp`, `payload.grants.chat.service_sid`... */
  readonly path?: string;
}

/** What a check found, for {@link finding}: the parts its message is built from. */
export interface Found {
  /** Where in the token, when it is one place. */
  readonly path?: string;
  /** What the message names. @defaultValue the path without `header.` or `payload.` */
  readonly what?: string;
  /** What the token holds, described as {@link Found.show} allows (a string of at most 8 characters). */
  readonly received?: unknown;
  /** How much of `received` to show. @defaultValue `'value'` */
  readonly show?: Show;
  /** A description of what the token holds, in place of `received`. */
  readonly receivedText?: string;
  /** What Twilio expects there, and why when it is not plain. */
  readonly expected: string;
  /** A sentence that says what to do. */
  readonly hint?: string;
}

/**
 * The one builder of findings: `The <what> is <received>; expected <expected>. <hint>`, with the
 * severity and Twilio error from {@link FINDINGS}, so a check states only what it found and where.
 *
 * @param code - The finding's code.
 * @param f - Where, what was found, what was expected and the fix.
 * @returns The finding.
 */
export function finding(code: FindingCode, f: Found): Finding {
  const { twilioError, severity } = FINDINGS[code];
  const { path } = f;
  const received = f.receivedText ?? describe(f.received, f.show ?? 'value');
  const message = `The ${f.what ?? path?.replace(/^(header|payload)\./, '')} is ${received}; expected ${f.expected}${f.hint === undefined ? '' : `. ${f.hint}`}`;
  return {
    severity,
    code,
    ...(twilioError === undefined ? {} : { twilioError }),
    message,
    ...(path === undefined ? {} : { path }),
  };
}
