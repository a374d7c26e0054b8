import { grantsJson } from '../claims.js';
import { assertCredentials, type Credentials, credentialsFromEnv, type EnvironmentVariables } from '../credentials.js';
import { fail, isAccessTokenError } from '../errors.js';
import type { Grant } from '../grants/index.js';
import type { Minted } from '../mint.js';
import { DEFAULT_TTL, resolveRegion, resolveTtl } from '../options.js';
import { assertOptions } from '../validate.js';
import { EMPTY, HttpError, parseBody } from './body.js';
import { ALLOW, type CorsOptions, corsHeaders, preflightHeaders, resolveCors } from './cors.js';

export type { CorsOptions } from './cors.js';

// The platform-neutral token endpoint: a plain request in, a plain response out. Adapters
// (fetch.ts, express.ts, lambda.ts, twilio-functions.ts) only translate their platform's shapes.

/** The request as `identify` and a `grants` function see it, whatever the platform. */
export interface TokenRequest {
  /** The HTTP method, upper-case. Always `'POST'` on Twilio Functions, whose runtime hides it. */
  readonly method: string;
  /** Request headers with lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The query string's parameters (the last value wins when one repeats). */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON or form body; `{}` when there is none or it has another content type. */
  readonly body: Readonly<Record<string, unknown>>;
  /** `query` merged with `body`; the body wins. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** What a `grants` option may return: one grant or an array of grants. */
export type GrantsResult = Grant | readonly Grant[];

/** Options of every token handler factory. */
export interface TokenHandlerOptions {
  /**
   * Decides who the caller is: from a session, a JWT, a passcode... Return the identity, or
   * `null`/`undefined` to answer 401. Identity is never taken from the client unless you say so
   * (see {@link trustClientIdentity}).
   */
  identify(request: TokenRequest): string | null | undefined | Promise<string | null | undefined>;
  /** The grants: fixed (validated when the handler is created), or built per request. */
  grants: GrantsResult | ((request: TokenRequest, identity: string) => GrantsResult | Promise<GrantsResult>);
  /**
   * The credentials to sign with, validated when the handler is created.
   * @defaultValue read from the environment on each request (Twilio Functions: the function's `context`)
   */
  credentials?: Credentials;
  /**
   * Token lifetime in seconds, 1 to 86400.
   * @defaultValue 3600
   */
  ttl?: number;
  /** The Twilio region, such as `'ie1'`: the token header's `twr`. */
  region?: string;
  /**
   * CORS: `false` sends no CORS headers.
   * @defaultValue `{ origins: '*' }`
   */
  cors?: false | CorsOptions;
  /**
   * Called with every error answered as a 500, which the client only sees as `ERR_INTERNAL`.
   * @defaultValue logs with `console.error`
   */
  onError?: (error: unknown, request: TokenRequest | undefined) => void;
}

/** A request as an adapter hands it to the core. */
export interface RawRequest {
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The raw body, or an object a platform already parsed (Twilio Functions, Express parsers). */
  readonly body: string | Uint8Array | Readonly<Record<string, unknown>> | undefined;
  /** Set by adapters that stopped reading a body over {@link MAX_BODY_BYTES}: answered with 413. */
  readonly bodyTooLarge?: boolean;
  /** Where credentials come from when none were given (Twilio Functions: `context`). */
  readonly env?: EnvironmentVariables;
}

/** A response as the core hands it to an adapter. */
export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON, or `''` for 204. */
  readonly body: string;
}

/** The core request handler: synchronous when every hook is, else a promise. */
export type CoreHandler = (raw: RawRequest) => CoreResponse | PromiseLike<CoreResponse>;

/** A signing backend: node:crypto for most adapters, WebCrypto for fetch. */
export type MinterFactory = (options: {
  credentials: Credentials;
  ttl: number;
  region?: string;
}) => (identity: string, grants: GrantsResult) => Minted | Promise<Minted>;

const REQUEST_CODES = new Set(['ERR_INVALID_IDENTITY', 'ERR_INVALID_GRANT', 'ERR_NO_GRANTS', 'ERR_DUPLICATE_GRANT']);
const OPTION_KEYS = ['identify', 'grants', 'credentials', 'ttl', 'region', 'cors', 'onError'] as const;

/**
 * Lets the client say who it is: reads `params[param]`. For prototypes and demos only; anyone can
 * then mint a token for any identity. Returns `null` (401) when the parameter is missing or empty.
 *
 * @param param - The query or body parameter to read.
 * @defaultValue `param`: `'identity'`
 * @returns An `identify` function for {@link TokenHandlerOptions}.
 *
 * @example
 * ```ts
 * import { createFetchHandler, trustClientIdentity } from 'twilio-access-token/fetch';
 * import { videoGrant } from 'twilio-access-token/web';
 *
 * export const POST = createFetchHandler({ identify: trustClientIdentity(), grants: videoGrant() });
 * ```
 */
export function trustClientIdentity(param = 'identity'): TokenHandlerOptions['identify'] {
  return (request) => {
    const value = request.params[param];
    return typeof value === 'string' && value !== '' ? value : null;
  };
}

/** Validates handler options and returns the request handler; adapters wrap it. */
export function createCore(options: TokenHandlerOptions, minterFactory: MinterFactory): CoreHandler {
  const o = assertOptions<TokenHandlerOptions>(options, OPTION_KEYS, 'options', 'ERR_INVALID_OPTION');
  if (options === undefined) fail('ERR_INVALID_OPTION', 'options', 'an options object', options);
  if (typeof o.identify !== 'function')
    fail('ERR_INVALID_OPTION', 'options.identify', 'a function (request) => identity', o.identify);
  const grants = o.grants as TokenHandlerOptions['grants'];
  if (typeof grants !== 'function') grantsJson(grants);
  const ttl = resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl');
  const region = resolveRegion(o.region, 'options.region');
  const cors = resolveCors(o.cors);
  const onError =
    o.onError ?? ((error: unknown) => console.error('[twilio-access-token] token request failed with 500:', error));
  if (typeof onError !== 'function') fail('ERR_INVALID_OPTION', 'options.onError', 'a function', onError);
  const fixedMinter =
    o.credentials === undefined
      ? undefined
      : minterFactory({ credentials: assertCredentials(o.credentials), ttl, region });
  const envMinter = cachedEnvMinter(minterFactory, ttl, region);
  const identify = o.identify;

  // Synchronous when identify, grants and the signer are (the node:crypto adapters with sync
  // hooks): no microtask hops on the hot path. A Promise from any of them makes the rest async.
  // The steps below are created once per handler, not per request; each request allocates only
  // its own request object and response.
  const failed = (error: unknown, headers: Readonly<Record<string, string>>, request: TokenRequest | undefined) => {
    if (error instanceof HttpError) return reply(error.status, headers, { code: error.code, message: error.message });
    if (isAccessTokenError(error) && REQUEST_CODES.has(error.code)) {
      return reply(400, headers, { code: error.code, message: error.message });
    }
    try {
      onError(error, request);
    } catch {
      // A failing logger must not turn a 500 into a crash.
    }
    return reply(500, headers, {
      code: 'ERR_INTERNAL',
      message: 'The token could not be issued because of a server error',
    });
  };
  const minted = (identity: string, { token, exp }: Minted, headers: Readonly<Record<string, string>>) =>
    // The token is base64url and the date ISO, so only the identity needs JSON escaping.
    reply(
      200,
      headers,
      undefined,
      `{"token":"${token}","identity":${JSON.stringify(identity)},"ttl":${ttl},"expiresAt":"${isoSeconds(exp)}"}`,
    );
  const withGrants = (
    identity: string,
    built: GrantsResult,
    raw: RawRequest,
    headers: Readonly<Record<string, string>>,
  ) => {
    const result = (fixedMinter ?? envMinter(raw.env))(identity, built);
    return isPromise(result) ? result.then((m) => minted(identity, m, headers)) : minted(identity, result, headers);
  };
  const withIdentity = (
    identity: string | null | undefined,
    request: TokenRequest,
    raw: RawRequest,
    headers: Readonly<Record<string, string>>,
  ): CoreResponse | PromiseLike<CoreResponse> => {
    if (identity === null || identity === undefined) {
      return reply(401, headers, { code: 'ERR_UNAUTHORIZED', message: 'Not authorized to get a token' });
    }
    if (typeof grants !== 'function') return withGrants(identity, grants, raw, headers);
    const built = grants(request, identity);
    return isPromise(built)
      ? built.then((g) => withGrants(identity, g, raw, headers))
      : withGrants(identity, built, raw, headers);
  };

  return (raw) => {
    const headers = corsHeaders(cors, raw.headers.origin);
    let request: TokenRequest | undefined;
    try {
      if (raw.method === 'OPTIONS') {
        return {
          status: 204,
          headers: { ...headers, ...preflightHeaders(cors), 'cache-control': 'no-store' },
          body: '',
        };
      }
      if (raw.method !== 'GET' && raw.method !== 'POST') {
        const message = `Method ${raw.method} is not allowed; use GET or POST`;
        return reply(405, { ...headers, allow: ALLOW }, { code: 'ERR_METHOD_NOT_ALLOWED', message });
      }
      const body = parseBody(raw);
      const req: TokenRequest = {
        method: raw.method,
        headers: raw.headers,
        query: raw.query,
        body,
        params: body === EMPTY ? raw.query : { ...raw.query, ...body },
      };
      request = req;
      const identity = identify(req);
      const result = isPromise(identity)
        ? identity.then((id) => withIdentity(id, req, raw, headers))
        : withIdentity(identity, req, raw, headers);
      return isPromise(result) ? result.then(undefined, (error: unknown) => failed(error, headers, req)) : result;
    } catch (error) {
      return failed(error, headers, request);
    }
  };
}

let lastExp = Number.NaN;
let lastIso = '';
/** `new Date(exp * 1000).toISOString()`, cached: exp changes once a second under load. */
function isoSeconds(exp: number): string {
  if (exp !== lastExp) {
    lastIso = new Date(exp * 1000).toISOString();
    lastExp = exp;
  }
  return lastIso;
}

/** Whether a value is a promise (any thenable). */
export function isPromise<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function reply(
  status: number,
  headers: Readonly<Record<string, string>>,
  error?: { code: string; message: string },
  body?: string,
): CoreResponse {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: body ?? JSON.stringify({ error }),
  };
}

/** Minters for credentials read from the environment, rebuilt only when the values change. */
function cachedEnvMinter(factory: MinterFactory, ttl: number, region: string | undefined) {
  let last: { key: string; mint: ReturnType<MinterFactory> } | undefined;
  return (env: EnvironmentVariables | undefined) => {
    const credentials = env === undefined ? credentialsFromEnv() : credentialsFromEnv(env);
    const key = `${credentials.accountSid}\n${credentials.apiKeySid}\n${credentials.apiKeySecret}`;
    if (last?.key !== key) last = { key, mint: factory({ credentials, ttl, region }) };
    return last.mint;
  };
}
