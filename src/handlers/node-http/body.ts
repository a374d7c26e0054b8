import { platformProperty } from '../../base/inherited.js';
import { normalizeHeaders } from '../core/headers.js';
import { MAX_BODY_BYTES, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT } from '../core/response.js';

// Reading a node:http request body: at most 16 KiB on any method, within a deadline; a client
// that leaves mid-body told apart from a stream fault; and the lingering close after a refused body.

/** The parts of a `node:http` IncomingMessage (or an Express request) the handler reads. */
export interface NodeRequest {
  /** The method. */
  method?: string | undefined;
  /** The URL path and query. */
  url?: string | undefined;
  /** Headers with lower-case names, as Node gives them. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Express: the client's address, as the app's `trust proxy` setting decides it. */
  readonly ip?: string | undefined;
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
  /** The peer's address: `TokenRequest.ip` on a bare node:http server. */
  readonly remoteAddress?: string | undefined;
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

/** One request as the node:http adapter carries it, from reading its body to answering it. */
export interface NodeExchange {
  /** The request. */
  readonly req: NodeRequest;
  /** Its headers, normalised. */
  readonly headers: Readonly<Record<string, string>>;
  /** Its method, upper-case. */
  readonly method: string;
}

/** The peer's address: Express's `req.ip` (its `trust proxy` setting applied), else the socket's. */
export function peerAddress(req: NodeRequest): string | undefined {
  // Express's getter (trust proxy applied), not an `ip` a polluted Object.prototype supplies.
  const ip = platformProperty(req, 'ip');
  if (typeof ip === 'string') return ip;
  const address = req.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}

/** What reading settles with when the client left mid-body: nobody to answer, nothing to report. */
export const CLIENT_GONE = Symbol('client gone');

/**
 * Headers as strings. Node already lower-cases names and joins repeated headers, except a few kept
 * as arrays (set-cookie): the object is used as it is unless one of those is present.
 */
export function stringHeaders(headers: NodeRequest['headers']): Readonly<Record<string, string>> {
  for (const name in headers) {
    if (typeof headers[name] !== 'string') {
      return normalizeHeaders(headers);
    }
  }
  return headers as Readonly<Record<string, string>>;
}

/**
 * The body: what an Express parser already read, the bytes of a POST, `undefined` for none (or
 * another method's body, read to the limit and dropped), or a signal: {@link PAYLOAD_TOO_LARGE},
 * {@link REQUEST_TIMEOUT}, {@link CLIENT_GONE}. A promise when the body must be streamed in.
 */
export function readBody({ req, headers, method }: NodeExchange, timeout: number): unknown {
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
  const read = readStream(req, timeout);
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
      (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ECONNRESET') ||
      req.socket?.destroyed === true
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

// Closing a socket with unread input makes the kernel reset it, and a client still sending its
// body then meets the reset instead of reading the answer. So the close lingers, as nginx's does:
// the rest of the body is discarded (at most LINGER_BYTES), and node:http's close of a
// `Connection: close` answer (`socket.destroySoon()`: end, then destroy once written) is replaced,
// on that one socket, by a half-close that destroys the socket when the body ends, when
// LINGER_BYTES were discarded, or after LINGER_MS.
const LINGER_MS = 500;
const LINGER_BYTES = 256 * 1024;
/** Makes node:http's close of this request's `Connection: close` answer a lingering one. */
export function lingerOnClose(req: NodeRequest): void {
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
