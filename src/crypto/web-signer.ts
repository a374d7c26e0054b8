import { fail } from '../base/errors.js';
import type { Algorithm } from './algorithms.js';
import { decodeBytes, encodeBytes, encodeText } from './base64url.js';
import { inBrowserPage, type Signer, unsupportedRuntime } from './signer.js';

// One of the two files that touch crypto (the other is node-signer.ts): WebCrypto only.

const HASH = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' } as const;
const utf8 = /* @__PURE__ */ new TextEncoder();

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (s === undefined)
    throw unsupportedRuntime('twilio-access-token/web needs WebCrypto (globalThis.crypto.subtle, a secure context)');
  return s;
}

// The key is imported on first use, not when a minter is created, and the last one is reused.
let last: { readonly algorithm: Algorithm; readonly secret: string; key?: Promise<CryptoKey> } | undefined;
function keyFor(algorithm: Algorithm, secret: string): { key?: Promise<CryptoKey> } {
  if (last?.algorithm !== algorithm || last.secret !== secret) last = { algorithm, secret };
  return last;
}
function imported(slot: { key?: Promise<CryptoKey> }, algorithm: Algorithm, secret: string): Promise<CryptoKey> {
  slot.key ??= subtle().importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: HASH[algorithm] }, false, [
    'sign',
    'verify',
  ]);
  return slot.key;
}

/** The WebCrypto signer: every result is a Promise. */
export const webSigner: Signer<Promise<string>, Promise<boolean>> = {
  encode: encodeText,
  settle: (value) => Promise.resolve(value),
  reject: (error) => Promise.reject(error),
  assertRuntime(allowBrowser) {
    if (!allowBrowser && inBrowserPage()) {
      fail({
        code: 'ERR_INVALID_OPTION',
        path: 'options.dangerouslyAllowBrowser',
        expected: 'true to sign or verify in a browser page',
        receivedText: 'a call from a page (document exists) without it',
        hint: 'The API Key secret must not ship to a browser, where every visitor could read it and mint tokens for any identity: fetch tokens from your server with twilio-access-token/client',
      });
    }
  },
  hmac(algorithm, secret) {
    const slot = keyFor(algorithm, secret);
    return async (input) =>
      encodeBytes(
        new Uint8Array(await subtle().sign('HMAC', await imported(slot, algorithm, secret), utf8.encode(input))),
      );
  },
  // crypto.subtle.verify compares in constant time; only a canonical base64url spelling counts.
  async matches(algorithm, secret, input, signature) {
    const bytes = decodeBytes(signature);
    if (bytes === undefined) return false;
    return subtle().verify(
      'HMAC',
      await imported(keyFor(algorithm, secret), algorithm, secret),
      bytes,
      utf8.encode(input),
    );
  },
};
