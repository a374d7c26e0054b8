/**
 * A token endpoint for Express, Connect and bare `node:http`: `(req, res, next?) => void`.
 *
 * ```ts
 * import { createExpressHandler } from 'twilio-access-token/express';
 * ```
 *
 * @module twilio-access-token/express
 */
import { createDetailedMinter } from '../create-access-token.js';
import { MAX_BODY_BYTES, parseQuery } from './body.js';
import { type CoreResponse, createCore, isPromise, type RawRequest, type TokenHandlerOptions } from './core.js';

export * from './public.js';

/** The parts of a `node:http` IncomingMessage (or an Express request) the handler reads. */
export interface NodeRequest extends AsyncIterable<unknown> {
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
  /** Stops reading (Node's `IncomingMessage#resume`). */
  resume(): unknown;
}

/** The parts of a `node:http` ServerResponse (or an Express response) the handler writes. */
export interface NodeResponse {
  /** Whether headers went out already. */
  readonly headersSent: boolean;
  /** Writes status and headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Writes the body and ends. */
  end(body?: string): unknown;
}

/**
 * Creates a token endpoint usable as Express/Connect middleware (`app.post('/token', handler)` or
 * `app.all(...)`) and as a bare `node:http` request listener (`http.createServer(handler)`). Reads the
 * body itself, or uses `req.body` when a body parser already did.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors and onError.
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
 * app.all('/token', createExpressHandler({
 *   identify: (request) => (request.headers.authorization === 'Bearer demo' ? 'alice' : null),
 *   grants: videoGrant(),
 * }));
 * ```
 */
export function createExpressHandler(
  options: TokenHandlerOptions,
): (req: NodeRequest, res: NodeResponse, next?: (error?: unknown) => void) => void {
  const core = createCore(options, createDetailedMinter);
  return (req, res, next) => {
    const fail = (error: unknown) => {
      if (next !== undefined) next(error);
      else if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(
          '{"error":{"code":"ERR_INTERNAL","message":"The token could not be issued because of a server error"}}',
        );
      }
    };
    try {
      const headers = stringHeaders(req.headers);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const base = {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        query: q === -1 ? NO_QUERY : parseQuery(url.slice(q)),
      };
      const body = readBody(req, headers, base.method);
      // Without a body to stream in (GET, or a parser already read it) this all runs synchronously.
      if (isPromise(body)) body.then((b) => respond(res, base, b), fail).then(undefined, fail);
      else respond(res, base, body).then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  };

  function respond(res: NodeResponse, base: Omit<RawRequest, 'body'>, body: unknown): PromiseLike<void> {
    const over = body === tooLarge;
    const raw: RawRequest = over
      ? { method: base.method, headers: base.headers, query: base.query, body: undefined, bodyTooLarge: true }
      : { method: base.method, headers: base.headers, query: base.query, body: body as RawRequest['body'] };
    const response = core(raw);
    if (isPromise(response)) return response.then((r) => write(res, r, over));
    write(res, response, over);
    return DONE;
  }
}

function write(res: NodeResponse, response: CoreResponse, close: boolean): void {
  const { headers } = response;
  if (close) headers.connection = 'close';
  // An explicit length spares Node chunked encoding, so head and body go out in one write.
  headers['content-length'] = String(Buffer.byteLength(response.body));
  res.writeHead(response.status, headers);
  res.end(response.body);
}

const DONE: PromiseLike<void> = Promise.resolve();
const tooLarge = Symbol('too large');
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

function readBody(req: NodeRequest, headers: Record<string, string>, method: string): unknown {
  // A body parser ran (Express): use what it parsed, unless it left an empty object and the
  // stream unread (a parser for another content type).
  if (req.body !== undefined && req.body !== null && (req.readableEnded === true || !isEmptyObject(req.body))) {
    return Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : req.body;
  }
  if (method !== 'POST' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined))
    return undefined;
  if (Number(headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.resume();
    return tooLarge;
  }
  return readStream(req);
}

async function readStream(req: NodeRequest): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    // Past the limit, read on to the end without keeping anything, so the client sees the 413.
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return size > MAX_BODY_BYTES ? tooLarge : new Uint8Array(Buffer.concat(chunks));
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.keys(value).length === 0;
}
