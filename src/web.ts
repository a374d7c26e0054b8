/**
 * The WebCrypto entry, for runtimes without `node:crypto`: Vercel and Netlify Edge, Cloudflare
 * Workers, Deno, Bun and browsers. The same API as the main entry, except that minting and
 * verifying return Promises. Its bundle imports no `node:` module.
 *
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token/web';
 * ```
 *
 * @module twilio-access-token/web
 */
import type { AccessTokenPayload } from './decode.js';
import { beginDiagnosis, type DiagnoseOptions, type Diagnosis, finishDiagnosis } from './diagnosis.js';
import { signatureMatches } from './sign-web.js';
import { beginVerification, finishVerification, type VerifyOptions } from './verify-checks.js';

export { type AsyncTokenMinter, createAccessToken, createTokenMinter } from './create-access-token-web.js';
export * from './shared-exports.js';

/**
 * Verifies a token with WebCrypto: algorithm first, then signature (constant-time), then `exp` and
 * `nbf`. The same checks and codes as the main entry's `verifyAccessToken`.
 *
 * @param token - A Twilio Access Token JWT.
 * @param options - The API Key secret, and optionally `now` (epoch seconds or Date) and `clockTolerance`.
 * @returns A Promise of the verified payload.
 * @throws {@link AccessTokenError} (as a rejection) `ERR_MALFORMED_TOKEN`, `ERR_UNSUPPORTED_ALGORITHM`,
 *   `ERR_INVALID_SIGNATURE`, `ERR_TOKEN_EXPIRED`, `ERR_TOKEN_NOT_YET_VALID`, `ERR_INVALID_CREDENTIALS`
 *   or `ERR_INVALID_OPTION`.
 *
 * @example
 * ```ts
 * import { verifyAccessToken } from 'twilio-access-token/web';
 *
 * declare const token: string;
 * const payload = await verifyAccessToken(token, { apiKeySecret: 'the API key secret' });
 * ```
 */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<AccessTokenPayload> {
  const v = beginVerification(token, options);
  return finishVerification(v, await signatureMatches(v.algorithm, v.secret, v.input, v.signature));
}

/**
 * Says why Twilio would reject a token: the main entry's `diagnoseAccessToken`, with the signature
 * checked by WebCrypto, so it returns a Promise. Never rejects for a string.
 *
 * @param token - The token, as the client got it.
 * @param options - `apiKeySecret` to check the signature too; `now` (epoch seconds or a Date).
 * @returns A Promise of `{ ok, header?, payload?, findings }`.
 *
 * @example
 * ```ts
 * import { diagnoseAccessToken } from 'twilio-access-token/web';
 *
 * declare const token: string;
 * const { ok, findings } = await diagnoseAccessToken(token);
 * ```
 */
export async function diagnoseAccessToken(token: string, options?: DiagnoseOptions): Promise<Diagnosis> {
  const state = beginDiagnosis(token, options);
  const s = state.signature;
  return finishDiagnosis(
    state,
    s === undefined ? undefined : await signatureMatches(s.algorithm, s.secret, s.input, s.signature),
  );
}
