// What a token source answered: the body read with a size cap, and the token in it checked before
// anything is scheduled from it.

import { fail } from './fetch-error.js';

/** The largest response body read: 64 KiB (a token endpoint answers well under 2 KiB). */
const BODY_LIMIT = 65_536;
/** The longest lifetime accepted from a token or a server `ttl`: 24 hours, Twilio's maximum. */
export const MAX_TTL = 86_400;

const ignore = () => {};

/**
 * Reads a response body as UTF-8 text, refusing one over 64 KiB: by its `Content-Length` before
 * reading, else as soon as the bytes read pass the limit; the rest is never read (the stream is
 * cancelled, so the connection closes).
 *
 * @param body - The response body.
 * @param length - The `Content-Length` header, when there is one.
 * @returns The body's text.
 * @throws A failed-fetch error when the body is over the limit or missing.
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, length: string | null): Promise<string> {
  const tooLarge = fail('ERR_RESPONSE_TOO_LARGE');
  if (Number(length) > BODY_LIMIT) {
    body?.cancel().catch(ignore);
    throw tooLarge;
  }
  if (!body) throw fail('ERR_NO_BODY');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (!(size <= BODY_LIMIT)) {
      reader.cancel().catch(ignore);
      throw tooLarge;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Checks a token a source returned and gives its lifetime: it must be three base64url segments whose
 * middle one is a JSON payload with numbers `exp` and `iat`, `exp - iat` from 1 to 86400 seconds, and,
 * when `identity` is given, `grants.identity` equal to it.
 *
 * @param token - What the source returned as the token.
 * @param identity - The identity the token must be for, if any.
 * @returns `exp - iat` in seconds.
 * @throws A failed-fetch error naming which check failed (never the token).
 */
export function lifetimeOf(token: unknown, identity: string | undefined): number {
  const payload = typeof token === 'string' ? /^[\w-]+\.([\w-]+)\.[\w-]+$/.exec(token)?.[1] : undefined;
  let claims: { exp?: unknown; iat?: unknown; grants?: unknown };
  try {
    const binary = atob((payload as string).replace(/-/g, '+').replace(/_/g, '/'));
    claims = Object(JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))));
  } catch {
    throw fail('ERR_MALFORMED_TOKEN');
  }
  const { exp, iat, grants } = claims;
  const lifetime = typeof exp === 'number' && typeof iat === 'number' ? exp - iat : 0;
  if (!(lifetime >= 1 && lifetime <= MAX_TTL)) throw fail('ERR_TOKEN_LIFETIME');
  if (identity !== undefined && (Object(grants) as { identity?: unknown }).identity !== identity)
    throw fail('ERR_WRONG_IDENTITY');
  return lifetime;
}
