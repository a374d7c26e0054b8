import type { AccessTokenErrorCode } from '../base/error-codes.js';
import type { TokenFetchErrorCode } from '../client/fetch-error.js';
import type { HttpErrorCode } from '../handlers/core/http-errors.js';
import { FINDING_NOTES } from './finding-notes.js';

// What `twilio-token explain CODE` says about each code of the package's four vocabularies: the
// library's errors, the token endpoints' HTTP codes, the findings (diagnose and the probe, in
// finding-notes.ts) and the client's fetch errors. Typed as records of their unions, so a new code
// without a note does not compile. The tables that define the codes stay where they are; this is
// the CLI's reading of them.

/** Why a code happens and what to do about it. */
export interface CodeNote {
  readonly cause: string;
  readonly fix: string;
}

type ErrorCode = AccessTokenErrorCode | HttpErrorCode | TokenFetchErrorCode;

const REMINT = 'mint the token with this library (or a Twilio helper library) instead of by hand';

const ERROR_NOTES: Readonly<Record<ErrorCode, CodeNote>> = {
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
    cause: 'The input is not a Twilio Access Token (three base64url segments of JSON with its claims)',
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
      "Verify with a keyring: the token's iat is at or after its key's retireAt, or its exp is after it (beyond clockTolerance); the keyring never mints that with the key, so its retired secret signed it",
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
  ERR_INVALID_REQUEST: {
    cause:
      'A request parameter the endpoint needs is missing or not one of its values (pushCredentialFor: platform is ios or android, apnsEnvironment production or sandbox)',
    fix: "Send the parameter the error names with one of the values it lists; the app's platform, not the user's input",
  },
  ERR_RATE_LIMITED: {
    cause: "The handler's rateLimit refused the request",
    fix: 'Retry after the Retry-After header (seconds); createTokenProvider does',
  },
  ERR_INTERNAL: {
    cause: 'A server fault in the token endpoint (its cause goes to onError, never to the client)',
    fix: "Read the server's onError log: a misconfiguration, a limiter that is down, or a failing hook",
  },
  // The client's fetch errors (each code has one owner: none is also an AccessTokenError code).
  ERR_HTTP_STATUS: {
    cause: 'The token endpoint answered a non-2xx status (in status)',
    fix: 'A 401 means log in again; a 429 waits for Retry-After; a 5xx is in the server log (onError)',
  },
  ERR_RESPONSE_TOO_LARGE: {
    cause: "The token endpoint's response body is over 64 KiB",
    fix: 'Point url at the token endpoint itself',
  },
  ERR_NO_BODY: { cause: "The token endpoint's response has no body", fix: 'Answer { "token": ... } from the endpoint' },
  ERR_NO_TOKEN: {
    cause: 'A token endpoint (or fetchToken) answered without a token: no three base64url segments with a JSON payload',
    fix: 'Answer { "token": ... } from the endpoint, or return the token string (or { token, ttl }) from fetchToken',
  },
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

/** Every code's note: the errors' and the findings'. */
export const CODE_NOTES: Readonly<Record<ErrorCode | keyof typeof FINDING_NOTES, CodeNote>> = {
  ...ERROR_NOTES,
  ...FINDING_NOTES,
};
