// keyringFromEnv: TWILIO_API_KEYS (a JSON array of keys), else the single-key variables.
import { fail, isThenable } from '../../base/errors.js';
import { assertSid } from '../../base/validate.js';
import { AUTH_TOKEN_VARIABLES, refuseAuthTokenSecret } from '../auth-token.js';
import {
  CREDENTIAL_VARIABLES,
  type Credentials,
  credentialsFromEnv,
  type EnvironmentVariables,
  missingCredentials,
  processEnv,
  readOnce,
} from '../credentials.js';
import { buildKeyring, type KeySource, readKeys } from './build.js';
import type { Keyring } from './core.js';

/** The variable {@link keyringFromEnv} reads the keys from. */
const KEYS_VARIABLE = 'TWILIO_API_KEYS';
const ENV_SOURCE: KeySource = { root: KEYS_VARIABLE, sid: 'sid', secret: 'secret' };

/**
 * Reads a keyring from environment variables. `TWILIO_API_KEYS` holds a JSON array of
 * `{ "sid", "secret", "signFrom"? }` (`signFrom` as epoch seconds or ISO 8601), with the account
 * from `TWILIO_ACCOUNT_SID` or `ACCOUNT_SID`; without it, the single-key variables of
 * `credentialsFromEnv` make a one-key keyring.
 *
 * @param env - Where to read. @defaultValue `process.env`
 * @returns A keyring.
 * @throws {@link AccessTokenError} `ERR_MISSING_CREDENTIALS` when no account SID or no keys are set;
 *   `ERR_INVALID_CREDENTIALS` when `TWILIO_API_KEYS` is not valid JSON of keys (the message names
 *   the variable, never its value), or a key is malformed.
 *
 * @example
 * ```ts
 * import { keyringFromEnv } from 'twilio-access-token';
 *
 * // TWILIO_API_KEYS='[{"sid":"SK...","secret":"..."},{"sid":"SK...","secret":"...","signFrom":"2026-12-01T00:00:00Z"}]'
 * const keyring = keyringFromEnv();
 * ```
 */
export function keyringFromEnv(env: EnvironmentVariables | object = processEnv()): Keyring {
  if (typeof env !== 'object' || env === null || isThenable(env))
    fail({ code: 'ERR_INVALID_OPTION', path: 'env', expected: 'an object of environment variables', received: env });
  const get = readOnce(env);
  const json = get(KEYS_VARIABLE);
  if (json === undefined) {
    const credentials = credentialsFromEnv(env);
    return buildKeyring(
      credentials.accountSid,
      [{ sid: credentials.apiKeySid, secret: credentials.apiKeySecret }],
      86400,
      ENV_SOURCE,
    );
  }
  const accountName = CREDENTIAL_VARIABLES.accountSid.find((n) => get(n) !== undefined);
  if (accountName === undefined) {
    throw missingCredentials(
      `${KEYS_VARIABLE} is set; set the account too (${CREDENTIAL_VARIABLES.accountSid.join(', ')}).`,
    );
  }
  const accountSid = assertSid(get(accountName), {
    code: 'ERR_INVALID_CREDENTIALS',
    path: accountName,
    prefix: 'AC',
    label: 'an Account SID',
    show: 'prefix',
  });
  const items = readKeys(parseKeys(json), ENV_SOURCE);
  for (const [i, item] of items.entries()) {
    const secret = typeof item === 'object' && item !== null ? (item as { secret?: unknown }).secret : undefined;
    if (typeof secret === 'string') refuseAuthTokenSecret(get, `${KEYS_VARIABLE}[${i}].secret`, secret);
  }
  return buildKeyring(accountSid, items, 86400, ENV_SOURCE);
}

/** Parses the variable; a failure names the variable and the position, never the value. */
function parseKeys(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return fail({
      code: 'ERR_INVALID_CREDENTIALS',
      path: KEYS_VARIABLE,
      expected: 'a JSON array of {"sid", "secret", "signFrom"?}',
      receivedText: `a string of ${json.length} characters that is not valid JSON`,
    });
  }
}

// The keyring of the last TWILIO_API_KEYS seen, kept while every variable keyringFromEnv reads is
// the same (the keys, the account, and the Auth Tokens a secret must not equal): parsing and
// validating the keys once, not per token, and one minter per keyring.
let lastKeys: { readonly read: string; readonly keyring: Keyring } | undefined;

/**
 * What signs when no credentials are given: the keyring of `TWILIO_API_KEYS` when that variable is
 * set (a rotation set up in the environment is never silently ignored), else the single key of
 * {@link credentialsFromEnv}; internal, used by the handlers and the CLI (createAccessToken refuses
 * TWILIO_API_KEYS when no credentials are given: default-credentials.ts).
 *
 * @param env - Where to read. @defaultValue `process.env`
 * @returns Credentials, or a keyring.
 */
export function envSigningSource(env: EnvironmentVariables = processEnv()): Credentials | Keyring {
  if (typeof env !== 'object' || env === null || isThenable(env)) return credentialsFromEnv(env);
  const get = readOnce(env);
  const json = get(KEYS_VARIABLE);
  if (json === undefined) return credentialsFromEnv(env);
  // JSON.stringify keeps unset apart from empty and no value can run into the next one.
  const read = JSON.stringify([json, ...[...CREDENTIAL_VARIABLES.accountSid, ...AUTH_TOKEN_VARIABLES].map(get)]);
  if (lastKeys?.read !== read) lastKeys = { read, keyring: keyringFromEnv(env) };
  return lastKeys.keyring;
}
