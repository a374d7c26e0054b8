import type { AccessTokenErrorCode } from '../base/error-codes.js';
import type { TokenFetchErrorCode } from '../client/fetch-error.js';
import type { HttpErrorCode } from '../handlers/core/http-errors.js';
import type { FindingCode, ProbeFindingCode } from '../inspect/diagnose/finding.js';

// What `twilio-token explain CODE` says about each code of the package's four vocabularies: the
// library's errors, the token endpoints' HTTP codes, the findings (diagnose and the probe) and the
// client's fetch errors. Typed as a record of their union, so a new code without a note does not
// compile. The tables that define the codes stay where they are; this is the CLI's reading of them.

/** Why a code happens and what to do about it. */
export interface CodeNote {
  readonly cause: string;
  readonly fix: string;
}

type Code = AccessTokenErrorCode | HttpErrorCode | FindingCode | ProbeFindingCode | TokenFetchErrorCode;

const DOCTOR = "run 'twilio-token doctor -' on the token";
const REMINT = 'mint the token with this library (or a Twilio helper library) instead of by hand';

/** Every code's note. */
export const CODE_NOTES: Readonly<Record<Code, CodeNote>> = {
  // AccessTokenError
  ERR_MISSING_CREDENTIALS: {
    cause: 'No credentials were passed and the environment holds none (the message names every variable read)',
    fix: 'Set TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET (or TWILIO_API_KEYS), or pass credentials',
  },
  ERR_INVALID_CREDENTIALS: {
    cause:
      'An Account SID that is not AC..., an API Key SID that is not SK..., an empty secret, one with whitespace, or the Auth Token as the secret',
    fix: 'Copy the SIDs and the secret of a Standard API Key again from the Twilio Console, trimmed',
  },
  ERR_INVALID_IDENTITY: {
    cause: 'The identity is not a string of 1 to 256 characters, or holds a control character',
    fix: "Use your app's user id as the identity",
  },
  ERR_INVALID_GRANT: {
    cause:
      'A grant option is unknown or has a wrong value (a SID with the wrong prefix), or a value in grants is no grant',
    fix: "Build grants with the library's factories; the message names the option",
  },
  ERR_NO_GRANTS: { cause: 'An empty list of grants', fix: 'Give at least one grant (videoGrant(), voiceGrant(...))' },
  ERR_DUPLICATE_GRANT: {
    cause: 'Two grants for one product',
    fix: 'Merge the options into one grant per product',
  },
  ERR_INVALID_OPTION: {
    cause: 'An option is unknown or out of range (ttl 1 to 86400 seconds, nbf in seconds, a region, an algorithm)',
    fix: 'Read the path and the expected value in the message; times are epoch seconds, not milliseconds',
  },
  ERR_MALFORMED_TOKEN: {
    cause:
      'The input is not a Twilio Access Token (three base64url segments of JSON with its claims), or a token endpoint answered without one',
    fix: 'Pass the token itself, not the whole JSON response or a quoted string',
  },
  ERR_UNSUPPORTED_ALGORITHM: {
    cause: "The token's alg is not HS256, HS384 or HS512 ('none' included)",
    fix: `Refuse the token; ${REMINT}`,
  },
  ERR_INVALID_SIGNATURE: {
    cause: 'Another secret signed the token, or it was altered',
    fix: "Verify with the secret of the API Key the token's iss names (or a keyring holding it)",
  },
  ERR_TOKEN_EXPIRED: {
    cause: "The token's exp has passed (beyond clockTolerance)",
    fix: 'Fetch a fresh token; createTokenProvider from twilio-access-token/client refreshes before exp',
  },
  ERR_TOKEN_NOT_YET_VALID: {
    cause: "The token's nbf is in the future (beyond clockTolerance)",
    fix: 'Drop nbf or synchronise the clocks (NTP); clockTolerance allows a small skew',
  },
  ERR_UNKNOWN_KEY: {
    cause: "Verify with a keyring: the token's iss is a key the keyring does not hold, or its sub is another account",
    fix: 'Add the key to the keyring (TWILIO_API_KEYS), or the token is from another keyring or account',
  },
  ERR_KEY_RETIRED: {
    cause:
      "Verify with a keyring: the token's iat is at or after its key's retireAt, so a key already retired signed it",
    fix: "Mint with the keyring's signing key; delete the retired key in Twilio, since whoever holds its secret can still mint",
  },
  ERR_TOKEN_TOO_LONG: {
    cause: "The token's exp - iat is over 86400 seconds (Twilio error 20157), or over the keyring's maxTtl",
    fix: "Mint with a ttl of at most 86400 seconds, and at most the keyring's maxTtl",
  },
  ERR_UNSUPPORTED_RUNTIME: {
    cause: 'This entry point cannot run here: Node older than 20.16, or a browser page',
    fix: 'Upgrade Node, use twilio-access-token/web on edge runtimes, and fetch tokens from your server in browsers',
  },
  // The token endpoints' HTTP codes (the 400s above are shared with AccessTokenError).
  ERR_BAD_REQUEST: {
    cause: 'The token endpoint got a malformed JSON or form body, or one nested too deep',
    fix: 'Send a JSON object body with Content-Type: application/json, or no body',
  },
  ERR_UNAUTHORIZED: {
    cause: "The token endpoint's identify returned no identity: the caller is not logged in",
    fix: "Log in first and send the app's session (cookie or Authorization header) with the request",
  },
  ERR_METHOD_NOT_ALLOWED: {
    cause: 'A method other than GET, POST and OPTIONS',
    fix: 'Ask the token endpoint with POST (or GET)',
  },
  ERR_REQUEST_TIMEOUT: {
    cause: "The request body did not arrive within the handler's bodyTimeout",
    fix: 'Send the body at once; raise bodyTimeout only for slow networks',
  },
  ERR_PAYLOAD_TOO_LARGE: { cause: 'A request body over 16 KiB', fix: 'Send only what identify and grants need' },
  ERR_RATE_LIMITED: {
    cause: "The handler's rateLimit refused the request",
    fix: 'Retry after the Retry-After header (seconds); createTokenProvider does',
  },
  ERR_INTERNAL: {
    cause: 'A server fault in the token endpoint (its cause goes to onError, never to the client)',
    fix: "Read the server's onError log: a misconfiguration, a limiter that is down, or a failing hook",
  },
  // Findings: diagnose.
  MALFORMED_TOKEN: {
    cause: 'Not three base64url segments of JSON with the claims Twilio requires (Twilio 20101)',
    fix: `Copy the whole token (no quotes, no JSON around it); ${DOCTOR}`,
  },
  UNSUPPORTED_ALGORITHM: { cause: 'alg is not HS256, HS384 or HS512 (Twilio 20160)', fix: REMINT },
  ALGORITHM_NOT_HS256: { cause: 'alg is HS384 or HS512; Twilio documents HS256', fix: 'Mint with HS256, the default' },
  CONTENT_TYPE_WRONG: { cause: 'cty is not twilio-fpa;v=1 (Twilio 20102)', fix: REMINT },
  TYPE_WRONG: { cause: 'typ is not JWT (Twilio 20102)', fix: REMINT },
  CRITICAL_HEADER: { cause: 'The header has crit, which Twilio does not implement (20102)', fix: REMINT },
  CLAIM_NOT_A_NUMBER: { cause: 'exp, iat or nbf is not a number (20101, 20104 for exp)', fix: REMINT },
  TIME_IN_MILLISECONDS: {
    cause: 'A time claim in milliseconds (Date.now() where seconds belong; Twilio 20157)',
    fix: 'Use epoch seconds: Math.floor(Date.now() / 1000)',
  },
  EXPIRY_MISSING: { cause: 'No exp claim (Twilio 20104)', fix: REMINT },
  TOKEN_EXPIRED: {
    cause: 'exp has passed: the client kept the token too long (Twilio 20104)',
    fix: 'Refresh before exp: createTokenProvider from twilio-access-token/client does it',
  },
  TTL_TOO_LONG: { cause: 'exp - iat is over 24 hours (Twilio 20157)', fix: 'Mint with a ttl of at most 86400 seconds' },
  EXPIRES_BEFORE_ISSUED: { cause: 'exp is not after iat (Twilio 20104)', fix: REMINT },
  TOKEN_NOT_YET_VALID: {
    cause: 'nbf is in the future (Twilio 20105)',
    fix: 'Drop nbf, or check the minting clock (NTP)',
  },
  ISSUED_IN_THE_FUTURE: {
    cause: 'iat is in the future: the minting clock runs ahead',
    fix: 'Synchronise the minting server clock (NTP)',
  },
  ISSUER_IS_ACCOUNT_SID: {
    cause: 'iss is an Account SID (AC...) where the API Key SID (SK...) belongs (Twilio 20103)',
    fix: 'Sign with an API Key SID and its secret; the Account SID goes in accountSid',
  },
  ISSUER_NOT_API_KEY: {
    cause: 'iss is not an API Key SID (Twilio 20103)',
    fix: 'Sign with a Standard API Key (SK...)',
  },
  SUBJECT_NOT_ACCOUNT_SID: {
    cause: 'sub is not an Account SID (Twilio 20103)',
    fix: 'Pass the Account SID (AC...) as accountSid',
  },
  DEMO_CREDENTIALS: {
    cause: 'The token was signed with the all-zero demo SIDs (--demo)',
    fix: 'Mint with real credentials from the Twilio Console',
  },
  UNKNOWN_KEY: {
    cause: "With a keyring: iss names a key the keyring does not hold (deleted, or another keyring's)",
    fix: 'Add the key to the keyring, or mint with a key it holds',
  },
  ACCOUNT_MISMATCH: {
    cause: "sub is another account than the keyring's (or the probed credentials')",
    fix: 'Mint with the API Key of the account the app uses',
  },
  KEY_PAST_RETIREMENT: {
    cause: "The token outlives its key's retireAt: a server still signs with the old key",
    fix: 'Deploy the keyring everywhere (TWILIO_API_KEYS) and mint through it, then delete the old key',
  },
  JTI_UNUSUAL: { cause: 'jti is not <iss>-<iat>, as Twilio mints it', fix: REMINT },
  GRANTS_MISSING: { cause: 'No grants claim (Twilio 20106)', fix: REMINT },
  IDENTITY_MISSING: {
    cause: 'No identity in the grants: the SDK cannot tell who connects',
    fix: 'Mint with an identity',
  },
  INVALID_IDENTITY: {
    cause: 'The identity is not 1 to 256 characters, or holds a control character',
    fix: "Use your app's user id",
  },
  IDENTITY_TOO_LONG_FOR_VIDEO: {
    cause: 'Video identities are at most 128 characters, double-byte ones counting twice (Twilio 53201)',
    fix: 'Use a shorter identity, such as a user id',
  },
  IDENTITY_UNSAFE_FOR_VOICE: {
    cause: 'Voice client names may not hold spaces or < > # % " { } | \\ ^ [ ] ` (Twilio 31105)',
    fix: 'Use an identity of letters, digits, - _ . and @ only',
  },
  IDENTITY_TOO_LONG_FOR_VOICE: {
    cause: 'Voice client names are at most 121 characters (Twilio 31105)',
    fix: 'Use a shorter identity, such as a user id',
  },
  GRANT_UNKNOWN: {
    cause: 'A grant key no Twilio SDK reads (a typo, or a product this library does not know)',
    fix: "Build grants with the library's factories",
  },
  GRANT_FIELD_UNKNOWN: {
    cause: 'A field inside a known grant that Twilio does not read',
    fix: "Build grants with the library's factories",
  },
  NO_GRANTS: { cause: 'No known product grant (Twilio 20106)', fix: 'Add the grant of the SDK the token is for' },
  INVALID_GRANT: {
    cause: 'A grant with a wrong SID or value, such as an MG where an IS SID belongs (Twilio 20106)',
    fix: "Build grants with the library's factories: they refuse wrong SIDs",
  },
  VOICE_GRANT_EMPTY: {
    cause: 'A Voice grant that allows nothing: neither incoming nor outgoing calls',
    fix: 'Set incomingAllow: true and/or outgoingApplicationSid',
  },
  GRANT_LEGACY_PLAYBACK: {
    cause: 'A Twilio Live grant: the product reached its end of life',
    fix: 'Drop the playback grant',
  },
  REGION_UNKNOWN: {
    cause: 'A region other than us1, ie1 or au1',
    fix: 'Mint with the Region the API Key was created in',
  },
  REGION_UNSUPPORTED: {
    cause: "A product the token's region does not serve",
    fix: 'Mint that grant for US1, or drop it',
  },
  SECRET_LOOKS_LIKE_AUTH_TOKEN: {
    cause: "The secret has the Auth Token's shape: the Auth Token cannot sign Access Tokens (Twilio 20107)",
    fix: 'Create a Standard API Key and use its secret',
  },
  SECRET_HAS_WHITESPACE: {
    cause: 'The secret starts or ends with whitespace (a copied newline; Twilio 20107)',
    fix: 'Trim the secret where it is stored',
  },
  INVALID_SIGNATURE: {
    cause: 'Another secret signed the token than the one checked (Twilio 20107)',
    fix: "Sign with the secret of the API Key the token's iss names",
  },
  // Findings: the online probe.
  CREDENTIALS_REJECTED: {
    cause: "Twilio answered 401 (20003) in every Region probed: a wrong secret, a deleted key or another account's key",
    fix: 'Copy the secret again, or create a new Standard API Key',
  },
  KEY_RESTRICTED: {
    cause: 'A Restricted API Key (403, 70051): it cannot sign Access Tokens',
    fix: 'Create a Standard API Key',
  },
  MAIN_KEY: {
    cause: 'A Main API Key: it works, with full account access, more than signing tokens needs',
    fix: 'Sign with a Standard API Key',
  },
  REGION_MISMATCH: {
    cause: "The token's region (twr, US1 when absent) is not its key's, or a keyring's keys live in different Regions",
    fix: "Mint with region set to the key's Region",
  },
  RESOURCE_NOT_FOUND: {
    cause: 'Twilio has no resource with a SID the grants name in this account and Region (404, 20404)',
    fix: 'Copy the SID from the Console of the account and Region the key belongs to',
  },
  PUSH_CREDENTIAL_SANDBOX: {
    cause: 'The push credential is for sandbox APNs: only development builds of the iOS app get notifications',
    fix: 'Use a production APNs credential for App Store and TestFlight builds',
  },
  PUSH_CREDENTIAL_GCM: {
    cause: 'A GCM push credential; Google shut GCM down',
    fix: 'Create an FCM credential and use its SID',
  },
  KEY_NOT_TOKEN_ISSUER: {
    cause: 'The token was signed by another key than the one probed',
    fix: 'Probe the key that signed it (--keys FILE holding it)',
  },
  CLOCK_SKEW: { cause: "This machine's clock is more than 60 s off Twilio's", fix: 'Synchronise the clock (NTP)' },
  PROBE_INCONCLUSIVE: {
    cause:
      "The probe could not decide: no answer in time, a network failure, rate limiting, or an answer that is not Twilio's JSON (a proxy or captive portal)",
    fix: 'Check the network and run it again; --timeout MS gives each request longer',
  },
  // The client's fetch errors (ERR_MALFORMED_TOKEN is shared with AccessTokenError).
  ERR_HTTP_STATUS: {
    cause: 'The token endpoint answered a non-2xx status (in status)',
    fix: 'A 401 means log in again; a 429 waits for Retry-After; a 5xx is in the server log (onError)',
  },
  ERR_RESPONSE_TOO_LARGE: {
    cause: "The token endpoint's response body is over 64 KiB",
    fix: 'Point url at the token endpoint itself',
  },
  ERR_NO_BODY: { cause: "The token endpoint's response has no body", fix: 'Answer { "token": ... } from the endpoint' },
  ERR_TOKEN_LIFETIME: {
    cause: "The token's exp - iat is outside 1 to 86400 seconds",
    fix: 'Mint with a ttl from 1 to 86400 seconds on the server',
  },
  ERR_WRONG_IDENTITY: {
    cause: "The token is for another identity than the provider's identity option (a session that changed user)",
    fix: 'Create a new provider for the new user, or drop the identity option',
  },
  ERR_STOPPED: { cause: 'stop() was called on the provider', fix: 'Create a new provider' },
};
