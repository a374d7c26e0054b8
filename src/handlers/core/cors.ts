import { fail } from '../../base/errors.js';
import { assertInteger, assertOptions } from '../../base/validate.js';

// The `cors` option, all of it: validated once when the handler is created, headers per request
// (every answer's, and the preflight's).

/** CORS settings of a token handler. */
export interface CorsOptions {
  /**
   * `'*'` for any origin, or the exact origins allowed, each `scheme://host[:port]` with no path and
   * no trailing slash, such as `['https://app.example.com']`. Wildcards and `'null'` are refused.
   */
  origins: '*' | readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins. Not with `origins: '*'`. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`). */
  maxAge?: number;
  /** Request headers allowed besides `Authorization` and `Content-Type`, such as `['X-Passcode']`. */
  allowHeaders?: readonly string[];
}

/** The allowed methods, also the `Allow` header of a 405. */
export const ALLOW = 'GET, POST, OPTIONS';

/** CORS options after validation, with the preflight's extra headers prepared. */
export interface ResolvedCors {
  readonly origins: '*' | readonly string[];
  readonly credentials: boolean;
  readonly preflight: Readonly<Record<string, string>>;
}

// Browsers send Origin in lower case, without a default port or a path: anything else never matches.
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:[0-9]{1,5})?$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function assertOrigin(origin: unknown, path: string): string {
  if (
    typeof origin === 'string' &&
    ORIGIN.test(origin) &&
    (!/^https?:/.test(origin) || new URL(origin).origin === origin)
  )
    return origin;
  return fail({
    code: 'ERR_INVALID_OPTION',
    path,
    expected:
      "an exact origin, scheme://host[:port] in lower case with no path or trailing slash, such as 'https://app.example.com'",
    received: origin,
    show: 'value',
  });
}

/** `cors.origins`: `'*'` or a list of exact origins. */
function resolveOrigins(origins: unknown): '*' | readonly string[] {
  if (origins !== '*' && !Array.isArray(origins)) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.cors.origins',
      expected: "'*' or an array of origins such as 'https://app.example.com'",
      received: origins,
      show: 'value',
    });
  }
  return origins === '*' ? '*' : Array.from(origins, (o, i) => assertOrigin(o, `options.cors.origins[${i}]`));
}

/** `cors.allowHeaders`: header names added to the preflight's `Access-Control-Allow-Headers`. */
function resolveAllowHeaders(extra: unknown): readonly string[] {
  if (!Array.isArray(extra)) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.cors.allowHeaders',
      expected: 'an array of header names',
      received: extra,
    });
  }
  return Array.from(extra as ArrayLike<unknown>, (name, i) => {
    if (typeof name === 'string' && TOKEN.test(name)) return name;
    return fail({
      code: 'ERR_INVALID_OPTION',
      path: `options.cors.allowHeaders[${i}]`,
      expected: "a header name such as 'X-Passcode'",
      received: name,
      show: 'value',
    });
  });
}

/** Validates the `cors` option. */
export function resolveCors(value: unknown): ResolvedCors | false {
  if (value === false) return false;
  const c =
    value === undefined
      ? {}
      : assertOptions<CorsOptions>(
          value,
          ['origins', 'credentials', 'maxAge', 'allowHeaders'],
          'options.cors',
          'ERR_INVALID_OPTION',
        );
  const list = resolveOrigins(value === undefined ? '*' : c.origins);
  if (c.credentials !== undefined && typeof c.credentials !== 'boolean')
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.cors.credentials',
      expected: 'a boolean',
      received: c.credentials,
    });
  if (list === '*' && c.credentials === true) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.cors.credentials',
      expected:
        "false with origins: '*' (browsers refuse credentials with a wildcard origin); list the origins instead",
      received: true,
    });
  }
  const extra = resolveAllowHeaders(c.allowHeaders ?? []);
  const preflight: Record<string, string> = {
    'access-control-allow-methods': ALLOW,
    'access-control-allow-headers': ['Authorization', 'Content-Type', ...extra].join(', '),
  };
  if (c.maxAge !== undefined)
    preflight['access-control-max-age'] = String(
      assertInteger(c.maxAge, { path: 'options.cors.maxAge', min: 0, max: 86_400 * 7 }),
    );
  return { origins: list, credentials: c.credentials === true, preflight: Object.freeze(preflight) };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const ANY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ 'access-control-allow-origin': '*' });

/** The CORS headers for a response to `origin`. */
// Returned objects are only read (responses copy them), so the common cases share frozen constants.
export function corsHeaders(cors: ResolvedCors | false, origin: string | undefined): Readonly<Record<string, string>> {
  if (cors === false) return NO_HEADERS;
  if (cors.origins === '*') return ANY_ORIGIN;
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin !== undefined && cors.origins.includes(origin)) {
    headers['access-control-allow-origin'] = origin;
    if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  }
  return headers;
}

/** The 204 answer to a CORS preflight (or a bare OPTIONS when CORS is off): a `CoreResponse`. */
export function preflight(
  resolved: ResolvedCors | false,
  cors: Readonly<Record<string, string>>,
): { status: 204; headers: Record<string, string>; body: '' } {
  const headers =
    resolved === false
      ? { 'cache-control': 'no-store' }
      : { ...cors, ...resolved.preflight, 'cache-control': 'no-store' };
  return { status: 204, headers, body: '' };
}
