import type { Minted } from '../access-token.js';
import { assertCredentials, type Credentials, credentialsFromEnv } from '../credentials.js';
import { isAccessTokenError } from '../errors.js';
import { grantMember } from '../grants/grant.js';
import { EMPTY, parseBody } from './body.js';
import { ALLOW, corsHeaders } from './cors.js';
import { REQUEST_CODES } from './log-error.js';
import { type ResolvedOptions, resolveHandlerOptions } from './resolve-options.js';
import { errorResponse, HttpError, internalErrorResponse, jsonResponse } from './response.js';
import type { CoreResponse, GrantsResult, RawRequest, TokenHandlerOptions, TokenRequest } from './types.js';

// The platform-neutral token endpoint: a plain request in, a plain response out. Adapters
// (fetch.ts, express.ts, lambda.ts, twilio-functions.ts) only translate their platform's shapes.

/** A signing backend: node:crypto for most adapters, WebCrypto for fetch. */
export type MinterFactory = (options: {
  credentials: Credentials;
  ttl: number;
  region?: string;
}) => (identity: string, grants: GrantsResult) => Minted | Promise<Minted>;

/** What an adapter holds: the request handler and the failure path for faults outside it. */
export interface TokenEndpoint {
  /** Answers a request: synchronously when every hook is synchronous, else with a promise. */
  handle(raw: RawRequest): CoreResponse | Promise<CoreResponse>;
  /** A fault the adapter met outside `handle` (a body stream error): `onError`, then the JSON 500. */
  fault(error: unknown, headers: Readonly<Record<string, string>>): CoreResponse;
  /** The validated `bodyTimeout`, in ms. */
  readonly bodyTimeout: number;
}

const UNAUTHORIZED = new HttpError(401, 'ERR_UNAUTHORIZED', 'Not authorized to get a token');

/** Validates handler options and returns the endpoint adapters wrap. */
export function createCore<P>(options: TokenHandlerOptions<P>, minterFactory: MinterFactory): TokenEndpoint {
  const o = resolveHandlerOptions(options);
  const minterFor = cachedMinter(minterFactory, o);
  const fixedMinter = typeof o.credentials === 'object' ? minterFor(o.credentials) : undefined;

  const report = (error: unknown, request: TokenRequest | undefined) => {
    try {
      o.onError(error, request);
    } catch {
      // A failing logger must not turn an answer into a crash.
    }
  };
  const failed = (error: unknown, cors: Readonly<Record<string, string>>, request: TokenRequest | undefined) => {
    if (error instanceof HttpError) return errorResponse(error, cors);
    report(error, request);
    if (isAccessTokenError(error) && REQUEST_CODES.has(error.code))
      return errorResponse(new HttpError(400, error.code, error.message), cors);
    return internalErrorResponse(cors);
  };

  // Each step takes what the previous one produced and returns a response or a promise of one.
  // Steps are created once per handler; a request allocates only its own objects.
  const minted = (identity: string, { token, exp }: Minted, cors: Readonly<Record<string, string>>) =>
    // The token is base64url and the date ISO, so only the identity needs JSON escaping.
    jsonResponse(
      200,
      cors,
      `{"token":"${token}","identity":${JSON.stringify(identity)},"ttl":${o.ttl},"expiresAt":"${isoSeconds(exp)}"}`,
    );
  const sign = (
    identity: string,
    grants: GrantsResult,
    mint: ReturnType<MinterFactory>,
    cors: Readonly<Record<string, string>>,
  ) => {
    const result = mint(identity, grants);
    return isPromise(result) ? result.then((m) => minted(identity, m, cors)) : minted(identity, result, cors);
  };
  const withGrants = (
    identity: string,
    grants: GrantsResult,
    request: TokenRequest,
    raw: RawRequest,
    cors: Readonly<Record<string, string>>,
  ): CoreResponse | Promise<CoreResponse> => {
    if (fixedMinter !== undefined) return sign(identity, grants, fixedMinter, cors);
    if (typeof o.credentials !== 'function')
      return sign(identity, grants, minterFor(credentialsFromEnv(raw.env)), cors);
    const given = timed(o.credentials(request), o.hookTimeout, 'credentials');
    return isPromise(given)
      ? given.then((c) => sign(identity, grants, minterFor(c), cors))
      : sign(identity, grants, minterFor(given), cors);
  };
  const withIdentity = (
    value: unknown,
    request: TokenRequest,
    raw: RawRequest,
    cors: Readonly<Record<string, string>>,
  ): CoreResponse | Promise<CoreResponse> => {
    const identity = checkIdentity(value);
    // Fixed grants were validated when the handler was created; built ones are checked here.
    if (typeof o.grants !== 'function') return withGrants(identity, o.grants, request, raw, cors);
    const built = timed(o.grants(request, identity), o.hookTimeout, 'grants');
    return isPromise(built)
      ? built.then((g) => withGrants(identity, assertGrantsResult(g), request, raw, cors))
      : withGrants(identity, assertGrantsResult(built), request, raw, cors);
  };

  return {
    bodyTimeout: o.bodyTimeout,
    fault: (error, headers) => failed(error, corsHeaders(o.cors, headers.origin), undefined),
    handle(raw) {
      const cors = corsHeaders(o.cors, raw.headers.origin);
      let request: TokenRequest | undefined;
      try {
        if (raw.method === 'OPTIONS') {
          return {
            status: 204,
            headers:
              o.cors === false
                ? { 'cache-control': 'no-store' }
                : { ...cors, ...o.cors.preflight, 'cache-control': 'no-store' },
            body: '',
          };
        }
        if (raw.method !== 'GET' && raw.method !== 'POST') {
          const message = `Method ${raw.method} is not allowed; use GET or POST`;
          return errorResponse(new HttpError(405, 'ERR_METHOD_NOT_ALLOWED', message), { ...cors, allow: ALLOW });
        }
        const body = parseBody(raw);
        const req: TokenRequest = {
          method: raw.method,
          headers: raw.headers,
          query: raw.query,
          body,
          params: body === EMPTY ? raw.query : { ...raw.query, ...body },
          platform: raw.platform,
        };
        request = req;
        const identity = timed(o.identify(req), o.hookTimeout, 'identify');
        const result = isPromise(identity)
          ? identity.then((id) => withIdentity(id, req, raw, cors))
          : withIdentity(identity, req, raw, cors);
        return isPromise(result) ? result.then(undefined, (error: unknown) => failed(error, cors, req)) : result;
      } catch (error) {
        return failed(error, cors, request);
      }
    },
  };
}

/** The hook-outcome table: a non-empty string proceeds; nothing (`null`, `undefined`, `false`, `''`) is a 401. */
function checkIdentity(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (value === null || value === undefined || value === false || value === '') throw UNAUTHORIZED;
  throw new TypeError(
    `identify returned ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}; return the identity string, or null for 401`,
  );
}

/** A `grants` function must return a grant or an array of grants; anything else is a server bug (500). */
function assertGrantsResult(value: unknown): GrantsResult {
  const ok = Array.isArray(value) ? value.every((g) => grantMember(g) !== undefined) : grantMember(value) !== undefined;
  if (!ok) throw new TypeError('the grants function returned something that is not a grant or an array of grants');
  return value as GrantsResult;
}

/** A hook's promise, rejected when it has not settled within `ms`; a plain value passes through. */
function timed<T>(value: T | Promise<T>, ms: number, hook: string): T | Promise<T> {
  if (!isPromise(value)) return value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${hook} hook did not settle within ${ms} ms (hookTimeout)`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
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
export function isPromise<T>(value: T | PromiseLike<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Minters by credentials, rebuilt only when the values change (environment, or a function's result). */
function cachedMinter(factory: MinterFactory, o: ResolvedOptions) {
  let last: { key: string; mint: ReturnType<MinterFactory> } | undefined;
  return (given: unknown): ReturnType<MinterFactory> => {
    const credentials = assertCredentials(given);
    const key = `${credentials.accountSid}\n${credentials.apiKeySid}\n${credentials.apiKeySecret}`;
    if (last?.key !== key)
      last = {
        key,
        mint: factory({ credentials, ttl: o.ttl, ...(o.region === undefined ? {} : { region: o.region }) }),
      };
    return last.mint;
  };
}
