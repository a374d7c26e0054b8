/**
 * A token endpoint for fetch-style runtimes: `(request: Request) => Promise<Response>`. Signs with
 * WebCrypto (through `twilio-access-token/web`), so it runs on Node, Deno, Bun, Cloudflare Workers,
 * Vercel and Netlify Edge, and as a Next.js or Hono route handler.
 *
 * ```ts
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * ```
 *
 * @module twilio-access-token/fetch
 */
import { createDetailedMinter } from '../create-access-token-web.js';
import { MAX_BODY_BYTES, parseQuery } from './body.js';
import { createCore, type TokenHandlerOptions } from './core.js';

export * from './public.js';

/**
 * Creates a token endpoint for fetch-style runtimes.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors and onError.
 * @returns `(request) => Promise<Response>`: 200 `{ token, identity, ttl, expiresAt }`, or a JSON
 *   error with 400, 401, 405, 413 or 500; OPTIONS preflight gets 204.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * // app/api/token/route.ts (Next.js); the same function works as a Hono, Bun or Deno handler.
 * import { createFetchHandler } from 'twilio-access-token/fetch';
 * import { videoGrant } from 'twilio-access-token/web';
 *
 * declare function sessionUser(request: { headers: Readonly<Record<string, string>> }): Promise<string | null>;
 * const handler = createFetchHandler({ identify: (request) => sessionUser(request), grants: videoGrant() });
 * export { handler as GET, handler as POST, handler as OPTIONS };
 * ```
 */
export function createFetchHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const core = createCore(options, createDetailedMinter);
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const base = { method: request.method.toUpperCase(), headers, query: parseQuery(url.search) };
    const body = await readBody(request);
    const response = await core(
      body === undefined ? { ...base, body: undefined, bodyTooLarge: true } : { ...base, body },
    );
    return new Response(response.status === 204 ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** The body as bytes, or `undefined` when it is over the limit (reading stops there). */
async function readBody(request: Request): Promise<Uint8Array | undefined> {
  if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return new Uint8Array(0);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
