// What the main entry and /web export alike, none of it touching crypto: one list, so the two
// entry points cannot drift apart. Each adds its own signing functions (platform/node.ts,
// platform/web.ts).

export {
  ACCESS_TOKEN_ERRORS,
  AccessTokenError,
  type AccessTokenErrorCode,
  type AccessTokenErrorJSON,
  isAccessTokenError,
} from '../base/errors.js';
export * from '../grants/index.js';
export {
  type AccessTokenGrants,
  type AccessTokenHeader,
  type AccessTokenPayload,
  type DecodedAccessToken,
  decodeAccessToken,
} from '../inspect/decode.js';
export type { DiagnoseOptions, Diagnosis } from '../inspect/diagnose/diagnose.js';
export { FINDINGS, type Finding, type FindingCode, type FindingInfo } from '../inspect/diagnose/finding.js';
export type { VerifyCommonOptions, VerifyOptions } from '../inspect/verify.js';
export { type Credentials, credentialsFromEnv, type EnvironmentVariables } from '../token/credentials.js';
export {
  createKeyring,
  isKeyring,
  type KeyDescription,
  type Keyring,
  type KeyringKey,
  type KeyringOptions,
  type KeyTime,
  keyringFromEnv,
} from '../token/keyring/keyring.js';
export type { AccessTokenOptions, Algorithm, TokenMinterOptions, TokenMinterOverrides } from '../token/options.js';
