import { nodeCryptoAvailable, nodeMintSigner } from '../crypto/node-signer.js';
import { webSigner } from '../crypto/web-signer.js';
import { makeDetailedMinter } from '../token/access-token.js';
import type { TokenMinterOptions } from '../token/options.js';

// The /fetch handler's minter: node:crypto where it loads as the main entry loads it (through
// process.getBuiltinModule: Node 20.16 or later, so Next.js's Node runtime and Hono on Node, Bun,
// Deno), WebCrypto elsewhere (edge runtimes, Workers without Node compatibility). The tokens are the
// same, byte for byte; node:crypto signs synchronously and several times faster. Nothing here
// imports a `node:` module, so the /fetch bundle still runs where there is none.

const nodeMinter = /* @__PURE__ */ makeDetailedMinter(nodeMintSigner);
const webMinter = /* @__PURE__ */ makeDetailedMinter(webSigner);

/**
 * Internal: the handlers' detailed minter with node:crypto where it can be loaded, else WebCrypto.
 *
 * @param options - Credentials (required) and the default ttl, nbf, region and algorithm.
 * @returns A minter whose results are synchronous with node:crypto, Promises with WebCrypto.
 */
export function createFetchMinter(options: TokenMinterOptions) {
  return nodeCryptoAvailable() ? nodeMinter(options) : webMinter(options);
}
