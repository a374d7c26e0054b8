import { webSigner } from '../crypto/web-signer.js';
import { makeDiagnoseAccessToken } from '../inspect/diagnose/diagnose.js';
import { makeVerifyAccessToken } from '../inspect/verify.js';
import { makeCreateAccessToken, makeTokenMinter } from '../token/access-token.js';

// The /web entry's functions: the same factories as the main entry's, with the WebCrypto signer,
// so minting, verifying and diagnosing return Promises.

/**
 * Mints a Twilio Access Token with WebCrypto. The same token, byte for byte, as the main entry's
 * `createAccessToken`; validation errors reject the Promise.
 *
 * @function
 * @param identity - Who the token is for: 1 to 256 characters, no control characters.
 * @param grants - One grant or an array of grants; one per product.
 * @param options - Credentials (default: from `process.env` where it exists), ttl, nbf, region, algorithm.
 * @returns A Promise of the signed JWT.
 * @throws {@link AccessTokenError} with the codes the main entry's `createAccessToken` uses:
 *   `ERR_MISSING_CREDENTIALS`, `ERR_INVALID_CREDENTIALS`, `ERR_INVALID_IDENTITY`, `ERR_INVALID_GRANT`,
 *   `ERR_NO_GRANTS`, `ERR_DUPLICATE_GRANT`, `ERR_INVALID_OPTION` (synchronously, before any signing).
 *
 * @example
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token/web';
 *
 * declare const env: { ACCOUNT_SID: string; API_KEY: string; API_SECRET: string };
 * const token = await createAccessToken('alice', videoGrant(), {
 *   credentials: { accountSid: env.ACCOUNT_SID, apiKeySid: env.API_KEY, apiKeySecret: env.API_SECRET },
 * });
 * ```
 */
export const createAccessToken = /* @__PURE__ */ makeCreateAccessToken(webSigner);

/**
 * Validates credentials and options once and returns an async minter that imports the
 * `CryptoKey` on first use and reuses it.
 *
 * @function
 * @param options - Credentials (required) and the default ttl, nbf, region and algorithm.
 * @returns An {@link AsyncTokenMinter}.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` or `ERR_INVALID_OPTION` at once for
 *   bad options (synchronously, at creation).
 *
 * @example
 * ```ts
 * import { createTokenMinter, videoGrant } from 'twilio-access-token/web';
 *
 * const mint = createTokenMinter({
 *   credentials: { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 'not-a-real-secret' },
 * });
 * const token = await mint('alice', videoGrant());
 * ```
 */
export const createTokenMinter = /* @__PURE__ */ makeTokenMinter(webSigner);

/**
 * Verifies a token with WebCrypto: algorithm first, then signature (`crypto.subtle.verify`, constant
 * time), then `exp` and `nbf`. The same checks and codes as the main entry's `verifyAccessToken`.
 *
 * @function
 * @param token - A Twilio Access Token JWT.
 * @param options - The API Key secret, and optionally `now` (epoch seconds or Date) and `clockTolerance`.
 * @returns A Promise of the verified payload.
 * @throws {@link AccessTokenError} `ERR_MALFORMED_TOKEN`, `ERR_UNSUPPORTED_ALGORITHM`,
 *   `ERR_INVALID_CREDENTIALS` or `ERR_INVALID_OPTION` synchronously; `ERR_INVALID_SIGNATURE`,
 *   `ERR_TOKEN_EXPIRED` and `ERR_TOKEN_NOT_YET_VALID` as a rejection.
 *
 * @example
 * ```ts
 * import { verifyAccessToken } from 'twilio-access-token/web';
 *
 * declare const token: string;
 * const payload = await verifyAccessToken(token, { apiKeySecret: 'the API key secret' });
 * ```
 */
export const verifyAccessToken = /* @__PURE__ */ makeVerifyAccessToken(webSigner);

/**
 * Says why Twilio would reject a token: the main entry's `diagnoseAccessToken`, with the signature
 * checked by WebCrypto, so it returns a Promise. Never rejects for a string; rejects with
 * `ERR_INVALID_OPTION` for bad options, as the main entry's throws.
 *
 * @function
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
export const diagnoseAccessToken = /* @__PURE__ */ makeDiagnoseAccessToken(webSigner);

/**
 * A function that mints tokens with fixed credentials and options, from {@link createTokenMinter}.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants.
 * @param overrides - A ttl or nbf for this token only.
 * @returns A Promise of the signed JWT.
 */
export type AsyncTokenMinter = ReturnType<typeof createTokenMinter>;
