// What every handler subpath exports beside its handler, in one list: the helpers an endpoint's
// options use (per-IP limit keys, push credentials per platform, a client-named identity) and the
// HTTP error vocabulary. Each adapter's index re-exports this file, so the four never drift apart.
export type { CorsOptions } from './cors.js';
export { ipSubnet } from './ip-subnet.js';
export * from './push-credential-for.js';
export { HTTP_ERRORS, type HttpErrorCode } from './response.js';
export { trustClientIdentity } from './trust-client-identity.js';
