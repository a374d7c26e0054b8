import { fail } from '../errors.js';
import { assertInteger, assertOptions } from '../validate.js';

// CORS for the token endpoint: options validated once, headers per request.

/** CORS settings of a token handler. */
export interface CorsOptions {
  /** `'*'` for any origin, or the exact origins allowed, such as `['https://app.example.com']`. */
  origins: '*' | readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins. Not with `origins: '*'`. */
  credentials?: boolean;
  /** Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`). */
  maxAge?: number;
}

/** The allowed methods, also the `Allow` header of a 405. */
export const ALLOW = 'GET, POST, OPTIONS';

/** CORS options after validation, or `false` for none. */
export interface ResolvedCors {
  readonly origins: '*' | readonly string[];
  readonly credentials: boolean;
  readonly maxAge: number | undefined;
}

/** Validates the `cors` option. */
export function resolveCors(value: unknown): ResolvedCors | false {
  if (value === false) return false;
  if (value === undefined) return { origins: '*', credentials: false, maxAge: undefined };
  const c = assertOptions<CorsOptions>(
    value,
    ['origins', 'credentials', 'maxAge'],
    'options.cors',
    'ERR_INVALID_OPTION',
  );
  const { origins } = c;
  if (origins !== '*' && !(Array.isArray(origins) && origins.every((x) => typeof x === 'string' && x !== ''))) {
    fail(
      'ERR_INVALID_OPTION',
      'options.cors.origins',
      "'*' or an array of origins such as 'https://app.example.com'",
      origins,
    );
  }
  if (c.credentials !== undefined && typeof c.credentials !== 'boolean')
    fail('ERR_INVALID_OPTION', 'options.cors.credentials', 'a boolean', c.credentials);
  if (origins === '*' && c.credentials === true) {
    fail(
      'ERR_INVALID_OPTION',
      'options.cors.credentials',
      "false with origins: '*' (browsers refuse credentials with a wildcard origin); list the origins instead",
      true,
    );
  }
  const maxAge = c.maxAge === undefined ? undefined : assertInteger(c.maxAge, 0, 86_400 * 7, 'options.cors.maxAge');
  return { origins: origins === '*' ? '*' : [...origins], credentials: c.credentials === true, maxAge };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const ANY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ 'access-control-allow-origin': '*' });

/** The CORS headers for a response to `origin`. */
// Returned objects are only read (reply copies them), so the common cases share frozen constants.
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

/** The extra headers of a 204 preflight answer. */
export function preflightHeaders(cors: ResolvedCors | false): Record<string, string> {
  if (cors === false) return {};
  const headers: Record<string, string> = {
    'access-control-allow-methods': ALLOW,
    'access-control-allow-headers': 'Authorization, Content-Type',
  };
  if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
  return headers;
}
