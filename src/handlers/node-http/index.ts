/**
 * A token endpoint for Express, Connect and bare `node:http`: `(req, res, next?) => void`.
 *
 * ```ts
 * import { createExpressHandler } from 'twilio-access-token/express';
 * ```
 *
 * @module twilio-access-token/express
 */

import { isThenable } from '../../base/thenable.js';
import { nodeGuards } from '../../platform/node-guards.js';
import { nodeMinter } from '../../platform/node-minter.js';
import { parseQuery } from '../core/body.js';
import { createCore, type TokenEndpoint } from '../core/core.js';
import { PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT } from '../core/response.js';
import type { CoreResponse, RawRequest, TokenHandlerOptions } from '../core/types.js';
import {
  CLIENT_GONE,
  lingerOnClose,
  type NodeExchange,
  type NodeRequest,
  peerAddress,
  readBody,
  stringHeaders,
} from './body.js';

export * from '../core/endpoint-helpers.js';
export type {
  DeniedEvent,
  GrantsResult,
  IssuedEvent,
  RateLimitSubject,
  RateLimitVerdict,
  TokenHandlerOptions,
  TokenRequest,
} from '../core/types.js';
export type { NodeRequest, NodeSocket } from './body.js';
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
 * did. `identify` reads the app's own auth from `request.platform.req`. `request.ip` is Express's
 * `req.ip` (its `trust proxy` setting applied), else the socket's address. Each token issued and
 * each refusal is published on the `node:diagnostics_channel` channels `twilio-access-token:issued`
 * and `twilio-access-token:denied` while someone subscribes.
 *
 * @typeParam Req - The request type, such as Express's `Request`, so `platform.req.user` is typed.
 * @typeParam Res - The response type.
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts, onError,
 *   and the guards `rateLimit`, `onIssued` and `onDenied`.
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
  const core = createCore(options, nodeMinter, nodeGuards);
  return (req, res, next) => {
    try {
      const x: Exchange = {
        core,
        req,
        res,
        next,
        headers: stringHeaders(req.headers),
        method: (req.method ?? 'GET').toUpperCase(),
      };
      const body = readBody(x, core.bodyTimeout);
      // Without a body to stream in (GET, or a parser already read it) this all runs synchronously.
      if (isThenable(body)) {
        body.then(
          (b) => handle(x, b),
          (error: unknown) => respond(x, core.fault(error, x.headers)),
        );
      } else handle(x, body);
    } catch (error) {
      const headers = stringHeaders(req.headers);
      respond({ core, req, res, next, headers, method: '' }, core.fault(error, headers));
    }
  };
}

/** One request in flight: what was read, the endpoint that answers it, and where the answer goes. */
interface Exchange extends NodeExchange {
  readonly core: TokenEndpoint;
  readonly res: NodeResponse;
  /** Express's `next`; `undefined` for a bare node:http listener. */
  readonly next: ((error?: unknown) => void) | undefined;
}

function handle(x: Exchange, body: unknown): void {
  // The client left before its body arrived: nobody to answer, and not a server fault.
  if (body === CLIENT_GONE) return;
  // A body refused while it was still arriving, on any method: answer at once, then close.
  if (body === PAYLOAD_TOO_LARGE || body === REQUEST_TIMEOUT) {
    respond(x, x.core.fault(body, x.headers, peerAddress(x.req)), true);
    return;
  }
  const url = x.req.url ?? '/';
  const q = url.indexOf('?');
  const response = x.core.handle({
    method: x.method,
    headers: x.headers,
    query: q === -1 ? NO_QUERY : parseQuery(url.slice(q)),
    body: body as RawRequest['body'],
    platform: { req: x.req, res: x.res },
    ip: peerAddress(x.req),
  });
  if (isThenable(response)) {
    response.then(
      (r) => respond(x, r),
      (error: unknown) => respond(x, x.core.fault(error, x.headers)),
    );
  } else respond(x, response);
}

/** Writes the answer; `close` after a refused body (413, 408). */
function respond(x: Exchange, response: CoreResponse, close = false): void {
  const { req, res } = x;
  // A client that left while the answer was being made gets none (writing would only fail).
  if (req.socket?.destroyed === true) return;
  try {
    if (!res.headersSent) write(x, response, close);
  } catch (error) {
    // Writing failed: Express gets the error; a bare listener tries the JSON 500 once.
    if (x.next !== undefined) x.next(error);
    else if (!res.headersSent) {
      try {
        write(x, x.core.fault(error, x.headers), false);
      } catch {
        // The socket is gone; nothing more can be said to this client.
      }
    }
  }
}

function write({ req, res }: Pick<Exchange, 'req' | 'res'>, response: CoreResponse, close: boolean): void {
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
const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});
