import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { Algorithm } from './options.js';

// One of the two files that touch crypto (the other is sign-web.ts).

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** base64url (no padding) of a string's UTF-8 bytes. */
export function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Prepares a secret once, for a minter's fast path. */
export function importKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** The base64url HMAC of `input`. */
export function sign(algorithm: Algorithm, key: KeyObject | string, input: string): string {
  return createHmac(HASH[algorithm], key).update(input).digest('base64url');
}

/** Compares a received signature with the expected one in constant time. */
export function signatureMatches(algorithm: Algorithm, secret: string, input: string, signature: string): boolean {
  const expected = Buffer.from(sign(algorithm, secret, input));
  const received = Buffer.from(signature);
  // Lengths are public (they follow from the algorithm), so comparing them first leaks nothing.
  return expected.length === received.length && timingSafeEqual(expected, received);
}
