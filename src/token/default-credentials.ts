import {
  type Credentials,
  credentialsFromEnv,
  type EnvironmentVariables,
  missingCredentials,
  processEnv,
  readOnce,
} from './credentials.js';

/**
 * What signs when no credentials are given to `createAccessToken`: the single key of
 * {@link credentialsFromEnv}. `TWILIO_API_KEYS` holds a keyring, which this path does not parse:
 * set, it is refused, never ignored (a rotation set up in the environment must not be dropped
 * silently). Internal.
 */
export function defaultCredentials(env: EnvironmentVariables = processEnv()): Credentials {
  if (typeof env === 'object' && env !== null && readOnce(env)('TWILIO_API_KEYS') !== undefined)
    throw missingCredentials(
      "TWILIO_API_KEYS holds a keyring, read only when passed: pass credentials: keyringFromEnv() from 'twilio-access-token'.",
    );
  return credentialsFromEnv(env);
}
