import { AccessTokenError } from '../../base/errors.js';
import { isThenable } from '../../base/thenable.js';
import { AUTH_TOKEN_VARIABLES } from '../../token/auth-token.js';
import { CREDENTIAL_VARIABLES, type EnvironmentVariables } from '../../token/credentials.js';

// What a fetch handler's second argument is. Cloudflare Workers (and Hono, `handler(c.req.raw,
// c.env)`) pass the environment; Next.js passes a route context `{ params }`; Deno passes
// `{ remoteAddr }`, Bun its server; most callers pass nothing. Only an object that holds Twilio
// variables is read for credentials: anything else leaves them to `process.env`, where it exists.

/** A route's dynamic segments, as Next.js resolves them (`[room]`: a string; `[...path]`: an array). */
export type RouteParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The second argument Next.js passes to an App Router route handler. */
export interface RouteContext {
  /** The route's dynamic segments. */
  readonly params: Promise<RouteParams> | undefined;
}

/** The variables the default credentials may read, so an environment is copied once per request. */
const TWILIO_VARIABLES: readonly string[] = [
  ...CREDENTIAL_VARIABLES.accountSid,
  ...CREDENTIAL_VARIABLES.apiKeySid,
  ...CREDENTIAL_VARIABLES.apiKeySecret,
  'TWILIO_API_KEYS',
  ...AUTH_TOKEN_VARIABLES,
];

/** The `params` of a Next.js route context, or `false` when `value` is not one. Reads no getter. */
export function routeParams(value: unknown): Promise<RouteParams> | undefined | false {
  if (typeof value !== 'object' || value === null) return false;
  const own = ownDescriptor(value, 'params');
  if (own === undefined || own === null || !('value' in own)) return false;
  return own.value === undefined || isThenable(own.value) ? (own.value as Promise<RouteParams> | undefined) : false;
}

let unreadable: AccessTokenError | undefined;
let nowhere: AccessTokenError | undefined;

/**
 * Where the default credentials come from: a copy of the Twilio variables of `env` when it holds
 * any (each read once, own data properties only), `undefined` for `process.env` when it does not
 * and `process.env` exists, else the error to answer with (a 500 that names the fix).
 */
export function credentialSource(env: unknown): EnvironmentVariables | Error | undefined {
  if (typeof env === 'object' && env !== null) {
    const copy: Record<string, string> = Object.create(null);
    let found = false;
    for (const name of TWILIO_VARIABLES) {
      const own = ownDescriptor(env, name);
      if (own === null) {
        unreadable ??= missing('the env argument could not be read (its properties throw)');
        return unreadable;
      }
      if (own === undefined) continue;
      found = true;
      if ('value' in own && typeof own.value === 'string') copy[name] = own.value;
    }
    if (found) return Object.freeze(copy);
  }
  const processEnv = (globalThis as { process?: { env?: unknown } }).process?.env;
  if (typeof processEnv === 'object' && processEnv !== null) return undefined;
  nowhere ??= missing(
    'the handler got no env argument holding Twilio variables and this runtime has no process.env; pass the env (Cloudflare Workers: fetch(request, env); Hono: handler(c.req.raw, c.env)) or set options.credentials',
  );
  return nowhere;
}

/** An own property's descriptor; `null` when asking throws (a hostile Proxy). */
function ownDescriptor(value: object, name: string): PropertyDescriptor | undefined | null {
  try {
    return Object.getOwnPropertyDescriptor(value, name);
  } catch {
    return null;
  }
}

function missing(why: string): AccessTokenError {
  return new AccessTokenError('ERR_MISSING_CREDENTIALS', `Missing Twilio credentials: ${why}.`, 'credentials');
}
