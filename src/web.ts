/**
 * The WebCrypto entry, for runtimes without `node:crypto`: Vercel and Netlify Edge, Cloudflare
 * Workers, Deno, Bun and browsers. The same API as the main entry, except that minting, verifying
 * and diagnosing return Promises. Its bundle imports no `node:` module.
 *
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token/web';
 * ```
 *
 * @module twilio-access-token/web
 */

export * from './platform/neutral.js';
export {
  type AsyncTokenMinter,
  createAccessToken,
  createTokenMinter,
  diagnoseAccessToken,
  verifyAccessToken,
} from './platform/web.js';
