import type { FindingCode, ProbeFindingCode } from '../inspect/diagnose/finding.js';

// What `explain` says about each finding code of diagnose and of the online probe (see
// code-notes.ts for the errors). A record of their union: a new finding without a note does not compile.

const DOCTOR = "run 'twilio-token doctor -' on the token";
const REMINT = 'mint the token with this library (or a Twilio helper library) instead of by hand';

/** Every finding code's note: why it happens, what to do (a `CodeNote` of code-notes.ts). */
export const FINDING_NOTES: Readonly<
  Record<FindingCode | ProbeFindingCode, { readonly cause: string; readonly fix: string }>
> = {
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
  KEY_RETIRED: {
    cause:
      "Issued at or after its key's retireAt, or expiring after it: the keyring never mints that, a retired secret did",
    fix: "Delete the retired key in Twilio, and mint with the keyring's signing key",
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
    fix: 'Allow incoming calls and/or name the outgoing TwiML App (an AP SID) in voiceGrant',
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
  PUSH_CREDENTIAL_WRONG_TYPE: {
    cause:
      'A push credential of the wrong kind for its platform: APNs (apn) under android or FCM (fcm) under ios (phones get no notifications, 52003)',
    fix: 'Map each platform to a credential of its kind: an APNs credential for ios, an FCM one for android',
  },
  PUSH_CREDENTIAL_WRONG_ENVIRONMENT: {
    cause:
      'An APNs credential whose sandbox flag does not match the environment it is mapped to (a sandbox one under production or the reverse, 52134)',
    fix: 'Map the production APNs credential under production and the sandbox (development) one under sandbox',
  },
  PROBE_INCONCLUSIVE: {
    cause:
      "The probe could not decide: no answer in time, a network failure, rate limiting, or an answer that is not Twilio's JSON (a proxy or captive portal)",
    fix: 'Check the network and run it again; --timeout MS gives each request longer',
  },
};
