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
export { diagnoseAccessToken } from './diagnose.js';
export * from './shared-exports.js';
export { verifyAccessToken } from './verify.js';
