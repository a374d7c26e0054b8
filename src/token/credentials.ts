import { AccessTokenError, describe, fail, isThenable } from '../base/errors.js';
import { readKnownKeys } from '../base/known-keys.js';
import { assertSid, isSid } from '../base/validate.js';
import { AUTH_TOKEN_FIX, AUTH_TOKEN_VARIABLES, refuseAuthTokenSecret, warnIfAuthTokenShaped } from './auth-token.js';

/** The three values an Access Token is signed with. */
export interface Credentials {
  /** The Account SID, `AC...`: the token's `sub`. */
  accountSid: string;
  /** The API Key SID, `SK...`: the token's `iss`. Not the Account SID. */
  apiKeySid: string;
  /** The API Key's secret, shown once when the key was created. Not the Auth Token. */
  apiKeySecret: string;
}

/** The environment variables {@link credentialsFromEnv} reads, first match wins. */
export const CREDENTIAL_VARIABLES = {
  accountSid: ['TWILIO_ACCOUNT_SID', 'ACCOUNT_SID'],
  apiKeySid: ['TWILIO_API_KEY_SID', 'TWILIO_API_KEY', 'API_KEY_SID', 'API_KEY'],
  apiKeySecret: ['TWILIO_API_KEY_SECRET', 'TWILIO_API_SECRET', 'API_KEY_SECRET', 'API_SECRET'],
} as const satisfies Record<keyof Credentials, readonly string[]>;

/**
 * Environment variables by name, such as `process.env` or a Twilio Functions `context`. The readers
 * take any object (a Workers `interface Env` has no index signature) and read only string values.
 */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** `process.env` where there is one; internal, shared with keyringFromEnv. */
export function processEnv(): EnvironmentVariables {
  // No `node:` import and no bare `process` reference, so this also runs on edge runtimes.
  return (globalThis as { process?: { env?: EnvironmentVariables } }).process?.env ?? {};
}

/**
 * Reads credentials from environment variables, first match wins:
 * accountSid from `TWILIO_ACCOUNT_SID`, `ACCOUNT_SID`;
 * apiKeySid from `TWILIO_API_KEY_SID`, `TWILIO_API_KEY`, `API_KEY_SID`, `API_KEY`;
 * apiKeySecret from `TWILIO_API_KEY_SECRET`, `TWILIO_API_SECRET`, `API_KEY_SECRET`, `API_SECRET`.
 * The key and its secret come from one family: both `TWILIO_`-prefixed or both unprefixed.
 * Empty values count as unset. The values found are validated.
 *
 * @param env - Where to read; a Twilio Functions `context` works too.
 * @defaultValue `env`: `process.env`
 * @returns Validated credentials.
 * @throws {@link AccessTokenError} `ERR_MISSING_CREDENTIALS` naming every variable it looked for
 *   (never a value); it says so when only an Auth Token is set, since Access Tokens are signed with
 *   an API Key, and when the key and the secret come from different families.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when a value found is malformed.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv } from 'twilio-access-token';
 *
 * const credentials = credentialsFromEnv(); // reads process.env
 * ```
 */
export function credentialsFromEnv(env: EnvironmentVariables | object = processEnv()): Credentials {
  if (typeof env !== 'object' || env === null || isThenable(env)) failEnv(describe(env));
  const get = readOnce(env);
  // The first variable set among `names`; with `twilio`, only among the TWILIO_-prefixed names (true)
  // or the unprefixed ones (false).
  const first = (names: readonly string[], twilio?: boolean) =>
    names.find((n) => (twilio === undefined || n.startsWith('TWILIO_') === twilio) && get(n) !== undefined);
  const { accountSid, apiKeySid, apiKeySecret } = CREDENTIAL_VARIABLES;
  // The API Key SID and its secret must come from one naming family: a TWILIO_API_KEY_SID beside a
  // generic API_SECRET that belongs to another service would sign every token wrongly (20107).
  const family = [true, false].find((twilio) => first(apiKeySid, twilio) && first(apiKeySecret, twilio));
  const names = [first(accountSid), first(apiKeySid, family), first(apiKeySecret, family)];
  const [accountName, sidName, secretName] = names;
  if (family === undefined && sidName !== undefined && secretName !== undefined) {
    throw missingCredentials(
      `${sidName} and ${secretName} are from different naming families; set the key and its secret as TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET, or as API_KEY_SID and API_KEY_SECRET.`,
    );
  }
  if (accountName === undefined || sidName === undefined || secretName === undefined) {
    const missing = Object.entries(CREDENTIAL_VARIABLES)
      .filter((_, i) => names[i] === undefined)
      .map(([key, variables]) => `${key} (${variables.join(', ')})`);
    const authToken = first(AUTH_TOKEN_VARIABLES) !== undefined && sidName === undefined;
    throw missingCredentials(
      `set ${missing.join('; ')}.${authToken ? ` Only an Auth Token is set. ${AUTH_TOKEN_FIX}.` : ''}`,
    );
  }
  const secret = get(secretName);
  refuseAuthTokenSecret(get, secretName, secret);
  return assertCredentials({ accountSid: get(accountName), apiKeySid: get(sidName), apiKeySecret: secret });
}

/** Refuses an environment that is not an object of variables, or whose reads throw. */
function failEnv(receivedText: string): never {
  return fail('ERR_INVALID_OPTION', 'env', 'an object of environment variables', receivedText);
}

/**
 * One variable, an own property only: a variable inherited from a polluted `Object.prototype` is
 * unset (it must not supply, or through `TWILIO_API_KEYS` replace, the key that signs). An
 * environment whose reads throw (a hostile Proxy) is refused.
 */
function readVariable(env: EnvironmentVariables | object, name: string): unknown {
  try {
    const value = (env as EnvironmentVariables)[name];
    return value !== undefined && Object.hasOwn(env, name) ? value : undefined;
  } catch {
    return failEnv('an object whose properties cannot be read');
  }
}

/**
 * Reads each variable at most once (an environment may be a Proxy), own properties only; empty and
 * non-string values count as unset. Internal, shared with keyringFromEnv.
 */
export function readOnce(env: EnvironmentVariables | object): (name: string) => string | undefined {
  const seen = new Map<string, string | undefined>();
  return (name) => {
    if (!seen.has(name)) {
      const value = readVariable(env, name);
      seen.set(name, typeof value === 'string' && value !== '' ? value : undefined);
    }
    return seen.get(name);
  };
}

/** The one builder of `ERR_MISSING_CREDENTIALS`: what is missing, and which variables to set; internal. */
export function missingCredentials(detail: string): AccessTokenError {
  return new AccessTokenError('ERR_MISSING_CREDENTIALS', `Missing Twilio credentials: ${detail}`, 'credentials');
}

// Credentials objects already validated, so createAccessToken called with the same object does not
// run the SID checks again. The values are compared on every hit, so a changed object is checked anew.
const validated = new WeakMap<object, Credentials>();

// Written out, not Object.keys(CREDENTIAL_VARIABLES): a minter's bundle must not hold the variable names.
const CREDENTIAL_KEYS: readonly string[] = ['accountSid', 'apiKeySid', 'apiKeySecret'];

/** Validates credentials; internal, used wherever credentials come in. Reads each property once. */
export function assertCredentials(value: unknown): Credentials {
  const code = 'ERR_INVALID_CREDENTIALS';
  const { accountSid, apiKeySid, apiKeySecret } = readCredentials(value);
  // An object validated before, with the same values: the servers' path, no SID checks again.
  const known = validated.get(value as object);
  if (
    known !== undefined &&
    known.accountSid === accountSid &&
    known.apiKeySid === apiKeySid &&
    known.apiKeySecret === apiKeySecret
  ) {
    return known;
  }
  const account = assertSid(accountSid, {
    code,
    path: 'credentials.accountSid',
    prefix: 'AC',
    label: 'an Account SID',
    show: 'prefix',
  });
  const key = assertApiKeySid(apiKeySid, 'credentials.apiKeySid');
  assertSecret(apiKeySecret, 'credentials.apiKeySecret');
  warnIfAuthTokenShaped(apiKeySecret);
  const credentials = Object.freeze({ accountSid: account, apiKeySid: key, apiKeySecret });
  validated.set(value as object, credentials);
  return credentials;
}

/**
 * Reads credentials, each property once: a plain object with exactly the three keys in order is read
 * directly (the servers' path); anything else through readKnownKeys, which refuses what is not one.
 */
function readCredentials(value: unknown): Partial<Credentials> {
  try {
    const keys = Object.getPrototypeOf(value) === Object.prototype ? Reflect.ownKeys(value as object) : [];
    // Compared key by key, not joined: this runs on every createAccessToken call.
    if (keys.length === 3 && keys[0] === 'accountSid' && keys[1] === 'apiKeySid' && keys[2] === 'apiKeySecret') {
      const v = value as Credentials;
      return { accountSid: v.accountSid, apiKeySid: v.apiKeySid, apiKeySecret: v.apiKeySecret };
    }
  } catch {
    // undefined, a symbol key or a hostile Proxy: the full reading below refuses it
  }
  if (value === undefined) fail('ERR_INVALID_CREDENTIALS', 'credentials', 'an object', describe(value));
  return readKnownKeys<Credentials>(value, CREDENTIAL_KEYS, 'credentials', 'ERR_INVALID_CREDENTIALS');
}

/**
 * Asserts an API Key SID; an Account SID in its place gets the fix (Twilio error 20103). Internal,
 * shared with the keyring's keys.
 */
export function assertApiKeySid(value: unknown, path: string): string {
  if (!isSid(value, 'SK')) {
    fail(
      'ERR_INVALID_CREDENTIALS',
      path,
      'an API Key SID (SK followed by 32 hex digits)',
      describe(value, 'prefix'),
      isSid(value, 'AC')
        ? 'That is an Account SID; Access Tokens are signed with an API Key (Twilio error 20103)'
        : undefined,
    );
  }
  return value;
}

/**
 * Asserts an API Key secret: a non-empty string without surrounding whitespace (a trailing newline
 * from a secret store makes every token fail at Twilio with 20107). Described by length only.
 */
export function assertSecret(value: unknown, path: string): asserts value is string {
  // A lone surrogate becomes U+FFFD in UTF-8: two secrets differing only there would sign alike.
  // In Unicode mode a pair is one code point: only a lone surrogate is in the category Cs.
  const lone = typeof value === 'string' ? /\p{Cs}/u.exec(value) : null;
  const [expected, received, hint] =
    typeof value !== 'string' || value === ''
      ? [', a non-empty string', describe(value)]
      : lone !== null
        ? [
            ' as well-formed text',
            `a string of ${value.length} characters with a lone surrogate at index ${lone.index}`,
          ]
        : value.trim() !== value
          ? [
              ' without leading or trailing whitespace',
              describe(value),
              'Trim it where it is read; with the whitespace every token fails at Twilio (error 20107)',
            ]
          : [];
  if (expected !== undefined)
    fail('ERR_INVALID_CREDENTIALS', path, `the API Key secret${expected}`, received as string, hint);
}
