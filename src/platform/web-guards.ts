import { encodeBytes } from '../crypto/base64url.js';
import type { GuardPlatform } from './guard-platform.js';

// The guards' WebCrypto side, for the fetch adapter: `tokenId` digests with `crypto.subtle`, and no
// diagnostics channels (edge runtimes have none; nothing here imports a `node:` module).

const utf8 = /* @__PURE__ */ new TextEncoder();

/** WebCrypto's SHA-256; no channels. */
export const webGuards: GuardPlatform = {
  async sha256(text) {
    const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
    if (subtle === undefined) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
    return encodeBytes(new Uint8Array(await subtle.digest('SHA-256', utf8.encode(text))));
  },
  channels: () => undefined,
};
