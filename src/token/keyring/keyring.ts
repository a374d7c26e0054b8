// Key rotation: a keyring of API Keys with a schedule, accepted wherever credentials are.
import { fail } from '../../base/errors.js';
import { readKnownKeys, refuseUndefinedOptional } from '../../base/known-keys.js';
import { assertInteger, assertSid } from '../../base/validate.js';
import { buildKeyring, OPTIONS_SOURCE, readKeys } from './build.js';
import type { Keyring, KeyringOptions } from './core.js';

export type { KeyDescription, Keyring, KeyringKey, KeyringOptions } from './core.js';
export { keyringFromEnv } from './env.js';
export { isKeyring } from './own.js';
export type { KeyTime } from './time.js';

const OPTION_KEYS: readonly string[] = ['accountSid', 'keys', 'maxTtl'];

/**
 * Creates a keyring: API Keys of one account with a schedule, accepted wherever credentials are.
 * Minting resolves it per token, so a pending key takes over at its `signFrom` without a restart;
 * verifying picks the secret by the token's `iss`. It never shows a secret: `describe()`,
 * `JSON.stringify`, `util.inspect` and every error are free of them.
 *
 * @param options - The account, its keys and the longest ttl minted.
 * @returns A frozen keyring.
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` for a malformed SID or secret, no keys,
 *   or a SID twice; `ERR_INVALID_OPTION` for a bad `signFrom` or `maxTtl`, two keys with one
 *   `signFrom`, or an unknown option.
 *
 * @example
 * ```ts
 * import { createKeyring, createAccessToken, videoGrant } from 'twilio-access-token';
 *
 * const keyring = createKeyring({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   keys: [
 *     { apiKeySid: process.env.OLD_KEY_SID!, apiKeySecret: process.env.OLD_KEY_SECRET! },
 *     { apiKeySid: process.env.NEW_KEY_SID!, apiKeySecret: process.env.NEW_KEY_SECRET!, signFrom: '2026-12-01T00:00:00Z' },
 *   ],
 * });
 * const token = createAccessToken('alice', videoGrant(), { credentials: keyring });
 * ```
 */
export function createKeyring(options: KeyringOptions): Keyring {
  // A required field present as `undefined` fails as a missing one does (ERR_INVALID_CREDENTIALS,
  // never a hint to omit it); only the optional maxTtl is refused for being present and undefined.
  const o = readKnownKeys<KeyringOptions>(
    options,
    OPTION_KEYS,
    'keyring',
    'ERR_INVALID_OPTION',
    refuseUndefinedOptional(['maxTtl'], 'keyring'),
  );
  if (options === undefined)
    fail({ code: 'ERR_INVALID_OPTION', path: 'keyring', expected: 'an options object', received: options });
  const accountSid = assertSid(o.accountSid, {
    code: 'ERR_INVALID_CREDENTIALS',
    path: 'keyring.accountSid',
    prefix: 'AC',
    label: 'an Account SID',
    show: 'prefix',
  });
  const maxTtl =
    o.maxTtl === undefined
      ? 86400
      : assertInteger(o.maxTtl, { path: 'keyring.maxTtl', min: 1, max: 86400, show: 'value' });
  return buildKeyring(accountSid, readKeys(o.keys, OPTIONS_SOURCE), maxTtl, OPTIONS_SOURCE);
}
