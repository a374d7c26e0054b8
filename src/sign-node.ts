import type { KeyObject } from 'node:crypto';
import type { Algorithm } from './options.js';

// One of the two files that touch crypto (the other is sign-web.ts). node:crypto is loaded on first
// use, not at import: loading it pulls in Node's stream internals, which costs more than this whole
// package, and a process that only imports (a CLI's --help, a decode) should not pay for it.

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;
function crypto(): NodeCrypto {
  loaded ??= process.getBuiltinModule('node:crypto');
  return loaded;
}

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** base64url (no padding) of a string's UTF-8 bytes. */
export function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Prepares a secret once, for a minter's fast path. */
export function importKey(secret: string): KeyObject {
  return crypto().createSecretKey(Buffer.from(secret, 'utf8'));
}

let lastKey: { readonly secret: string; readonly key: KeyObject } | undefined;
/** The prepared key for a secret, reusing the last one: most processes sign with one secret. */
export function keyFor(secret: string): KeyObject {
  if (lastKey?.secret !== secret) lastKey = { secret, key: importKey(secret) };
  return lastKey.key;
}

/** The base64url HMAC of `input`. */
export function sign(algorithm: Algorithm, key: KeyObject, input: string): string {
  return crypto().createHmac(HASH[algorithm], key).update(input).digest('base64url');
}

/** Compares a received signature with the expected one in constant time. */
export function signatureMatches(algorithm: Algorithm, secret: string, input: string, signature: string): boolean {
  const expected = Buffer.from(sign(algorithm, keyFor(secret), input));
  const received = Buffer.from(signature);
  // Lengths are public (they follow from the algorithm), so comparing them first leaks nothing.
  return expected.length === received.length && crypto().timingSafeEqual(expected, received);
}
