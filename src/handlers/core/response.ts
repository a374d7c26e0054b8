import type { CoreResponse } from './types.js';

// Every response a token endpoint sends is built here: one shape per kind, used by every adapter.

/** A failure answered with its own status and code (400, 401, 405, 408, 413), not a 500. */
export class HttpError extends Error {
  /**
   * @param status - The HTTP status.
   * @param code - The stable code in the JSON body, such as `ERR_BAD_REQUEST`.
   * @param message - Safe to show the client.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The body size limit: 16 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The one "body too large" signal, whichever adapter met it. */
export const PAYLOAD_TOO_LARGE = new HttpError(
  413,
  'ERR_PAYLOAD_TOO_LARGE',
  `The request body is larger than ${MAX_BODY_BYTES} bytes`,
);
/** The one "body too slow" signal. */
export const REQUEST_TIMEOUT = new HttpError(408, 'ERR_REQUEST_TIMEOUT', 'The request body did not arrive in time');

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A JSON response with `no-store`, on top of the CORS headers that apply. */
export function jsonResponse(status: number, cors: Readonly<Record<string, string>>, body: string): CoreResponse {
  return { status, headers: { ...cors, ...JSON_HEADERS }, body };
}

/** `{"error":{"code","message"}}` with its status. */
export function errorResponse(error: HttpError, cors: Readonly<Record<string, string>>): CoreResponse {
  return jsonResponse(error.status, cors, JSON.stringify({ error: { code: error.code, message: error.message } }));
}

/** The fixed 500 body: nothing from the thrown error, no stack, no secret. */
export const INTERNAL_BODY =
  '{"error":{"code":"ERR_INTERNAL","message":"The token could not be issued because of a server error"}}';

/** The 500 response. */
export function internalErrorResponse(cors: Readonly<Record<string, string>>): CoreResponse {
  return jsonResponse(500, cors, INTERNAL_BODY);
}
