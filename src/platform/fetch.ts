import { nodeCryptoAvailable } from '../crypto/node-signer.js';
import { webSigner } from '../crypto/web-signer.js';
import { makeValidatedMinter, type ValidatedMinterSettings } from '../token/validated-minter.js';
import { nodeMinter } from './node-minter.js';

// The /fetch handler's minter: node:crypto where it loads as the main entry loads it (through
// process.getBuiltinModule: Node 20.16 or later, so Next.js's Node runtime and Hono on Node, Bun,
// Deno), WebCrypto elsewhere (edge runtimes, Workers without Node compatibility). The tokens are the
// same, byte for byte; node:crypto signs synchronously and several times faster. Nothing here
// imports a `node:` module, so the /fetch bundle still runs where there is none.

const webMinter = /* @__PURE__ */ makeValidatedMinter(webSigner);

/**
 * Internal: the /fetch handler's minter with node:crypto where it can be loaded, else WebCrypto.
 *
 * @param settings - The signing source, ttl and region, validated by the handler.
 * @returns A minter whose results are synchronous with node:crypto, Promises with WebCrypto.
 */
export function fetchMinter(settings: ValidatedMinterSettings) {
  return nodeCryptoAvailable() ? nodeMinter(settings) : webMinter(settings);
}
