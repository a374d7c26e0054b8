/**
 * A token endpoint for fetch-style runtimes: `(request, context?, ctx?) => Promise<Response>`. Signs
 * with `node:crypto` where `process.getBuiltinModule` loads it (Node 20.16 or later, Bun, Deno) and
 * with WebCrypto elsewhere, the same tokens byte for byte, and imports no `node:` module, so it runs
 * on Node, Deno, Bun, Cloudflare Workers, Vercel and Netlify Edge, and as a Next.js or Hono route
 * handler.
 *
 * ```ts
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * ```
 *
 * @module twilio-access-token/fetch
 */

import { fetchMinter } from '../../platform/fetch.js';
import { webGuards } from '../../platform/web-guards.js';
import type { EnvironmentVariables } from '../../token/credentials.js';
import { parseQuery } from '../core/body.js';
import { createCore } from '../core/core.js';
import { MAX_BODY_BYTES, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT } from '../core/response.js';
import type { TokenHandlerOptions } from '../core/types.js';
import { credentialSource, type RouteParams, routeParams } from './call-arguments.js';
import { cloudflareIp } from './client-ip.js';

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
export type { RouteContext, RouteParams } from './call-arguments.js';

/**
 * `TokenRequest.platform` on fetch runtimes: the `Request`, and the handler's second and third
 * call arguments (Cloudflare Workers and Hono pass `(request, env, ctx)`). A Next.js route context
 * `{ params }` is never taken for the environment: there `env` is `undefined` and `routeParams`
 * holds its `params`.
 *
 * @typeParam Env - The Workers (or Hono `Bindings`) environment, such as
 *   `{ TWILIO_API_KEY_SECRET: string }`; by default string variables, or `undefined`.
 */
export interface FetchPlatform<Env = EnvironmentVariables | undefined> {
  /** The request itself. */
  readonly request: Request;
  /** Cloudflare Workers and Hono: the environment (secrets and variables); `undefined` under Next.js. */
  readonly env: Env;
  /** Cloudflare Workers: the execution context (`waitUntil`). */
  readonly ctx: unknown;
  /** Next.js App Router: the route's dynamic segments (`params` of its second argument); else `undefined`. */
  readonly routeParams: Promise<RouteParams> | undefined;
}

/**
 * A fetch handler that fits every caller's second argument: a Next.js route context `{ params }`
 * (so it passes as an App Router route export, `export const POST = ...`), a Workers or Hono env,
 * Deno's connection info, Bun's server, or nothing. Only an object holding Twilio variables is
 * read as an environment; a route context never is.
 *
 * @param request - The request.
 * @param context - Whatever the platform passes second (see {@link RouteContext}).
 * @param ctx - Cloudflare Workers: the execution context.
 * @returns The response.
 */
export type FetchHandler = (request: Request, context?: unknown, ctx?: unknown) => Promise<Response>;

/**
 * A fetch handler with a typed environment, from `createFetchHandler<Env>`: Cloudflare Workers'
 * `fetch(request, env, ctx)`, or Hono's `handler(c.req.raw, c.env)`.
 *
 * @typeParam Env - The environment type.
 * @param request - The request.
 * @param env - The environment, as `request.platform.env`.
 * @param ctx - Cloudflare Workers: the execution context.
 * @returns The response.
 */
export type EnvFetchHandler<Env> = (request: Request, env: Env, ctx?: unknown) => Promise<Response>;

/**
 * Creates a token endpoint for fetch-style runtimes. The body is read up to 16 KiB and within
 * `bodyTimeout`; any failure, a body stream error included, is answered as JSON.
 *
 * Without `credentials`, each request signs with the Twilio variables of the second argument when
 * it holds any (a Workers or Hono environment), else with `process.env` (Next.js `.env.local`,
 * Node, Deno, Bun); where neither exists the answer is a 500 and `onError` gets
 * `ERR_MISSING_CREDENTIALS` saying so.
 *
 * Two forms: `createFetchHandler(options)` returns a {@link FetchHandler}, which a Next.js route
 * file exports as `POST` (it passes `next build`'s route type check); `createFetchHandler<Env>(options)`
 * returns an {@link EnvFetchHandler} whose `env` reaches `request.platform.env` typed.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts, onError,
 *   and the guards `rateLimit`, `onIssued` and `onDenied`.
 * @returns `(request, context?, ctx?) => Promise<Response>`: 200 `{ token, identity, ttl, expiresAt }`,
 *   or a JSON error with 400, 401, 405, 408, 413, 429 or 500; OPTIONS preflight gets 204. `request.ip`
 *   is `CF-Connecting-IP` on Cloudflare Workers only (where `request.cf` exists), else `undefined`.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * // app/api/token/route.ts in a Next.js App Router app: credentials from .env.local.
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * import { videoGrant } from 'twilio-access-token/web';
 *
 * declare function userFromSession(cookie: string | undefined): Promise<string | null>;
 * export const POST = createFetchHandler({
 *   identify: (request) => userFromSession(request.headers.cookie),
 *   grants: videoGrant({ room: 'standup' }),
 * });
 * ```
 */
export function createFetchHandler(options: TokenHandlerOptions<FetchPlatform>): FetchHandler;
/**
 * Creates a token endpoint whose environment is typed: Cloudflare Workers' `fetch(request, env, ctx)`,
 * or Hono's `(c) => handler(c.req.raw, c.env)`. `identify`, `grants` and `credentials` see the
 * environment as `request.platform.env: Env`.
 *
 * @typeParam Env - The environment (Workers `Env`, Hono `Bindings`).
 * @param options - As in the first form.
 * @returns `(request, env, ctx?) => Promise<Response>`.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * // A Cloudflare Workers module: credentials from the Worker's secrets.
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * import { credentialsFromEnv, videoGrant } from 'twilio-access-token/web';
 *
 * type Env = { TWILIO_ACCOUNT_SID: string; TWILIO_API_KEY_SID: string; TWILIO_API_KEY_SECRET: string };
 * declare function userFromSession(cookie: string | undefined): Promise<string | null>;
 * const handler = createFetchHandler<Env>({
 *   identify: (request) => userFromSession(request.headers.cookie),
 *   grants: videoGrant({ room: 'standup' }),
 *   credentials: (request) => credentialsFromEnv(request.platform.env),
 * });
 * export default { fetch: handler };
 * ```
 */
export function createFetchHandler<Env>(options: TokenHandlerOptions<FetchPlatform<Env>>): EnvFetchHandler<Env>;
export function createFetchHandler<Env>(
  options: TokenHandlerOptions<FetchPlatform<Env>>,
): (request: Request, second?: unknown, ctx?: unknown) => Promise<Response> {
  const core = createCore(options, fetchMinter, webGuards);
  return async (request, second, ctx) => {
    let headers: Record<string, string> = {};
    let response: ReturnType<typeof core.fault>;
    try {
      headers = headerRecord(request.headers);
      const method = request.method.toUpperCase();
      const body = await readBody(request, method, core.bodyTimeout);
      response = await core.handle({
        method,
        headers,
        query: queryOf(request.url),
        body,
        ...platformOf(request, second, ctx),
        ip: cloudflareIp(request, headers),
      });
    } catch (error) {
      // A client that aborted (the runtime aborts `request.signal`) is not a server fault.
      response = request.signal?.aborted === true ? core.gone(headers) : core.fault(error, headers);
    }
    // A refused body (413, 408) asks the server to close: where a runtime forwards the header (Node
    // servers built on Request/Response, Bun), a keep-alive client does not reuse the connection.
    const closing = response.status === 413 || response.status === 408;
    return new Response(response.status === 204 ? null : response.body, {
      status: response.status,
      headers: closing ? { ...response.headers, connection: 'close' } : response.headers,
    });
  };
}

/**
 * The request's headers as a record. A `Headers` object already gives lower-case names with
 * repeated values joined (set-cookie aside, the last wins), so no normalising pass is needed; a
 * header named `__proto__` is defined as an own property, not the prototype.
 */
function headerRecord(source: Headers): Record<string, string> {
  const headers: Record<string, string> = {};
  source.forEach((value, name) => {
    if (name === '__proto__')
      Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
    else headers[name] = value;
  });
  return headers;
}

/** The query of a Request's (absolute, serialised) URL, without parsing the rest of it. */
function queryOf(url: string): Readonly<Record<string, string>> {
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const q = url.indexOf('?');
  return q === -1 || q > end ? NO_QUERY : parseQuery(url.slice(q, end));
}
const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

/** The hooks' `platform`, and where default credentials come from, by what the second argument is. */
function platformOf(request: Request, second: unknown, ctx: unknown) {
  const params = routeParams(second);
  const env = params === false ? second : undefined;
  const platform: FetchPlatform<unknown> = { request, env, ctx, routeParams: params === false ? undefined : params };
  return { platform, env: credentialSource(env) };
}

/** The body as bytes, or the 413/408 signal as soon as it is known (reading stops there). */
async function readBody(request: Request, method: string, timeout: number): Promise<Uint8Array | Error> {
  if (request.body === null || method === 'GET' || method === 'HEAD') return new Uint8Array(0);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return PAYLOAD_TOO_LARGE;
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeout);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'timeout') {
        reader.cancel().catch(() => {});
        return REQUEST_TIMEOUT;
      }
      if (next.done) break;
      size += next.value.length;
      if (size > MAX_BODY_BYTES) {
        reader.cancel().catch(() => {});
        return PAYLOAD_TOO_LARGE;
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
