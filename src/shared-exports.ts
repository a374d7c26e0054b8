// What the main entry and /web export alike: one list, so the two entry points cannot drift apart.
// Each entry adds its own createAccessToken, createTokenMinter and verifyAccessToken.
export { type Credentials, credentialsFromEnv, type EnvironmentVariables } from './credentials.js';
export {
  type AccessTokenGrants,
  type AccessTokenHeader,
  type AccessTokenPayload,
  type DecodedAccessToken,
  decodeAccessToken,
} from './decode.js';
export type { DiagnoseOptions, Diagnosis, Finding } from './diagnosis.js';
export {
  AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenErrorJSON,
  isAccessTokenError,
} from './errors.js';
export * from './grants/index.js';
export type { AccessTokenOptions, Algorithm, TokenMinterOverrides } from './options.js';
export type { VerifyOptions } from './verify-checks.js';
