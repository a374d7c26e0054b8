import type { Grant } from '../../grants/index.js';
import type { Credentials, EnvironmentVariables } from '../../token/credentials.js';
import type { Keyring } from '../../token/keyring-core.js';
import type { CorsOptions } from './cors.js';

/**
 * The request as `identify`, `grants` and a `credentials` function see it, whatever the platform.
 *
 * @typeParam P - The platform's own objects, in {@link TokenRequest.platform}.
 */
export interface TokenRequest<P = unknown> {
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
  /**
   * The platform's own objects, so `identify` can read what the app's auth already established:
   * `{ req, res }` on Express and node:http, `{ event, context }` on Lambda and Twilio Functions,
   * `{ request, env, ctx }` on fetch runtimes.
   */
  readonly platform: P;
}

/** What a `grants` option may return: one grant or an array of grants. */
export type GrantsResult = Grant | readonly Grant[];

/**
 * Options of every token handler factory.
 *
 * @typeParam P - The platform's objects, as {@link TokenRequest.platform} carries them.
 */
export interface TokenHandlerOptions<P = unknown> {
  /**
   * Decides who the caller is: from a session, a verified JWT, a passcode... Return the identity;
   * `null`, `undefined`, `false` or `''` answers 401. Any other value is a server bug: 500 and
   * `onError`. Identity is never taken from the client unless you say so (see `trustClientIdentity`).
   */
  identify(request: TokenRequest<P>): string | null | undefined | false | Promise<string | null | undefined | false>;
  /** The grants: fixed (validated when the handler is created), or built per request. */
  grants: GrantsResult | ((request: TokenRequest<P>, identity: string) => GrantsResult | Promise<GrantsResult>);
  /**
   * The credentials to sign with: fixed (validated when the handler is created), or a function of
   * the request (Cloudflare Workers: `(request) => fromEnv(request.platform.env)`) whose result is
   * validated on each request; a failure there is a 500. A {@link Keyring} is resolved per token,
   * so a pending key takes over at its `signFrom` while the handler runs.
   * @defaultValue read from the environment on each request (Twilio Functions: the function's `context`)
   */
  credentials?:
    | Credentials
    | Keyring
    | ((request: TokenRequest<P>) => Credentials | Keyring | Promise<Credentials | Keyring>);
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
   * Milliseconds a request body may take to arrive; a slower one gets 408 `ERR_REQUEST_TIMEOUT`
   * (node:http also closes the connection).
   * @defaultValue 10000
   */
  bodyTimeout?: number;
  /**
   * Milliseconds each of `identify`, `grants` and `credentials` may take when it returns a Promise;
   * a hook still pending then is a server fault: 500 and `onError`, instead of a request that hangs.
   * @defaultValue 10000
   */
  hookTimeout?: number;
  /**
   * Told of every server-side fault: each 500 (the client sees only `ERR_INTERNAL`), and each 400
   * caused inside `identify` or `grants` (an `AccessTokenError`), so a misconfiguration that
   * fails every request reaches the operator.
   * @defaultValue logs 500s with `console.error` and those 400s with `console.warn`, each as the
   *   error's name, code, message and stack only
   */
  onError?: (error: unknown, request: TokenRequest<P> | undefined) => void;
}

/** A request as an adapter hands it to the core; internal. */
export interface RawRequest {
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /**
   * The raw body, an object a platform already parsed (Twilio Functions, Express parsers), or the
   * HTTP error an adapter met while reading it (too large, too slow).
   */
  readonly body: string | Uint8Array | Readonly<Record<string, unknown>> | Error | undefined;
  /** Where credentials come from when none were given (Twilio Functions: `context`). */
  readonly env?: EnvironmentVariables;
  /** The platform's own objects, passed to the hooks as {@link TokenRequest.platform}. */
  readonly platform: unknown;
}

/** A response as the core hands it to an adapter; internal. */
export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON, or `''` for 204. */
  readonly body: string;
}
