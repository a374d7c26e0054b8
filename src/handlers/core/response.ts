import { isAccessTokenError } from '../../base/errors.js';
import type { CoreResponse } from './types.js';

// Every response a token endpoint sends is built here: one shape per kind, used by every adapter.

/**
 * Every code a token endpoint's JSON error body (`{"error":{"code","message"}}`) can carry, with
 * its one HTTP status. The 400s with an `ERR_INVALID_*`/`ERR_NO_GRANTS`/`ERR_DUPLICATE_GRANT` code
 * are the `AccessTokenError` of that code, thrown for this request's identity or grants.
 *
 * @example
 * ```ts
 * import { HTTP_ERRORS, type HttpErrorCode } from 'twilio-access-token/fetch';
 *
 * const response = await fetch('/token', { method: 'POST' });
 * if (!response.ok) {
 *   const { error } = (await response.json()) as { error: { code: HttpErrorCode } };
 *   console.log(HTTP_ERRORS[error.code] === response.status); // true
 * }
 * ```
 */
export const HTTP_ERRORS = {
  /** Malformed JSON or form body, or one nested deeper than 64 levels. */
  ERR_BAD_REQUEST: 400,
  /** The identity `identify` returned is not a valid identity. */
  ERR_INVALID_IDENTITY: 400,
  /** A grant built for this request is not valid. */
  ERR_INVALID_GRANT: 400,
  /** The `grants` function returned no grant. */
  ERR_NO_GRANTS: 400,
  /** The `grants` function returned two grants for one product. */
  ERR_DUPLICATE_GRANT: 400,
  /** `identify` returned `null`, `undefined`, `false` or `''`. */
  ERR_UNAUTHORIZED: 401,
  /** A method other than GET, POST and OPTIONS. */
  ERR_METHOD_NOT_ALLOWED: 405,
  /** The body did not arrive within `bodyTimeout`. */
  ERR_REQUEST_TIMEOUT: 408,
  /** A body over 16 KiB. */
  ERR_PAYLOAD_TOO_LARGE: 413,
  /** A server fault; its cause goes to `onError`, never to the client. */
  ERR_INTERNAL: 500,
} as const;

/** Every code a token endpoint's JSON error body can carry: the keys of {@link HTTP_ERRORS}. */
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** A failure answered with its own status and code (400, 401, 405, 408, 413), not a 500. */
export class HttpError extends Error {
  /** The HTTP status: always `HTTP_ERRORS[code]`. */
  readonly status: number;

  /**
   * @param code - The stable code in the JSON body, such as `ERR_BAD_REQUEST`; it decides the status.
   * @param message - Safe to show the client.
   */
  constructor(
    readonly code: HttpErrorCode,
    message: string,
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
  if (isAccessTokenError(error) && Object.hasOwn(HTTP_ERRORS, error.code))
    return new HttpError(error.code as HttpErrorCode, error.message);
  return undefined;
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
  return jsonResponse(error.status, cors, JSON.stringify({ error: { code: error.code, message: error.message } }));
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
