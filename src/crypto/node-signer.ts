import type { KeyObject } from 'node:crypto';
import type { Algorithm } from './algorithms.js';
import { inBrowserPage, type Signer, unsupportedRuntime } from './signer.js';

// One of the two files that touch crypto (the other is web-signer.ts). node:crypto is loaded on first
// use, not at import: loading it pulls in Node's stream internals, which costs more than this whole
// package, and a process that only imports (a CLI's --help, a decode) should not pay for it.

// The runtime is checked on first use, so an unsupported one fails with a line that names the
// requirement instead of `process.getBuiltinModule is not a function` or `Buffer is not defined`.

type NodeCrypto = typeof import('node:crypto');
let loaded: NodeCrypto | undefined;
function crypto(): NodeCrypto {
  if (loaded !== undefined) return loaded;
  const node = (globalThis as { process?: { getBuiltinModule?: NodeJS.Process['getBuiltinModule'] } }).process;
  if (inBrowserPage())
    throw unsupportedRuntime('The main entry of twilio-access-token runs on Node.js 20.16 or later, not in a browser');
  if (typeof node?.getBuiltinModule !== 'function')
    throw unsupportedRuntime(
      'twilio-access-token needs Node.js 20.16 or later (this runtime has no process.getBuiltinModule)',
    );
  loaded = node.getBuiltinModule('node:crypto');
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
  encode: (text) => {
    crypto();
    return Buffer.from(text, 'utf8').toString('base64url');
  },
  assertRuntime() {
    crypto();
  },
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
