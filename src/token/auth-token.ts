import { fail } from '../base/errors.js';

// The Auth Token cannot sign Access Tokens, and pasting it where the API Key secret belongs is the
// most common mistake in Twilio's forums: refused when the environment shows it, warned about when
// a secret has its shape.

/** Why the Auth Token is refused, and the fix: said by every message about it; internal. */
export const AUTH_TOKEN_FIX =
  'The Auth Token cannot sign Access Tokens (Twilio answers 20107): create an API Key in the Twilio Console and set its SID and secret';

/** The variables an Account's Auth Token is usually kept in. */
export const AUTH_TOKEN_VARIABLES = ['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN'] as const;

/**
 * Refuses an API Key secret equal to `TWILIO_AUTH_TOKEN` or `AUTH_TOKEN` in the same environment
 * (the Auth Token cannot sign Access Tokens); internal, shared with the CLI's `verify` and `doctor`.
 *
 * @param get - Reads one variable of the environment.
 * @param secretName - The variable the secret came from, named in the message (never the value).
 * @param secret - The secret.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when an Auth Token variable holds it.
 */
export function refuseAuthTokenSecret(
  get: (name: string) => string | undefined,
  secretName: string,
  secret: string | undefined,
): void {
  const authTokenName = secret === undefined ? undefined : AUTH_TOKEN_VARIABLES.find((n) => get(n) === secret);
  if (authTokenName === undefined) return;
  fail(
    'ERR_INVALID_CREDENTIALS',
    'credentials.apiKeySecret',
    `an API Key secret in ${secretName}`,
    `the value of ${authTokenName}, the Auth Token`,
    AUTH_TOKEN_FIX,
  );
}

// An Auth Token is 32 lower-case hex digits; an API Key secret Twilio issues is 32 mixed-case
// letters and digits, so this shape almost always means the Auth Token was pasted in its place.
const AUTH_TOKEN_SHAPE = /^[0-9a-f]{32}$/;
let warnedAuthTokenShape = false;

/**
 * Warns once per process (where `process.emitWarning` exists) when a secret looks like an Auth
 * Token, which cannot sign Access Tokens. The warning never holds the secret.
 */
export function warnIfAuthTokenShaped(secret: string): void {
  if (warnedAuthTokenShape || !AUTH_TOKEN_SHAPE.test(secret)) return;
  const emit = (globalThis as { process?: { emitWarning?: unknown } }).process?.emitWarning;
  if (typeof emit !== 'function') return;
  warnedAuthTokenShape = true;
  emit.call(
    (globalThis as { process?: unknown }).process,
    `The API Key secret looks like an Auth Token (32 lower-case hex digits). ${AUTH_TOKEN_FIX}.`,
    { type: 'TwilioAccessTokenWarning', code: 'TWILIO_SECRET_LOOKS_LIKE_AUTH_TOKEN' },
  );
}
