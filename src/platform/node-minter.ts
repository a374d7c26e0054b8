import { nodeMintSigner } from '../crypto/node-signer.js';
import { makeValidatedMinter } from '../token/validated-minter.js';

// The Node adapters' minter (/express, /lambda, /twilio-functions): node:crypto, synchronous.

/**
 * Internal: the Node handlers' minter, from the settings a handler validated.
 *
 * @param settings - The signing source, ttl and region, validated.
 * @returns A minter whose results are synchronous.
 */
export const nodeMinter = /* @__PURE__ */ makeValidatedMinter(nodeMintSigner);
