import { isPlainObject } from '../../base/validate.js';
import { HttpError, MAX_BODY_BYTES, PAYLOAD_TOO_LARGE } from './response.js';
import type { RawRequest } from './types.js';

// Request bodies and query strings: JSON and form bodies up to 16 KiB, parsed into plain objects
// nested at most 64 levels deep.

/** An empty body or query, shared. */
export const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** How deep a parsed body (or a Twilio Functions event) may nest. */
export const MAX_DEPTH = 64;

const utf8 = new TextDecoder();
const badRequest = (message: string) => new HttpError('ERR_BAD_REQUEST', message);
const TOO_DEEP = badRequest(`The request body is nested deeper than ${MAX_DEPTH} levels`);

/** Parses the request body by its content type; `EMPTY` for none or another type. */
export function parseBody(raw: RawRequest): Readonly<Record<string, unknown>> {
  const { body } = raw;
  if (body === undefined) return EMPTY;
  if (body instanceof Error) throw body;
  if (typeof body === 'object' && !(body instanceof Uint8Array)) {
    if (!isPlainObject(body)) throw badRequest('The request body must be a JSON object or a form');
    // Depth first: JSON.stringify of a deeply nested object throws a RangeError.
    if (!withinDepth(body)) throw TOO_DEEP;
    if (JSON.stringify(body).length > MAX_BODY_BYTES) throw PAYLOAD_TOO_LARGE;
    return body;
  }
  const size = typeof body === 'string' ? new TextEncoder().encode(body).length : body.length;
  if (size > MAX_BODY_BYTES) throw PAYLOAD_TOO_LARGE;
  const text = typeof body === 'string' ? body : utf8.decode(body);
  const type = (raw.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badRequest('The request body is not valid JSON');
    }
    if (!isPlainObject(parsed)) throw badRequest('The JSON request body must be an object');
    if (!withinDepth(parsed)) throw TOO_DEEP;
    return parsed;
  }
  if (type === 'application/x-www-form-urlencoded') {
    if (/%(?![0-9a-fA-F]{2})/.test(text)) throw badRequest('The form request body is not valid URL encoding');
    return Object.fromEntries(new URLSearchParams(text));
  }
  return EMPTY;
}

/** Whether a value nests at most {@link MAX_DEPTH} levels; iterative, so depth cannot overflow the stack. */
export function withinDepth(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_DEPTH) return false;
    for (const child of Object.values(item))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return true;
}

/** Query parameters from a search string, the last value winning. */
export function parseQuery(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}
