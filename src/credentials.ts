import { AccessTokenError, fail } from './errors.js';
import { assertSid, isSid } from './validate.js';

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

const AUTH_TOKEN_VARIABLES = ['TWILIO_AUTH_TOKEN', 'AUTH_TOKEN'] as const;

/** Environment variables by name, such as `process.env` or a Twilio Functions `context`. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

function processEnv(): EnvironmentVariables {
  // No `node:` import and no bare `process` reference, so this also runs on edge runtimes.
  return (globalThis as { process?: { env?: EnvironmentVariables } }).process?.env ?? {};
}

/**
 * Reads credentials from environment variables, first match wins:
 * accountSid from `TWILIO_ACCOUNT_SID`, `ACCOUNT_SID`;
 * apiKeySid from `TWILIO_API_KEY_SID`, `TWILIO_API_KEY`, `API_KEY_SID`, `API_KEY`;
 * apiKeySecret from `TWILIO_API_KEY_SECRET`, `TWILIO_API_SECRET`, `API_KEY_SECRET`, `API_SECRET`.
 * Empty values count as unset. The values found are validated.
 *
 * @param env - Where to read; a Twilio Functions `context` works too.
 * @defaultValue `env`: `process.env`
 * @returns Validated credentials.
 * @throws {@link AccessTokenError} `ERR_MISSING_CREDENTIALS` naming every variable it looked for
 *   (never a value); it says so when only an Auth Token is set, since Access Tokens are signed with
 *   an API Key.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when a value found is malformed.
 *
 * @example
 * ```ts
 * import { credentialsFromEnv } from 'twilio-access-token';
 *
 * const credentials = credentialsFromEnv(); // reads process.env
 * ```
 */
export function credentialsFromEnv(env: EnvironmentVariables = processEnv()): Credentials {
  const found: Partial<Record<keyof Credentials, string>> = {};
  const missing: string[] = [];
  for (const field of Object.keys(CREDENTIAL_VARIABLES) as (keyof Credentials)[]) {
    const names = CREDENTIAL_VARIABLES[field];
    const name = names.find((n) => typeof env[n] === 'string' && env[n] !== '');
    if (name === undefined) missing.push(`${field} (${names.join(', ')})`);
    else found[field] = env[name] as string;
  }
  if (missing.length > 0) {
    const authToken = AUTH_TOKEN_VARIABLES.some((n) => typeof env[n] === 'string' && env[n] !== '');
    const hint =
      authToken && found.apiKeySid === undefined
        ? ' Only an Auth Token is set: Access Tokens are signed with an API Key and its secret, not the Auth Token.'
        : '';
    throw new AccessTokenError(
      'ERR_MISSING_CREDENTIALS',
      `Missing Twilio credentials: set ${missing.join('; ')}.${hint}`,
      'credentials',
    );
  }
  return assertCredentials(found);
}

// Credentials objects already validated, so createAccessToken called with the same object does not
// run the SID checks again. The values are compared on every hit, so a changed object is checked anew.
const validated = new WeakMap<object, Credentials>();

/** Validates credentials; internal, used wherever credentials come in. */
export function assertCredentials(value: unknown): Credentials {
  const code = 'ERR_INVALID_CREDENTIALS';
  if (typeof value !== 'object' || value === null) {
    fail(code, 'credentials', 'an object', value);
  }
  const { accountSid, apiKeySid, apiKeySecret } = value as Partial<Credentials>;
  const known = validated.get(value);
  if (
    known !== undefined &&
    known.accountSid === accountSid &&
    known.apiKeySid === apiKeySid &&
    known.apiKeySecret === apiKeySecret
  ) {
    return known;
  }
  const account = assertSid(accountSid, 'AC', 'an Account SID', 'credentials.accountSid', code, 'prefix');
  if (isSid(apiKeySid, 'AC')) {
    fail(
      code,
      'credentials.apiKeySid',
      'an API Key SID (SK followed by 32 hex digits)',
      apiKeySid,
      'prefix',
      'That is an Account SID; Access Tokens are signed with an API Key (Twilio error 20103)',
    );
  }
  const key = assertSid(apiKeySid, 'SK', 'an API Key SID', 'credentials.apiKeySid', code, 'prefix');
  if (typeof apiKeySecret !== 'string' || apiKeySecret.length === 0) {
    fail(code, 'credentials.apiKeySecret', 'the API Key secret, a non-empty string', apiKeySecret, 'length');
  }
  const credentials = Object.freeze({ accountSid: account, apiKeySid: key, apiKeySecret });
  validated.set(value, credentials);
  return credentials;
}
