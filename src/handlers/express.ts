/**
 * A token endpoint for Express, Connect and bare `node:http`: `(req, res, next?) => void`.
 *
 * ```ts
 * import { createExpressHandler } from 'twilio-access-token/express';
 * ```
 *
 * @module twilio-access-token/express
 */
import { createDetailedMinter } from '../node-functions.js';
import { parseQuery } from './body.js';
import { createCore, type TokenEndpoint } from './core.js';
import { MAX_BODY_BYTES, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT } from './response.js';
import { isPromise } from './steps.js';
import type { CoreResponse, RawRequest, TokenHandlerOptions } from './types.js';

export type { CorsOptions } from './cors.js';
export { trustClientIdentity } from './trust-client-identity.js';
export type { GrantsResult, TokenHandlerOptions, TokenRequest } from './types.js';

/** The parts of a `node:http` IncomingMessage (or an Express request) the handler reads. */
export interface NodeRequest {
  /** The method. */
  method?: string | undefined;
  /** The URL path and query. */
  url?: string | undefined;
  /** Headers with lower-case names, as Node gives them. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** A body an Express body parser already read, if any. */
  body?: unknown;
  /** Whether the body stream was read to its end already. */
  readableEnded?: boolean;
  /** Listens for the body's `data`, `end`, `error` and `aborted` events. */
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** Stops listening. */
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  /** Stops reading. */
  pause(): unknown;
  /** Reads on (to discard what is left while the connection closes). */
  resume(): unknown;
  /** The connection, half-closed before a refused body's connection is closed. */
  socket?: NodeSocket | null;
  /** Closes the connection. */
  destroy(): unknown;
}

/** The part of a request's socket the handler uses. */
export interface NodeSocket {
  /** Half-closes the connection: the answer goes out, nothing more is written. */
  end(): unknown;
}

/** The parts of a `node:http` ServerResponse (or an Express response) the handler writes. */
export interface NodeResponse {
  /** Whether headers went out already. */
  readonly headersSent: boolean;
  /** Writes status and headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Writes the body and ends; `done` runs once it is flushed. */
  end(body: string, done?: () => void): unknown;
}

/** What the app's middleware may have set on a request; read as `unknown` and narrowed by the app. */
export interface RequestExtras {
  /** Set by passport and most auth middleware. */
  readonly user?: unknown;
  /** Set by express-session. */
  readonly session?: unknown;
  /** Anything else a middleware set. */
  readonly [key: string]: unknown;
}

/** `TokenRequest.platform` on this adapter: the request and response objects themselves. */
export interface ExpressPlatform<Req extends NodeRequest = NodeRequest, Res extends NodeResponse = NodeResponse> {
  /** The request: `req.user`, `req.session` and whatever the app's middleware set. */
  readonly req: Req & RequestExtras;
  /** The response: `res.locals`. */
  readonly res: Res;
}

/**
 * Creates a token endpoint usable as Express/Connect middleware (`app.post('/token', handler)` or
 * `app.all(...)`) and as a bare `node:http` request listener (`http.createServer(handler)`). Reads the
 * body itself (16 KiB at most, within `bodyTimeout`), or uses `req.body` when a body parser already
 * did. `identify` reads the app's own auth from `request.platform.req`.
 *
 * @typeParam Req - The request type, such as Express's `Request`, so `platform.req.user` is typed.
 * @typeParam Res - The response type.
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts and onError.
 * @returns `(req, res, next?) => void`; it always answers, and calls `next(error)` only if the
 *   response could not be written.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createExpressHandler } from 'twilio-access-token/express';
 * import { videoGrant } from 'twilio-access-token';
 *
 * const app = express();
 * // Behind the app's own login middleware, which sets req.user.
 * app.post('/token', createExpressHandler<express.Request & { user?: { id: string } }>({
 *   identify: ({ platform }) => platform.req.user?.id,
 *   grants: videoGrant({ room: 'standup' }),
 * }));
 * ```
 */
export function createExpressHandler<Req extends NodeRequest = NodeRequest, Res extends NodeResponse = NodeResponse>(
  options: TokenHandlerOptions<ExpressPlatform<Req, Res>>,
): (req: Req, res: Res, next?: (error?: unknown) => void) => void {
  const core = createCore(options, createDetailedMinter);
  return (req, res, next) => {
    try {
      const headers = stringHeaders(req.headers);
      const method = (req.method ?? 'GET').toUpperCase();
      const body = readBody(req, headers, method, core);
      // Without a body to stream in (GET, or a parser already read it) this all runs synchronously,
      // with no closure made per request.
      if (isPromise(body)) {
        body.then(
          (b) => handle(core, req, res, next, headers, method, b),
          (error: unknown) => respond(core, req, res, next, core.fault(error, headers), false),
        );
      } else handle(core, req, res, next, headers, method, body);
    } catch (error) {
      respond(core, req, res, next, core.fault(error, stringHeaders(req.headers)), false);
    }
  };
}

type Next = ((error?: unknown) => void) | undefined;

function handle(
  core: TokenEndpoint,
  req: NodeRequest,
  res: NodeResponse,
  next: Next,
  headers: Readonly<Record<string, string>>,
  method: string,
  body: unknown,
): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const response = core.handle({
    method,
    headers,
    query: q === -1 ? NO_QUERY : parseQuery(url.slice(q)),
    body: body as RawRequest['body'],
    platform: { req, res },
  });
  // A body refused while it was still arriving: answer at once, then close the connection.
  const close = body === PAYLOAD_TOO_LARGE || body === REQUEST_TIMEOUT;
  if (isPromise(response)) {
    response.then(
      (r) => respond(core, req, res, next, r, close),
      (error: unknown) => respond(core, req, res, next, core.fault(error, headers), false),
    );
  } else respond(core, req, res, next, response, close);
}

function respond(
  core: TokenEndpoint,
  req: NodeRequest,
  res: NodeResponse,
  next: Next,
  response: CoreResponse,
  close: boolean,
): void {
  try {
    if (!res.headersSent) write(req, res, response, close);
  } catch (error) {
    // Writing failed: Express gets the error; a bare listener tries the JSON 500 once.
    if (next !== undefined) next(error);
    else if (!res.headersSent) {
      try {
        write(req, res, core.fault(error, stringHeaders(req.headers)), false);
      } catch {
        // The socket is gone; nothing more can be said to this client.
      }
    }
  }
}

function write(req: NodeRequest, res: NodeResponse, response: CoreResponse, close: boolean): void {
  const { headers } = response;
  // An explicit length spares Node chunked encoding, so head and body go out in one write.
  headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, headers);
  res.end(response.body, close ? () => lingerThenClose(req) : undefined);
}

// A body refused while it still arrives (413, 408) ends the connection. Closing a socket with
// unread input makes the kernel reset it, discarding the answer before the client reads it, so
// the close lingers as nginx's does: half-close, then discard at most LINGER_BYTES for at most
// LINGER_MS, then destroy. (That is also why no `Connection: close` is sent: Node would destroy
// the socket the moment the answer is written.)
const LINGER_MS = 500;
const LINGER_BYTES = 256 * 1024;
function lingerThenClose(req: NodeRequest): void {
  req.socket?.end();
  let discarded = 0;
  const stop = () => {
    clearTimeout(timer);
    req.destroy();
  };
  const timer = setTimeout(stop, LINGER_MS);
  (timer as { unref?: () => void }).unref?.();
  req.on('data', (chunk: { length: number }) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) stop();
  });
  req.on('end', stop);
  req.resume();
}

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

// Node already lower-cases names and joins repeated headers, except a few kept as arrays
// (set-cookie): the object is used as it is unless one of those is present.
function stringHeaders(headers: NodeRequest['headers']): Readonly<Record<string, string>> {
  for (const name in headers) {
    if (typeof headers[name] !== 'string') {
      const copy: Record<string, string> = {};
      for (const [key, value] of Object.entries(headers)) {
        if (value !== undefined) copy[key] = typeof value === 'string' ? value : value.join(', ');
      }
      return copy;
    }
  }
  return headers as Readonly<Record<string, string>>;
}

function readBody(req: NodeRequest, headers: Record<string, string>, method: string, core: TokenEndpoint): unknown {
  // A body parser ran (Express): use what it parsed, unless it left an empty object and the
  // stream unread (a parser for another content type).
  if (req.body !== undefined && req.body !== null && (req.readableEnded === true || !isEmptyObject(req.body))) {
    return Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : req.body;
  }
  if (method !== 'POST' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined))
    return undefined;
  if (Number(headers['content-length'] ?? 0) > MAX_BODY_BYTES) return PAYLOAD_TOO_LARGE;
  return readStream(req, core.bodyTimeout);
}

/** Reads the body; settles with the bytes, or with the 413/408 signal as soon as it is known. */
function readStream(req: NodeRequest, timeout: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: unknown, failed = false) => {
      clearTimeout(timer);
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      if (outcome === PAYLOAD_TOO_LARGE || outcome === REQUEST_TIMEOUT) req.pause();
      if (failed) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) finish(PAYLOAD_TOO_LARGE);
      else chunks.push(buffer);
    };
    const onEnd = () => finish(new Uint8Array(Buffer.concat(chunks)));
    const onError = (error: unknown) => finish(error, true);
    const timer = setTimeout(() => finish(REQUEST_TIMEOUT), timeout);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.keys(value).length === 0;
}
