// What the main entry and /web export alike, none of it touching crypto: one list, so the two
// entry points cannot drift apart. Each adds its own signing functions (node-functions.ts,
// web-functions.ts).

export type { TokenMinterOptions } from './access-token.js';
export { type Credentials, credentialsFromEnv, type EnvironmentVariables } from './credentials.js';
export {
  type AccessTokenGrants,
  type AccessTokenHeader,
  type AccessTokenPayload,
  type DecodedAccessToken,
  decodeAccessToken,
} from './decode.js';
export type { DiagnoseOptions, Diagnosis, Finding, FindingCode } from './diagnosis.js';
export {
  AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenErrorJSON,
  isAccessTokenError,
} from './errors.js';
export * from './grants/index.js';
export type { AccessTokenOptions, Algorithm, TokenMinterOverrides } from './options.js';
export type { VerifyOptions } from './verify.js';
