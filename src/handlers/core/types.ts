import type { Grant, GrantProduct } from '../../grants/index.js';
import type { Credentials, EnvironmentVariables } from '../../token/credentials.js';
import type { Keyring } from '../../token/keyring/core.js';
import type { CorsOptions } from './cors.js';
import type { HttpErrorCode } from './http-errors.js';

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
   * The peer's address, from the one source the platform vouches for: Express `req.ip` (which
   * honours the app's `trust proxy` setting), else the socket's address (node:http); Lambda's
   * `requestContext` `sourceIp` (HTTP API, Function URL, REST API; an ALB passes none); Cloudflare
   * Workers' `CF-Connecting-IP`, read only when the request carries Cloudflare's `cf` object, since
   * on any other fetch runtime a client can set that header. `undefined` everywhere else (Twilio
   * Functions, Deno, Bun, Node's own fetch servers). `X-Forwarded-For` is never read here: whether
   * to trust it is the app's decision.
   */
  readonly ip?: string | undefined;
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
   * Milliseconds each of `identify`, `grants`, `credentials` and `onIssued` may take
   * when it returns a Promise; a hook still pending then is a server fault: 500 and `onError`,
   * instead of a request that hangs.
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
  /**
   * Called after `identify`, before the grants are built and the token is signed: `true` proceeds;
   * `false`, `{ retryAfter: seconds }` or rate-limiter-flexible's rejection `{ msBeforeNext:
   * milliseconds }` answers 429 `ERR_RATE_LIMITED` with `Retry-After` (`false` means 60 s).
   * `retryAfter` is whole seconds, 1 to 86400; `msBeforeNext` is rounded up to whole seconds (at
   * least 1). Any other result, a throw, a rejection or a Promise still pending after
   * `rateLimitTimeout` is a server fault: 500 and `onError`, so a limiter that is down refuses
   * instead of letting requests through, and never holds them.
   */
  rateLimit?: (subject: RateLimitSubject<P>) => RateLimitVerdict | Promise<RateLimitVerdict>;
  /**
   * Milliseconds `rateLimit` may take, 1 to 60000: a limiter that has not settled by then (a Redis
   * that stopped answering) is treated as one that threw: 500 and `onError`, fail closed. Give your
   * limiter's own timeout (ioredis `commandTimeout`) a shorter one, so that its insurance limiter
   * answers first.
   * @defaultValue 1000
   */
  rateLimitTimeout?: number;
  /**
   * Told of every token issued, and awaited before the 200 goes out: the audit trail. A throw, a
   * rejection or a Promise still pending after `hookTimeout` is a 500 and reaches `onError`; the
   * token never leaves.
   */
  onIssued?: (event: IssuedEvent) => void | Promise<void>;
  /**
   * Told of every refusal: each 401, 429 and other 4xx, with what is known of the caller. Not
   * awaited; a throw (or a rejection) goes to `onError` and changes no response.
   */
  onDenied?: (event: DeniedEvent) => void;
}

/**
 * What `rateLimit` gets: who is asking, from where, and the request itself.
 *
 * @typeParam P - The platform's objects, as {@link TokenRequest.platform} carries them.
 */
export interface RateLimitSubject<P = unknown> {
  /** The identity `identify` returned. */
  readonly identity: string;
  /** {@link TokenRequest.ip}, when the platform knows it. */
  readonly ip?: string;
  /** The request. */
  readonly request: TokenRequest<P>;
}

/**
 * What `rateLimit` returns: `true` proceeds; `false`, `{ retryAfter }` (whole seconds) or
 * `{ msBeforeNext }` (milliseconds, rate-limiter-flexible's rejection) answers 429.
 */
export type RateLimitVerdict =
  | boolean
  | {
      /** Whole seconds until the caller may ask again: 1 to 86400; sent as `Retry-After`. */
      readonly retryAfter: number;
    }
  | {
      /** Milliseconds until the caller may ask again, 0 to 86400000; rounded up to whole seconds for `Retry-After`. */
      readonly msBeforeNext: number;
    };

/**
 * A token issued, as `onIssued` and the `twilio-access-token:issued` diagnostics channel see it.
 * It never holds the token or a secret: `tokenId` is a digest of the token's signature.
 */
export interface IssuedEvent {
  /** The token's identity. */
  readonly identity: string;
  /** The products the token grants, such as `['video', 'voice']`. */
  readonly products: readonly GrantProduct[];
  /** The API Key that signed it (with a keyring: the key it picked for this token). */
  readonly apiKeySid: string;
  /** The token's region (`twr`), when it has one. */
  readonly region?: string;
  /** The token's lifetime, seconds. */
  readonly ttl: number;
  /** When it expires, ISO 8601: the 200 body's `expiresAt`. */
  readonly expiresAt: string;
  /**
   * base64url SHA-256 of the token's signature segment (its third, as ASCII): unique per token,
   * unlike the `jti`, which repeats within a second. From a token: in Node,
   * `createHash('sha256').update(token.split('.')[2]).digest('base64url')`.
   */
  readonly tokenId: string;
  /** {@link TokenRequest.ip}, when known. */
  readonly ip?: string;
  /** The request's `Origin` header, when sent. */
  readonly origin?: string;
  /** The request's `User-Agent` header, when sent. */
  readonly userAgent?: string;
}

/** A refusal (401, 429 or another 4xx), as `onDenied` and the `twilio-access-token:denied` channel see it. */
export interface DeniedEvent {
  /** The HTTP status: 400, 401, 405, 408, 413 or 429. */
  readonly status: number;
  /** The code in the JSON error body. */
  readonly code: HttpErrorCode;
  /** The identity, when `identify` had returned one (never for a 401). */
  readonly identity?: string;
  /** {@link TokenRequest.ip}, when known. */
  readonly ip?: string;
  /** The request's `Origin` header, when sent. */
  readonly origin?: string;
  /** The request's `User-Agent` header, when sent. */
  readonly userAgent?: string;
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
  /**
   * Where credentials come from when none were given (Twilio Functions: `context`; `undefined`:
   * `process.env`), or the error to answer with when the platform has no such place.
   */
  readonly env?: EnvironmentVariables | Error;
  /** The platform's own objects, passed to the hooks as {@link TokenRequest.platform}. */
  readonly platform: unknown;
  /** The peer's address from the platform's trusted source: {@link TokenRequest.ip}. */
  readonly ip?: string | undefined;
}

/** A response as the core hands it to an adapter; internal. */
export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** JSON, or `''` for 204. */
  readonly body: string;
}
