// Portable base64url (no padding) for the WebCrypto entry and for decoding everywhere; no Buffer.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEGMENT = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextEncoder();

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

/** Decodes a canonical base64url segment to bytes; `undefined` when it is not one. */
export function decodeBytes(segment: string): Uint8Array<ArrayBuffer> | undefined {
  if (!SEGMENT.test(segment) || !canonical(segment) || segment.length % 4 === 1) return undefined;
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes a canonical base64url segment to UTF-8 text; `undefined` when it is not one. */
export function decodeText(segment: string): string | undefined {
  const bytes = decodeBytes(segment);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
