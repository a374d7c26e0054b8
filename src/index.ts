/**
 * The main entry: mint, grant, inspect and verify Twilio Access Tokens with `node:crypto`.
 *
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token';
 * ```
 *
 * @module twilio-access-token
 */
export { createAccessToken, createTokenMinter, type TokenMinter } from './create-access-token.js';
export { type Credentials, credentialsFromEnv, type EnvironmentVariables } from './credentials.js';
export {
  type AccessTokenGrants,
  type AccessTokenHeader,
  type AccessTokenPayload,
  type DecodedAccessToken,
  decodeAccessToken,
} from './decode.js';
export {
  AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenErrorJSON,
  isAccessTokenError,
} from './errors.js';
export * from './grants/index.js';
export type { AccessTokenOptions, Algorithm, TokenMinterOverrides } from './options.js';
export { verifyAccessToken } from './verify.js';
export type { VerifyOptions } from './verify-checks.js';
