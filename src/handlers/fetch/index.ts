/**
 * A token endpoint for fetch-style runtimes: `(request, env?, ctx?) => Promise<Response>`. Signs
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

import { createFetchMinter } from '../../bindings/fetch.js';
import { webGuards } from '../../bindings/web-guards.js';
import type { EnvironmentVariables } from '../../token/credentials.js';
import { parseQuery } from '../core/body.js';
import { createCore } from '../core/core.js';
import { MAX_BODY_BYTES, PAYLOAD_TOO_LARGE, REQUEST_TIMEOUT } from '../core/response.js';
import type { TokenHandlerOptions } from '../core/types.js';
import { cloudflareIp } from './client-ip.js';

export type { CorsOptions } from '../core/cors.js';
export { HTTP_ERRORS, type HttpErrorCode } from '../core/response.js';
export { trustClientIdentity } from '../core/trust-client-identity.js';
export type {
  DeniedEvent,
  GrantsResult,
  IssuedEvent,
  RateLimitSubject,
  RateLimitVerdict,
  TokenHandlerOptions,
  TokenRequest,
} from '../core/types.js';

/**
 * `TokenRequest.platform` on fetch runtimes: the `Request`, and the handler's second and third
 * call arguments (Cloudflare Workers call `fetch(request, env, ctx)`; elsewhere they are `undefined`).
 *
 * @typeParam Env - The Workers environment bindings, such as `{ TWILIO_API_KEY_SECRET: string }`;
 *   by default string variables, or `undefined` where the runtime passes none.
 */
export interface FetchPlatform<Env = EnvironmentVariables | undefined> {
  /** The request itself. */
  readonly request: Request;
  /** Cloudflare Workers: the environment bindings (secrets and variables). */
  readonly env: Env;
  /** Cloudflare Workers: the execution context (`waitUntil`). */
  readonly ctx: unknown;
}

/**
 * Creates a token endpoint for fetch-style runtimes. The body is read up to 16 KiB and within
 * `bodyTimeout`; any failure, a body stream error included, is answered as JSON.
 *
 * @typeParam Env - The Workers environment bindings, typed in `request.platform.env`.
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts, onError,
 *   and the guards `rateLimit`, `onIssued` and `onDenied`.
 * @returns `(request, env?, ctx?) => Promise<Response>`: 200 `{ token, identity, ttl, expiresAt }`,
 *   or a JSON error with 400, 401, 405, 408, 413, 429 or 500; OPTIONS preflight gets 204. `request.ip`
 *   is `CF-Connecting-IP` on Cloudflare Workers only (where `request.cf` exists), else `undefined`.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * // A Cloudflare Workers module: credentials from the Worker's secrets.
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * import { credentialsFromEnv, videoGrant } from 'twilio-access-token/web';
 *
 * declare function userFromSession(cookie: string | undefined): Promise<string | null>;
 * const handler = createFetchHandler({
 *   identify: (request) => userFromSession(request.headers.cookie),
 *   grants: videoGrant({ room: 'standup' }),
 *   credentials: (request) => credentialsFromEnv(request.platform.env),
 * });
 * export default { fetch: handler };
 * ```
 */
export function createFetchHandler<Env = EnvironmentVariables | undefined>(
  options: TokenHandlerOptions<FetchPlatform<Env>>,
): (request: Request, env?: Env, ctx?: unknown) => Promise<Response> {
  const core = createCore(options, createFetchMinter, webGuards);
  return async (request, env, ctx) => {
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
        platform: { request, env, ctx },
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
