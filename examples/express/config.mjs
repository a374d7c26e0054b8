// Reads the app's secrets once, at startup. A missing or placeholder value stops the process with
// one line naming the variable (never its value), instead of failing on the first request or, worse,
// signing with a value copied from a README.
import { credentialsFromEnv } from 'twilio-access-token';

/** A setting the app cannot start without; its message names the variable and never the value. */
export class ConfigError extends Error {}

// SIDs of one repeated 0 or x (AC000..., ACxxx...) and values like `...`, `<secret>`, `your_secret`
// or `changeme`: what READMEs and .env.example files show, never a real credential.
const PLACEHOLDER_SID = /^[A-Z]{2}(?:0{32}|x{32})$/i;
const PLACEHOLDER_VALUE = /\.\.\.|^<.*>$|^your[_-]|change[_-]?me|^x+$|^0+$/i;

/**
 * The Twilio credentials and the session secret from `env`.
 *
 * @param {Record<string, string | undefined>} env
 * @returns {{ credentials: import('twilio-access-token').Credentials, sessionKey: Uint8Array }}
 */
export function readConfig(env) {
  let credentials;
  try {
    credentials = credentialsFromEnv(env);
  } catch (error) {
    // The library's message names the variables it looked for and describes values by length only.
    throw new ConfigError(`Twilio credentials: ${error instanceof Error ? error.message : 'unreadable'}`);
  }
  if (PLACEHOLDER_SID.test(credentials.accountSid)) {
    throw new ConfigError('Twilio credentials: the Account SID is a placeholder; set your own');
  }
  if (PLACEHOLDER_SID.test(credentials.apiKeySid)) {
    throw new ConfigError('Twilio credentials: the API Key SID is a placeholder; set your own');
  }
  if (PLACEHOLDER_VALUE.test(credentials.apiKeySecret)) {
    throw new ConfigError('Twilio credentials: the API Key secret is a placeholder; set your own');
  }
  const appSecret = env.APP_JWT_SECRET ?? '';
  if (appSecret.length < 32 || PLACEHOLDER_VALUE.test(appSecret) || new Set(appSecret).size < 8) {
    throw new ConfigError('Set APP_JWT_SECRET to a random string of at least 32 characters (openssl rand -hex 32)');
  }
  return { credentials, sessionKey: new TextEncoder().encode(appSecret) };
}
