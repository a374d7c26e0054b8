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
  /** Whether the connection is gone: a client that left before the answer. */
  readonly destroyed?: boolean;
  /** Half-closes the connection: the answer goes out, nothing more is written. */
  end(): unknown;
  /** Closes the connection at once. */
  destroy?(): unknown;
  /** Whether everything written went out; a lingering close waits for it before destroying. */
  readonly writableFinished?: boolean;
  /** Listens once (for `finish`). */
  once?(event: 'finish', listener: () => void): unknown;
  /**
   * What node:http calls once a `Connection: close` answer is written. After a refused body the
   * handler replaces it on that socket with a lingering close (see the adapter's notes).
   */
  destroySoon?: (() => unknown) | undefined;
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
          (error: unknown) => respond(core, req, res, next, core.fault(error, headers)),
        );
      } else handle(core, req, res, next, headers, method, body);
    } catch (error) {
      respond(core, req, res, next, core.fault(error, stringHeaders(req.headers)));
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
  // The client left before its body arrived: nobody to answer, and not a server fault.
  if (body === CLIENT_GONE) return;
  // A body refused while it was still arriving, on any method: answer at once, then close.
  if (body === PAYLOAD_TOO_LARGE || body === REQUEST_TIMEOUT) {
    respond(core, req, res, next, core.fault(body, headers), true);
    return;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const response = core.handle({
    method,
    headers,
    query: q === -1 ? NO_QUERY : parseQuery(url.slice(q)),
    body: body as RawRequest['body'],
    platform: { req, res },
  });
  if (isPromise(response)) {
    response.then(
      (r) => respond(core, req, res, next, r),
      (error: unknown) => respond(core, req, res, next, core.fault(error, headers)),
    );
  } else respond(core, req, res, next, response);
}

function respond(
  core: TokenEndpoint,
  req: NodeRequest,
  res: NodeResponse,
  next: Next,
  response: CoreResponse,
  close = false,
): void {
  // A client that left while the answer was being made gets none (writing would only fail).
  if (req.socket?.destroyed === true) return;
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
  if (close) {
    // A refused body (413, 408): the client must not send another request on this connection.
    headers.connection = 'close';
    lingerOnClose(req);
  }
  res.writeHead(response.status, headers);
  res.end(response.body);
}

// Closing a socket with unread input makes the kernel reset it, and a client still sending its
// body then meets the reset instead of reading the answer. So the close lingers, as nginx's does:
// the rest of the body is discarded (at most LINGER_BYTES), and node:http's close of a
// `Connection: close` answer (`socket.destroySoon()`: end, then destroy once written) is replaced,
// on that one socket, by a half-close that destroys the socket when the body ends, when
// LINGER_BYTES were discarded, or after LINGER_MS.
const LINGER_MS = 500;
const LINGER_BYTES = 256 * 1024;
function lingerOnClose(req: NodeRequest): void {
  const socket = req.socket;
  if (socket === null || socket === undefined || typeof socket.destroySoon !== 'function') return;
  let discarded = 0;
  let closing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const destroy = () => {
    clearTimeout(timer);
    if (typeof socket.destroy === 'function') socket.destroy();
    else req.destroy();
  };
  // Enough was read: stop reading, and close once the answer is out.
  const done = () => {
    req.pause();
    if (closing) {
      if (socket.writableFinished === false && typeof socket.once === 'function') socket.once('finish', destroy);
      else destroy();
    }
  };
  // Read (and drop) the body from now on; unread, node:http would drop it in its parser, uncounted.
  req.on('data', (chunk: { length: number }) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) done();
  });
  req.on('end', done);
  req.resume();
  socket.destroySoon = () => {
    closing = true;
    socket.end();
    timer = setTimeout(destroy, LINGER_MS);
    (timer as { unref?: () => void }).unref?.();
    if (discarded > LINGER_BYTES || req.readableEnded === true) done();
  };
}

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});
/** What reading settles with when the client left mid-body. */
const CLIENT_GONE = Symbol('client gone');

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
  if (req.readableEnded === true) return undefined;
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return undefined;
  // A body on any method is read at most to the limit: unread, a keep-alive connection would
  // make node:http read (and discard) all of it before the next request.
  if (Number(headers['content-length'] ?? 0) > MAX_BODY_BYTES) return PAYLOAD_TOO_LARGE;
  const read = readStream(req, core.bodyTimeout);
  // Only a POST body means anything; another method's is read (to the limit) and dropped.
  return method === 'POST' ? read : read.then((b) => (b instanceof Uint8Array ? undefined : b));
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
    // A client that goes away mid-body (Node: 'aborted', then ECONNRESET) is not a server fault.
    const onError = (error: unknown) =>
      (error as { code?: unknown } | null)?.code === 'ECONNRESET' || req.socket?.destroyed === true
        ? finish(CLIENT_GONE)
        : finish(error, true);
    const timer = setTimeout(() => finish(REQUEST_TIMEOUT), timeout);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.keys(value).length === 0;
}
