// Portable base64url (no padding), no Buffer: the WebCrypto entry encodes and decodes with it; the
// node:crypto signer decodes with Buffer, after the same canonical-spelling check.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const utf8 = /* @__PURE__ */ new TextEncoder();

/** base64url of bytes. */
export function encodeBytes(bytes: Uint8Array): string {
  const at = (i: number) => bytes[i] ?? 0;
  const char = (n: number) => ALPHABET.charAt(n & 63);
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += char(n >> 18) + char(n >> 12) + char(n >> 6) + char(n);
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (at(i) << 16) | (at(i + 1) << 8);
    out += char(n >> 18) + char(n >> 12) + (rest === 2 ? char(n >> 6) : '');
  }
  return out;
}

/** base64url of a string's UTF-8 bytes. */
export function encodeText(text: string): string {
  return encodeBytes(utf8.encode(text));
}

// A canonical encoding leaves the unused low bits of its last character zero, so one token has
// exactly one spelling (a signature differing only in those bits is a different signature).
function canonical(segment: string): boolean {
  const rest = segment.length % 4;
  const last = segment[segment.length - 1] ?? 'A';
  return rest === 0 || (rest === 2 ? 'AQgw' : rest === 3 ? 'AEIMQUYcgkosw048' : '').includes(last);
}

/**
 * Whether a segment is canonical base64url without padding: the alphabet only, a length an encoding
 * can have, and zero unused bits. Decoders that skip what is not base64 (`Buffer`) check this first.
 */
export function isCanonicalSegment(segment: string): boolean {
  return SEGMENT.test(segment) && segment.length % 4 !== 1 && canonical(segment);
}

/** Decodes a canonical base64url segment to bytes; `undefined` when it is not one. */
export function decodeBytes(segment: string): Uint8Array<ArrayBuffer> | undefined {
  if (!isCanonicalSegment(segment)) return undefined;
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// One strict decoder for every call: creating one per call cost more than the decoding. A decode
// without `stream` starts afresh each time, so sharing it carries nothing from one token to the next.
// ignoreBOM keeps a leading byte-order mark in the text, where JSON.parse refuses it: stripped, it
// would be a second byte spelling of the same claims.
const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as UTF-8 text; `undefined` when they are not valid UTF-8 (nothing is replaced). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Decodes a canonical base64url segment to UTF-8 text; `undefined` when it is not one. */
export function decodeText(segment: string): string | undefined {
  const bytes = decodeBytes(segment);
  return bytes === undefined ? undefined : utf8Text(bytes);
}
