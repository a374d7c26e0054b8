import { nodeDecode, nodeMintSigner, nodeSigner } from '../crypto/node-signer.js';
import { makeDiagnoseAccessToken } from '../inspect/diagnose/diagnose.js';
import { makeVerifyAccessToken } from '../inspect/verify.js';
import { makeCreateAccessToken, makeTokenMinter } from '../token/access-token.js';

// The main entry's functions: the platform-neutral factories with the node:crypto signer. Each is
// made on its own (and marked pure), so a bundle keeps only the ones an app imports.

/**
 * Mints a Twilio Access Token: a JWT signed with an API Key secret, carrying one identity and one
 * grant per product. Byte-identical to twilio-node's `AccessToken#toJwt()` for the same input.
 *
 * @function
 * @param identity - Who the token is for: 1 to 256 characters, no control characters.
 * @param grants - One grant or an array of grants from the grant factories; one per product.
 * @param options - Credentials (default: from the environment), ttl, nbf, region, algorithm.
 * @returns The signed JWT.
 * @throws {@link AccessTokenError} `ERR_MISSING_CREDENTIALS` when no credentials are given or found, or
 *   when none are given and `TWILIO_API_KEYS` is set (pass `credentials: keyringFromEnv()`).
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when a SID or the secret is malformed
 *   (an Account SID as `apiKeySid` included).
 * @throws {@link AccessTokenError} `ERR_INVALID_IDENTITY` when the identity is not acceptable.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when a value in `grants` is not a grant.
 * @throws {@link AccessTokenError} `ERR_NO_GRANTS` when `grants` is an empty array.
 * @throws {@link AccessTokenError} `ERR_DUPLICATE_GRANT` when two grants share a product.
 * @throws {@link AccessTokenError} `ERR_INVALID_OPTION` when ttl, nbf, region or algorithm is out of
 *   range, an option is unknown, or nbf is not before exp.
 *
 * @example
 * ```ts
 * import { createAccessToken, videoGrant, voiceGrant } from 'twilio-access-token';
 *
 * const token = createAccessToken(
 *   'alice',
 *   [videoGrant({ room: 'standup' }), voiceGrant({ incomingAllow: true })],
 *   { ttl: 3600 }, // credentials from TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET
 * );
 * ```
 */
export const createAccessToken = /* @__PURE__ */ makeCreateAccessToken(nodeMintSigner);

/**
 * Validates credentials and options once, prepares the signing key and header, and returns a
 * function that mints tokens: the fast path for servers. The function takes an identity, grants
 * and optional per-token `{ ttl, nbf }` overrides, and returns the signed JWT.
 *
 * @function
 * @param options - Credentials (required) and the default ttl, nbf, region and algorithm.
 * @returns A {@link TokenMinter}.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` or `ERR_INVALID_OPTION` for bad
 *   options, at once; the minter throws what {@link createAccessToken} throws for identity, grants
 *   and overrides.
 *
 * @example
 * ```ts
 * import { createTokenMinter, credentialsFromEnv, videoGrant } from 'twilio-access-token';
 *
 * const mint = createTokenMinter({ credentials: credentialsFromEnv(), ttl: 3600 });
 * const token = mint('alice', videoGrant(), { ttl: 600 });
 * ```
 */
export const createTokenMinter = /* @__PURE__ */ makeTokenMinter(nodeMintSigner);

/**
 * Verifies a token: its algorithm (HS256, HS384 or HS512 only, checked before the signature), its
 * signature (compared in constant time), then `exp` and `nbf` against `now`.
 *
 * @function
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
export const verifyAccessToken = /* @__PURE__ */ makeVerifyAccessToken(nodeSigner, nodeDecode);

/**
 * Says why Twilio would reject a token, without calling Twilio: malformed JWTs, expiry, a ttl over
 * 24 hours, an Account SID as issuer, a signature that does not match the secret, grants with the
 * wrong SIDs, products a region does not serve, and more. Each finding names the Twilio error code
 * the client would see where one applies. Never throws for a string.
 *
 * @function
 * @param token - The token, as the client got it.
 * @param options - `apiKeySecret` to check the signature too; `now` (epoch seconds or a Date).
 * @returns `{ ok, header?, payload?, findings }`; `ok` is true when no finding is an error.
 * @throws {@link AccessTokenError} `ERR_INVALID_OPTION` for bad options only: an unknown key, a key
 *   present with the value `undefined`, an empty or non-string `apiKeySecret`, `now` in milliseconds.
 *
 * @example
 * ```ts
 * import { diagnoseAccessToken } from 'twilio-access-token';
 *
 * declare const token: string;
 * const secret = process.env.TWILIO_API_KEY_SECRET;
 * const { ok, findings } = diagnoseAccessToken(token, secret ? { apiKeySecret: secret } : {});
 * for (const f of findings) console.log(f.severity, f.code, f.twilioError ?? '', f.message);
 * ```
 */
export const diagnoseAccessToken = /* @__PURE__ */ makeDiagnoseAccessToken(nodeSigner);

/**
 * A function that mints tokens with fixed credentials and options, from {@link createTokenMinter}.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants.
 * @param overrides - A ttl or nbf for this token only.
 * @returns The signed JWT.
 */
export type TokenMinter = ReturnType<typeof createTokenMinter>;
