/**
 * The main entry: mint, grant, inspect, verify and diagnose Twilio Access Tokens with `node:crypto`.
 *
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token';
 * ```
 *
 * @module twilio-access-token
 */
export {
  createAccessToken,
  createTokenMinter,
  diagnoseAccessToken,
  type TokenMinter,
  verifyAccessToken,
} from './node-functions.js';
export * from './platform-neutral-exports.js';
