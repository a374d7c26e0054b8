import { isPlainObject } from '../validate.js';
import type { RawRequest } from './core.js';

// Request bodies and query strings: JSON and form bodies up to 16 KiB, parsed into plain objects.

/** The body size limit: 16 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** An empty body or query, shared. */
export const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

const utf8 = new TextDecoder();

/** A failure answered with its own status and code (400, 413), not a 500. */
export class HttpError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/** Parses the request body by its content type; `EMPTY` for none or another type. */
export function parseBody(raw: RawRequest): Readonly<Record<string, unknown>> {
  const { body } = raw;
  if (raw.bodyTooLarge === true) throw tooLarge();
  if (body === undefined) return EMPTY;
  if (typeof body === 'object' && !(body instanceof Uint8Array)) {
    if (!isPlainObject(body))
      throw new HttpError(400, 'ERR_BAD_REQUEST', 'The request body must be a JSON object or a form');
    if (JSON.stringify(body).length > MAX_BODY_BYTES) throw tooLarge();
    return body;
  }
  const size = typeof body === 'string' ? new TextEncoder().encode(body).length : body.length;
  if (size > MAX_BODY_BYTES) throw tooLarge();
  const text = typeof body === 'string' ? body : utf8.decode(body);
  const type = (raw.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'ERR_BAD_REQUEST', 'The request body is not valid JSON');
    }
    if (!isPlainObject(parsed)) throw new HttpError(400, 'ERR_BAD_REQUEST', 'The JSON request body must be an object');
    return parsed;
  }
  if (type === 'application/x-www-form-urlencoded') {
    if (/%(?![0-9a-fA-F]{2})/.test(text))
      throw new HttpError(400, 'ERR_BAD_REQUEST', 'The form request body is not valid URL encoding');
    return Object.fromEntries(new URLSearchParams(text));
  }
  return {};
}

function tooLarge(): HttpError {
  return new HttpError(413, 'ERR_PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);
}

/** Query parameters from a search string, the last value winning. */
export function parseQuery(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}
