import type { Algorithm } from './algorithms.js';
import { isCanonicalSegment, utf8Text } from './base64url.js';
import { inBrowserPage, type Signer, unsupportedRuntime } from './signer.js';

// One of the two files that touch crypto (the other is web-signer.ts). node:crypto is loaded on first
// use, not at import: loading it pulls in Node's stream internals, which costs more than this whole
// package, and a process that only imports (a CLI's --help, a decode) should not pay for it.

// The runtime is checked on first use, so an unsupported one fails with a line that names the
// requirement instead of `process.getBuiltinModule is not a function` or `Buffer is not defined`.

// The parts of node:crypto and node:buffer used here, typed here: /fetch, which bundles this file
// for runtimes without Node, is type-checked without Node's types too.
interface NodeCrypto {
  createHmac(algorithm: string, key: string): { update(data: string): { digest(encoding: 'base64url'): string } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  /** A one-shot digest: Node.js 20.12 and later. */
  hash?: {
    (algorithm: string, data: string | Uint8Array, encoding: 'buffer'): Uint8Array;
    (algorithm: string, data: string | Uint8Array, encoding: 'latin1' | 'base64url'): string;
  };
}
type NodeBufferOf = Uint8Array & {
  toString(encoding: 'base64url', start?: number, end?: number): string;
  write(text: string, offset?: number, encoding?: 'latin1'): number;
};
interface BufferClass {
  from(text: string, encoding: 'utf8' | 'latin1' | 'base64url'): NodeBufferOf;
  alloc(size: number): NodeBufferOf;
}
type GetBuiltinModule = (id: string) => unknown;
let loaded: NodeCrypto | undefined;
// Buffer comes from node:buffer, loaded the same way, not from the global: a runtime that has
// process.getBuiltinModule need not have a global Buffer.
let NodeBuffer: BufferClass;
function crypto(): NodeCrypto {
  if (loaded !== undefined) return loaded;
  const node = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
  if (inBrowserPage())
    throw unsupportedRuntime('The main entry of twilio-access-token runs on Node.js 20.16 or later, not in a browser');
  if (typeof node?.getBuiltinModule !== 'function')
    throw unsupportedRuntime(
      'twilio-access-token needs Node.js 20.16 or later (this runtime has no process.getBuiltinModule)',
    );
  const c = node.getBuiltinModule('node:crypto') as NodeCrypto | undefined;
  const b = node.getBuiltinModule('node:buffer') as { Buffer?: BufferClass } | undefined;
  if (typeof c?.createHmac !== 'function' || b?.Buffer === undefined)
    throw unsupportedRuntime('twilio-access-token needs node:crypto and node:buffer (Node.js 20.16 or later)');
  NodeBuffer = b.Buffer;
  loaded = c;
  return loaded;
}

/**
 * Whether this signer can run here: `node:crypto` loads through `process.getBuiltinModule` (Node
 * 20.16 or later, Bun, Deno) and this is not a browser page. Loads it when it can.
 */
export function nodeCryptoAvailable(): boolean {
  try {
    crypto();
    return true;
  } catch {
    return false;
  }
}

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

/** The HMAC of inputs under one algorithm and secret, base64url. */
type Hmac = (input: string) => string;

// HMAC (RFC 2104) as two one-shot hashes over pads made once per key, H((K ^ opad) || H((K ^ ipad)
// || m)): the same MAC as createHmac (the tests compare them over random secrets and inputs),
// without an Hmac object per token, whose making and collecting cost a third of a token. For a
// secret of printable ASCII that fits a hash block (Twilio's have 32 characters), whose inner pad is
// then ASCII text as well; else, and where node:crypto has no `hash` (before Node.js 20.12, some
// runtimes), createHmac keyed with the secret's UTF-8 bytes, as the pads are.
function hmacOf(algorithm: Algorithm, secret: string): Hmac {
  const digest = crypto().hash;
  const hash = HASH[algorithm];
  const block = hash === 'sha256' ? 64 : 128;
  if (!digest || secret.length > block || !/^[ -~]*$/.test(secret)) return nodeSigner.hmac(algorithm, secret);
  const outer = NodeBuffer.alloc(block + digest(hash, '', 'buffer').length);
  let inner = '';
  for (let i = 0; i < block; i++) {
    // Past the secret's end, NaN | 0 is the key's zero padding.
    const k = secret.charCodeAt(i) | 0;
    inner += String.fromCharCode(k ^ 0x36);
    outer[i] = k ^ 0x5c;
  }
  // The inner digest as latin1 text, one character a byte (a Buffer per token cost more), written
  // after the outer pad; nothing runs between that write and the outer hash.
  return (input) => {
    outer.write(digest(hash, inner + input, 'latin1'), block, 'latin1');
    return digest(hash, outer, 'base64url');
  };
}

/** createHmac's MAC, base64url, keyed with the secret's UTF-8 bytes (as the pads are). */
function macOf(algorithm: Algorithm, secret: string, input: string): string {
  return crypto().createHmac(HASH[algorithm], secret).update(input).digest('base64url');
}

// Prepared MACs by algorithm and secret: minting, verifying and a keyring's few keys each prepare a
// key once. Bounded, so a process verifying with ever new secrets does not grow without end.
const prepared = new Map<string, Hmac>();
function prepare(algorithm: Algorithm, secret: string): Hmac {
  const id = algorithm + secret;
  let hmac = prepared.get(id);
  if (hmac === undefined) {
    hmac = hmacOf(algorithm, secret);
    if (prepared.size >= 16) prepared.clear();
    prepared.set(id, hmac);
  }
  return hmac;
}

/**
 * A segment's UTF-8 text, decoded with Buffer; the same answer as the portable `decodeText`.
 * Buffer skips characters that are not base64 and takes '+', '/' and '=': the spelling is checked
 * first, so a segment decodes here exactly when the portable decoder accepts it. Apart from the
 * signer, so that a bundle that only mints leaves it out.
 */
export function nodeDecode(segment: string): string | undefined {
  crypto();
  return isCanonicalSegment(segment) ? utf8Text(NodeBuffer.from(segment, 'base64url')) : undefined;
}

/** The node:crypto signer: synchronous. */
export const nodeSigner: Signer<string, boolean> = {
  encode: (text) => {
    crypto();
    return NodeBuffer.from(text, 'utf8').toString('base64url');
  },
  assertRuntime() {
    crypto();
  },
  settle: (value) => value,
  reject(error) {
    throw error;
  },
  hmac: (algorithm, secret) => (input) => macOf(algorithm, secret, input),
  matches(algorithm, secret, input, signature) {
    const mac = macOf(algorithm, secret, input);
    // Compared as base64url text, so only the canonical spelling of the MAC matches; in Buffers cut
    // from Node's pool: a raw digest() would allocate an ArrayBuffer of its own on every call, which
    // costs more (in GC) than encoding the MAC. The signature as UTF-8: a character outside ASCII
    // becomes bytes no base64url character has.
    const expected = NodeBuffer.from(mac, 'latin1');
    const received = NodeBuffer.from(signature, 'utf8');
    // Lengths are public (they follow from the algorithm), so comparing them first leaks nothing.
    return expected.length === received.length && crypto().timingSafeEqual(expected, received);
  },
};

/**
 * The node:crypto signer for minting: {@link nodeSigner} with MACs from pads prepared once per key
 * (a verify-only bundle leaves that code out).
 */
export const nodeMintSigner: Signer<string, boolean> = /* @__PURE__ */ Object.assign({}, nodeSigner, { hmac: prepare });
