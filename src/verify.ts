import type { AccessTokenPayload } from './decode.js';
import { signatureMatches } from './sign-node.js';
import { beginVerification, finishVerification, type VerifyOptions } from './verify-checks.js';

/**
 * Verifies a token: its algorithm (HS256, HS384 or HS512 only, checked before the signature), its
 * signature (compared in constant time), then `exp` and `nbf` against `now`.
 *
 * @param token - A Twilio Access Token JWT.
 * @param options - The API Key secret, and optionally `now` and `clockTolerance` (seconds).
 * @returns The verified payload.
 * @throws {@link AccessTokenError} `ERR_MALFORMED_TOKEN` when `token` is not an Access Token JWT.
 * @throws {@link AccessTokenError} `ERR_UNSUPPORTED_ALGORITHM` for any other `alg`, `none` included.
 * @throws {@link AccessTokenError} `ERR_INVALID_SIGNATURE` when the signature does not match.
 * @throws {@link AccessTokenError} `ERR_TOKEN_EXPIRED` when `now >= exp + clockTolerance`.
 * @throws {@link AccessTokenError} `ERR_TOKEN_NOT_YET_VALID` when `now < nbf - clockTolerance`.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` or `ERR_INVALID_OPTION` for bad options.
 *
 * @example
 * ```ts
 * import { verifyAccessToken } from 'twilio-access-token';
 *
 * declare const token: string;
 * const payload = verifyAccessToken(token, { apiKeySecret: process.env.TWILIO_API_KEY_SECRET!, clockTolerance: 5 });
 * console.log(payload.grants.identity);
 * ```
 */
export function verifyAccessToken(token: string, options: VerifyOptions): AccessTokenPayload {
  const v = beginVerification(token, options);
  return finishVerification(v, signatureMatches(v.algorithm, v.secret, v.input, v.signature));
}
