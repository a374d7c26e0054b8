import { decodeBytes, encodeBytes } from './base64url.js';
import type { Algorithm } from './options.js';

// One of the two files that touch crypto (the other is sign-node.ts): WebCrypto only.

const HASH = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' } as const;
const utf8 = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (s === undefined) throw new Error('twilio-access-token/web needs globalThis.crypto.subtle (WebCrypto)');
  return s;
}

/** Imports an HMAC key for one algorithm. */
export function importKey(algorithm: Algorithm, secret: string): Promise<CryptoKey> {
  return subtle().importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: HASH[algorithm] }, false, [
    'sign',
    'verify',
  ]);
}

let lastKey: { readonly algorithm: Algorithm; readonly secret: string; readonly key: Promise<CryptoKey> } | undefined;
/** The imported key for an algorithm and secret, reusing the last one: most code signs with one. */
export function keyFor(algorithm: Algorithm, secret: string): Promise<CryptoKey> {
  if (lastKey?.algorithm !== algorithm || lastKey.secret !== secret)
    lastKey = { algorithm, secret, key: importKey(algorithm, secret) };
  return lastKey.key;
}

/** The base64url HMAC of `input`. */
export async function sign(key: CryptoKey, input: string): Promise<string> {
  return encodeBytes(new Uint8Array(await subtle().sign('HMAC', key, utf8.encode(input))));
}

/** Checks a received signature with `crypto.subtle.verify`, which compares in constant time. */
export async function signatureMatches(
  algorithm: Algorithm,
  secret: string,
  input: string,
  signature: string,
): Promise<boolean> {
  // Only a canonical base64url spelling counts: one token, one signature string.
  const bytes = decodeBytes(signature);
  if (bytes === undefined) return false;
  return subtle().verify('HMAC', await keyFor(algorithm, secret), bytes, utf8.encode(input));
}
