import { encodeText } from './base64url.js';
import type { Credentials } from './credentials.js';
import type { Grant } from './grants/index.js';
import { type Minted, planMint, unsignedToken } from './mint.js';
import type { AccessTokenOptions, TokenMinterOverrides } from './options.js';
import { importKey, keyFor, sign } from './sign-web.js';

/**
 * A function that mints tokens with fixed credentials and options, from {@link createTokenMinter}.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants.
 * @param overrides - A ttl or nbf for this token only.
 * @returns A Promise of the signed JWT.
 */
export type AsyncTokenMinter = (
  identity: string,
  grants: Grant | readonly Grant[],
  overrides?: TokenMinterOverrides,
) => Promise<string>;

/**
 * Mints a Twilio Access Token with WebCrypto. The same token, byte for byte, as the main entry's
 * `createAccessToken`; validation errors reject the Promise.
 *
 * @param identity - Who the token is for: 1 to 256 characters, no control characters.
 * @param grants - One grant or an array of grants; one per product.
 * @param options - Credentials (default: from `process.env` where it exists), ttl, nbf, region, algorithm.
 * @returns A Promise of the signed JWT.
 * @throws {@link AccessTokenError} (as a rejection) with the codes the main entry's
 *   `createAccessToken` uses: `ERR_MISSING_CREDENTIALS`, `ERR_INVALID_CREDENTIALS`,
 *   `ERR_INVALID_IDENTITY`, `ERR_INVALID_GRANT`, `ERR_NO_GRANTS`, `ERR_DUPLICATE_GRANT`,
 *   `ERR_INVALID_OPTION`.
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
export async function createAccessToken(
  identity: string,
  grants: Grant | readonly Grant[],
  options?: AccessTokenOptions,
): Promise<string> {
  const plan = planMint(options, encodeText, false);
  const { input } = unsignedToken(plan, identity, grants, undefined, encodeText);
  return `${input}.${await sign(await keyFor(plan.algorithm, plan.credentials.apiKeySecret), input)}`;
}

/** Internal: like {@link createTokenMinter}, but also returns each token's `exp`. */
export function createDetailedMinter(
  options: AccessTokenOptions & { credentials: Credentials },
): (identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => Promise<Minted> {
  const plan = planMint(options, encodeText, true);
  let key: Promise<CryptoKey> | undefined;
  return async (identity, grants, overrides) => {
    const { input, exp } = unsignedToken(plan, identity, grants, overrides, encodeText);
    key ??= importKey(plan.algorithm, plan.credentials.apiKeySecret);
    return { token: `${input}.${await sign(await key, input)}`, exp };
  };
}

/**
 * Validates credentials and options once and returns an async minter that imports the
 * `CryptoKey` on first use and reuses it.
 *
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
export function createTokenMinter(options: AccessTokenOptions & { credentials: Credentials }): AsyncTokenMinter {
  const mint = createDetailedMinter(options);
  return async (identity, grants, overrides) => (await mint(identity, grants, overrides)).token;
}
