import { isAccessTokenError } from '../../base/errors.js';
import { HTTP_ERRORS, type HttpErrorCode } from './http-errors.js';
import type { CoreResponse } from './types.js';

export { HTTP_ERRORS, type HttpErrorCode } from './http-errors.js';

// Every response a token endpoint sends is built here: one shape per kind, used by every adapter.

/** A failure answered with its own status and code (400, 401, 405, 408, 413, 429), not a 500. */
export class HttpError extends Error {
  /** The HTTP status: always `HTTP_ERRORS[code]`. */
  readonly status: number;

  /**
   * @param code - The stable code in the JSON body, such as `ERR_BAD_REQUEST`; it decides the status.
   * @param message - Safe to show the client.
   * @param headers - Headers this answer adds (a 429's `Retry-After`).
   */
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = HTTP_ERRORS[code];
  }
}

/**
 * The answer to an error thrown while a request was handled: an {@link HttpError} as it is, an
 * `AccessTokenError` whose code is in {@link HTTP_ERRORS} (an invalid identity or grants built for
 * this request) as its 400; `undefined` for anything else, a server fault.
 */
export function requestError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (isAccessTokenError(error) && isHttpErrorCode(error.code)) return new HttpError(error.code, error.message);
  return undefined;
}

/** Whether a code is one a token endpoint answers with. */
function isHttpErrorCode(code: string): code is HttpErrorCode {
  return Object.hasOwn(HTTP_ERRORS, code);
}

/** The body size limit: 16 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The one "body too large" signal, whichever adapter met it. */
export const PAYLOAD_TOO_LARGE = new HttpError(
  'ERR_PAYLOAD_TOO_LARGE',
  `The request body is larger than ${MAX_BODY_BYTES} bytes`,
);
/** The one "body too slow" signal. */
export const REQUEST_TIMEOUT = new HttpError('ERR_REQUEST_TIMEOUT', 'The request body did not arrive in time');

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A JSON response with `no-store`, on top of the CORS headers that apply. */
export function jsonResponse(status: number, cors: Readonly<Record<string, string>>, body: string): CoreResponse {
  return { status, headers: { ...cors, ...JSON_HEADERS }, body };
}

/** `{"error":{"code","message"}}` with its status. */
export function errorResponse(error: HttpError, cors: Readonly<Record<string, string>>): CoreResponse {
  return jsonResponse(
    error.status,
    error.headers === undefined ? cors : { ...cors, ...error.headers },
    JSON.stringify({ error: { code: error.code, message: error.message } }),
  );
}

/** The fixed 500 body: nothing from the thrown error, no stack, no secret. */
export const INTERNAL_BODY = JSON.stringify({
  error: {
    code: 'ERR_INTERNAL' satisfies HttpErrorCode,
    message: 'The token could not be issued because of a server error',
  },
});

/** The 500 response. */
export function internalErrorResponse(cors: Readonly<Record<string, string>>): CoreResponse {
  return jsonResponse(500, cors, INTERNAL_BODY);
}
