// What a token source answered: the body read with a size cap, and the token in it checked before
// anything is scheduled from it.

import { fail } from './fetch-error.js';

/** The largest response body read: 64 KiB (a token endpoint answers well under 2 KiB). */
const BODY_LIMIT = 65_536;
/** The longest lifetime accepted from a token or a server `ttl`: 24 hours, Twilio's maximum. */
const MAX_TTL = 86_400;

/** Whether a lifetime is a number of seconds from 1 to 86400 (24 hours, Twilio's maximum). */
const seconds = (value: unknown): value is number => typeof value === 'number' && value >= 1 && value <= MAX_TTL;

/** The errors of a 401 or 403 answer: the user is logged out, and the provider stops refreshing. */
export const denials = new WeakSet<object>();

/** Swallows a rejection nobody waits for. */
export const ignore = (): void => {};

/**
 * Decodes UTF-8 given as a binary string (one character per byte) without `TextDecoder`, which React
 * Native lacks before 0.85.
 *
 * @param binary - The bytes, one character each.
 * @returns The text.
 * @throws `URIError` for bytes that are not UTF-8.
 */
const utf8 = (binary: string): string =>
  // escape() writes each byte from 0x80 (and `%`, and some ASCII) as %XX, which decodeURIComponent
  // reads as UTF-8. Both are in Hermes.
  decodeURIComponent(escape(binary));

/**
 * Reads a token endpoint's answer as UTF-8 JSON, refusing a non-2xx status, and a body over 64 KiB:
 * by its `Content-Length` before reading; then, from a body stream, as soon as the bytes read pass
 * the limit. A refused body's stream is cancelled, so the connection closes. A response without a
 * stream (React Native) is read with `text()` and refused when its UTF-8 length is over the limit,
 * whatever `Content-Length` said.
 *
 * @param response - The response.
 * @returns The body's JSON.
 * @throws A failed-fetch error for a non-2xx status, a body over the limit, empty, or not UTF-8 JSON.
 */
export async function readAnswer(response: Response): Promise<unknown> {
  const { status, body, headers } = response;
  const reader = body?.getReader();
  const refuse = (error: Error) => {
    reader?.cancel().catch(ignore);
    return error;
  };
  if (!response.ok) {
    const error = fail('ERR_HTTP_STATUS', status);
    if (status === 401 || status === 403) denials.add(error);
    throw refuse(error);
  }
  const tooLarge = fail('ERR_RESPONSE_TOO_LARGE');
  if (Number(headers.get('content-length')) > BODY_LIMIT) throw refuse(tooLarge);
  // The body as bytes, one character each: read from the stream until it ends or passes the limit,
  // or, without a stream, the text encoded back to UTF-8 (its length is the byte count).
  let bytes = reader ? '' : unescape(encodeURIComponent(await response.text()));
  while (reader && bytes.length <= BODY_LIMIT) {
    const { done, value } = await reader.read();
    if (done) break;
    // At most one byte past the limit from any chunk, however large the chunk is.
    for (const byte of value.subarray(0, BODY_LIMIT + 1 - bytes.length)) bytes += String.fromCharCode(byte);
  }
  if (bytes.length > BODY_LIMIT) throw refuse(tooLarge);
  if (!bytes) throw fail('ERR_NO_BODY');
  // A 200 that is not UTF-8 JSON (a proxy's HTML login page) holds no token either.
  try {
    return JSON.parse(utf8(bytes));
  } catch {
    throw fail('ERR_NO_TOKEN');
  }
}

/**
 * Checks what a token source returned and gives the token with its lifetime: the token must be three
 * base64url segments whose middle one is a JSON payload with numbers `exp` and `iat`, `exp - iat`
 * from 1 to 86400 seconds, and, when `identity` is given, `grants.identity` equal to it. The lifetime
 * is the source's `ttl` when it is a number from 1 to 86400 (seconds), else `exp - iat`.
 *
 * @param got - A token, or `{ token, ttl }`.
 * @param identity - The identity the token must be for, if any.
 * @returns The token and its lifetime in seconds.
 * @throws A failed-fetch error naming which check failed (never the token).
 */
export function tokenOf(got: unknown, identity: string | undefined): [token: string, seconds: number] {
  const { token, ttl } = (typeof got === 'string' ? { token: got } : Object(got)) as { token?: unknown; ttl?: unknown };
  const payload = typeof token === 'string' && /^[\w-]+\.([\w-]+)\.[\w-]+$/.exec(token)?.[1];
  let claims: { exp?: unknown; iat?: unknown; grants?: unknown };
  try {
    claims = Object(JSON.parse(utf8(atob((payload as string).replace(/-/g, '+').replace(/_/g, '/')))));
  } catch {
    throw fail('ERR_NO_TOKEN');
  }
  const { exp, iat, grants } = claims;
  const lifetime = typeof exp === 'number' && typeof iat === 'number' ? exp - iat : 0;
  if (!seconds(lifetime)) throw fail('ERR_TOKEN_LIFETIME');
  if (identity !== undefined && (Object(grants) as { identity?: unknown }).identity !== identity)
    throw fail('ERR_WRONG_IDENTITY');
  return [token as string, seconds(ttl) ? ttl : lifetime];
}
