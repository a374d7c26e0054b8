import type { KeyObject } from 'node:crypto';
import type { Algorithm } from './options.js';
import type { Signer } from './signer.js';

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

function hmacWith(algorithm: Algorithm, key: KeyObject): (input: string) => string {
  const hash = HASH[algorithm];
  return (input) => crypto().createHmac(hash, key).update(input).digest('base64url');
}

// Most processes sign with one secret: the last key and HMAC function are reused.
let last:
  | { readonly algorithm: Algorithm; readonly secret: string; readonly hmac: (input: string) => string }
  | undefined;

/** The node:crypto signer: synchronous. */
export const nodeSigner: Signer<string, boolean> = {
  encode: (text) => Buffer.from(text, 'utf8').toString('base64url'),
  settle: (value) => value,
  reject(error) {
    throw error;
  },
  hmac(algorithm, secret) {
    if (last?.algorithm !== algorithm || last.secret !== secret) {
      last = { algorithm, secret, hmac: hmacWith(algorithm, crypto().createSecretKey(Buffer.from(secret, 'utf8'))) };
    }
    return last.hmac;
  },
  matches(algorithm, secret, input, signature) {
    const expected = Buffer.from(nodeSigner.hmac(algorithm, secret)(input));
    const received = Buffer.from(signature);
    // Lengths are public (they follow from the algorithm), so comparing them first leaks nothing.
    return expected.length === received.length && crypto().timingSafeEqual(expected, received);
  },
};
