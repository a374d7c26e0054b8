/**
 * A token endpoint for Express, Connect and bare `node:http`: `(req, res, next?) => void`.
 *
 * ```ts
 * import { createExpressHandler } from 'twilio-access-token/express';
 * ```
 *
 * @module twilio-access-token/express
 */
import { createCore, MAX_BODY_BYTES, parseQuery, type TokenHandlerOptions } from './core.js';
import { nodeMinterFactory } from './node-minter.js';

export {
  type CorsOptions,
  type GrantsResult,
  type TokenHandlerOptions,
  type TokenRequest,
  trustClientIdentity,
} from './core.js';

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
 * @throws {@link AccessTokenError} `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
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
  const core = createCore(options, nodeMinterFactory);
  return (req, res, next) => {
    handle(req, res).catch((error: unknown) => {
      if (next !== undefined) next(error);
      else if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(
          '{"error":{"code":"ERR_INTERNAL","message":"The token could not be issued because of a server error"}}',
        );
      }
    });
  };

  async function handle(req: NodeRequest, res: NodeResponse): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = typeof value === 'string' ? value : value.join(', ');
    }
    const url = req.url ?? '/';
    const query = parseQuery(url.includes('?') ? url.slice(url.indexOf('?')) : '');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req, headers, method);
    const response = await core(
      body === tooLarge
        ? { method, headers, query, body: undefined, bodyTooLarge: true }
        : { method, headers, query, body: body as never },
    );
    const responseHeaders = body === tooLarge ? { ...response.headers, connection: 'close' } : response.headers;
    res.writeHead(response.status, responseHeaders);
    res.end(response.body);
  }
}

const tooLarge = Symbol('too large');

async function readBody(req: NodeRequest, headers: Record<string, string>, method: string): Promise<unknown> {
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
