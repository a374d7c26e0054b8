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
type KeyObject = object;
interface NodeCrypto {
  createSecretKey(key: Uint8Array): KeyObject;
  createHmac(algorithm: string, key: KeyObject): { update(data: string): { digest(encoding: 'base64url'): string } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}
type NodeBufferOf = Uint8Array & {
  toString(encoding: 'base64url', start?: number, end?: number): string;
  write(text: string): number;
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
  if (typeof c?.createHmac !== 'function' || typeof c.createSecretKey !== 'function' || b?.Buffer === undefined)
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

/** A prepared key: what signing and verifying with one algorithm and secret need. */
interface Prepared {
  readonly hash: (typeof HASH)[Algorithm];
  readonly key: KeyObject;
  readonly hmac: (input: string) => string;
}

// Prepared keys by algorithm, then secret: minting, verifying and a keyring's few keys each prepare
// a key once. Bounded, so a process verifying with ever new secrets does not grow without end.
const MAX_KEYS = 16;
const prepared = new Map<Algorithm, Map<string, Prepared>>();
function prepare(algorithm: Algorithm, secret: string): Prepared {
  let bySecret = prepared.get(algorithm);
  if (bySecret === undefined) {
    bySecret = new Map();
    prepared.set(algorithm, bySecret);
  }
  const known = bySecret.get(secret);
  if (known !== undefined) return known;
  const hash = HASH[algorithm];
  const key = crypto().createSecretKey(NodeBuffer.from(secret, 'utf8'));
  const entry: Prepared = {
    hash,
    key,
    hmac: (input) => crypto().createHmac(hash, key).update(input).digest('base64url'),
  };
  if (bySecret.size >= MAX_KEYS) bySecret.clear();
  bySecret.set(secret, entry);
  return entry;
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

const SCRATCH = 8192;
let scratch: NodeBufferOf | undefined;

/** The node:crypto signer: synchronous. */
export const nodeSigner: Signer<string, boolean> = {
  encode: (text) => {
    crypto();
    // Through one scratch buffer when the text surely fits (at most 3 UTF-8 bytes per UTF-16 unit):
    // no Buffer made per token. Nothing runs between the write and the read.
    if (text.length > SCRATCH / 3) return NodeBuffer.from(text, 'utf8').toString('base64url');
    scratch ??= NodeBuffer.alloc(SCRATCH);
    return scratch.toString('base64url', 0, scratch.write(text));
  },
  assertRuntime() {
    crypto();
  },
  settle: (value) => value,
  reject(error) {
    throw error;
  },
  hmac: (algorithm, secret) => prepare(algorithm, secret).hmac,
  matches(algorithm, secret, input, signature) {
    const { hash, key } = prepare(algorithm, secret);
    // Compared as base64url text, so only the canonical spelling of the MAC matches; in Buffers cut
    // from Node's pool: a raw digest() would allocate an ArrayBuffer of its own on every call, which
    // costs more (in GC) than encoding the MAC. The signature as UTF-8: a character outside ASCII
    // becomes bytes no base64url character has.
    const expected = NodeBuffer.from(crypto().createHmac(hash, key).update(input).digest('base64url'), 'latin1');
    const received = NodeBuffer.from(signature, 'utf8');
    // Lengths are public (they follow from the algorithm), so comparing them first leaks nothing.
    return expected.length === received.length && crypto().timingSafeEqual(expected, received);
  },
};
