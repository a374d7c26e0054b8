import type { Credentials } from './credentials.js';
import type { Grant } from './grants/index.js';
import { type Minted, planMint, unsignedToken } from './mint.js';
import type { AccessTokenOptions, TokenMinterOverrides } from './options.js';
import { encode, importKey, keyFor, sign } from './sign-node.js';

/**
 * A function that mints tokens with fixed credentials and options, from {@link createTokenMinter}.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants.
 * @param overrides - A ttl or nbf for this token only.
 * @returns The signed JWT.
 */
export type TokenMinter = (
  identity: string,
  grants: Grant | readonly Grant[],
  overrides?: TokenMinterOverrides,
) => string;

/**
 * Mints a Twilio Access Token: a JWT signed with an API Key secret, carrying one identity and one
 * grant per product. Byte-identical to twilio-node's `AccessToken#toJwt()` for the same input.
 *
 * @param identity - Who the token is for: 1 to 256 characters, no control characters.
 * @param grants - One grant or an array of grants from the grant factories; one per product.
 * @param options - Credentials (default: from the environment), ttl, nbf, region, algorithm.
 * @returns The signed JWT.
 * @throws {@link AccessTokenError} `ERR_MISSING_CREDENTIALS` when no credentials are given or found.
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
export function createAccessToken(
  identity: string,
  grants: Grant | readonly Grant[],
  options?: AccessTokenOptions,
): string {
  const plan = planMint(options, encode, false);
  const { input } = unsignedToken(plan, identity, grants, undefined, encode);
  return `${input}.${sign(plan.algorithm, keyFor(plan.credentials.apiKeySecret), input)}`;
}

/**
 * Validates credentials and options once, prepares the signing key and header, and returns a
 * function that mints tokens: the fast path for servers.
 *
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
export function createTokenMinter(options: AccessTokenOptions & { credentials: Credentials }): TokenMinter {
  const mint = createDetailedMinter(options);
  return (identity, grants, overrides) => mint(identity, grants, overrides).token;
}

/** Internal: like {@link createTokenMinter}, but also returns each token's `exp`, for the handlers. */
export function createDetailedMinter(
  options: AccessTokenOptions & { credentials: Credentials },
): (identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => Minted {
  const plan = planMint(options, encode, true);
  const key = importKey(plan.credentials.apiKeySecret);
  return (identity, grants, overrides) => {
    const { input, exp } = unsignedToken(plan, identity, grants, overrides, encode);
    return { token: `${input}.${sign(plan.algorithm, key, input)}`, exp };
  };
}
