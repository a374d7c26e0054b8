// The peer's address on fetch runtimes. Only Cloudflare Workers vouch for one in the request
// itself: their edge sets `CF-Connecting-IP` and overwrites whatever a client sent. Elsewhere
// (Deno, Bun, Node servers, Vercel, Netlify) that header is just another header a client can set,
// so it is read only on a request that carries Cloudflare's `cf` object.

import { platformProperty } from '../../base/inherited.js';

/**
 * `CF-Connecting-IP` when the request came through Cloudflare's edge (`request.cf` is an object);
 * `undefined` on every other runtime.
 */
export function cloudflareIp(request: Request, headers: Readonly<Record<string, string>>): string | undefined {
  // Not a `cf` a polluted Object.prototype supplies: that would make a client's header trusted.
  const cf = platformProperty(request, 'cf');
  if (typeof cf !== 'object' || cf === null) return undefined;
  const ip = Object.hasOwn(headers, 'cf-connecting-ip') ? headers['cf-connecting-ip'] : undefined;
  return typeof ip === 'string' && ip !== '' ? ip : undefined;
}
