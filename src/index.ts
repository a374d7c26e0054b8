/**
 * The main entry: mint, grant, inspect, verify and diagnose Twilio Access Tokens with `node:crypto`.
 *
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token';
 * ```
 *
 * @module twilio-access-token
 */

export * from './platform/neutral.js';
export {
  createAccessToken,
  createTokenMinter,
  diagnoseAccessToken,
  type TokenMinter,
  verifyAccessToken,
} from './platform/node.js';
