// A keyring of another copy of the package (ESM and CJS side by side, or two versions) is not
// trusted as it is: its methods could throw, return anything, or answer differently each time. It
// is read once, through what every keyring shows (describe() and get()), and rebuilt here with
// this copy's validation; from then on only the rebuilt keyring is used.
import { AccessTokenError, isAccessTokenError } from '../base/errors.js';
import { assertInteger, assertSid } from '../base/validate.js';
import { assertCredentials, type Credentials } from './credentials.js';
import { buildKeyring, type KeySource } from './keyring-build.js';
import { isKeyring, isOwnKeyring, type KeyDescription, type Keyring } from './keyring-core.js';

const ADOPTED_SOURCE: KeySource = { root: 'keyring.keys', sid: 'apiKeySid', secret: 'apiKeySecret' };
const adopted = new WeakMap<Keyring, Keyring>();

/**
 * This copy's keyring for a keyring: itself when this copy built it, else the other copy's keys
 * rebuilt and validated (once per keyring; keyrings are frozen); internal.
 *
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when the other copy's keyring cannot be
 *   read or holds what this copy would refuse; `ERR_INVALID_OPTION` for a bad `maxTtl` or `signFrom`.
 */
export function ownKeyring(keyring: Keyring): Keyring {
  if (isOwnKeyring(keyring)) return keyring;
  let own = adopted.get(keyring);
  if (own === undefined) {
    own = rebuild(keyring);
    adopted.set(keyring, own);
  }
  return own;
}

function rebuild(foreign: Keyring): Keyring {
  const accountSid = assertSid(foreign.accountSid, {
    code: 'ERR_INVALID_CREDENTIALS',
    path: 'keyring.accountSid',
    prefix: 'AC',
    label: 'an Account SID',
    show: 'prefix',
  });
  const maxTtl = assertInteger(foreign.maxTtl, { path: 'keyring.maxTtl', min: 1, max: 86400, show: 'value' });
  return buildKeyring(accountSid, readForeignKeys(foreign, accountSid), maxTtl, ADOPTED_SOURCE);
}

/** The keys as `{ apiKeySid, apiKeySecret, signFrom? }`, read through describe() and get(). */
function readForeignKeys(foreign: Keyring, accountSid: string): unknown[] {
  try {
    const described: unknown = foreign.describe();
    if (!Array.isArray(described) || described.length === 0) throw new TypeError('no keys');
    return Array.from(described as readonly KeyDescription[], (description) => {
      const { apiKeySid, signFrom } = description;
      const credentials: Partial<Credentials> | undefined = foreign.get(apiKeySid);
      if (credentials?.accountSid !== accountSid) throw new TypeError('another account');
      return { apiKeySid, apiKeySecret: credentials.apiKeySecret, ...(signFrom === undefined ? {} : { signFrom }) };
    });
  } catch (error) {
    if (isAccessTokenError(error)) throw error;
    throw new AccessTokenError(
      'ERR_INVALID_CREDENTIALS',
      'Invalid keyring: a keyring of another copy of twilio-access-token could not be read (its describe() or get() threw or answered something other than its keys). Create it with createKeyring',
      'keyring',
    );
  }
}

/** Credentials, or a keyring's signing key now, validated; internal, used wherever credentials come in. */
export function resolveCredentials(value: unknown): Credentials {
  return isKeyring(value) ? ownKeyring(value).signing() : assertCredentials(value);
}

/** This copy's keyring when `value` is a keyring, else `undefined`; internal. */
export function keyringOf(value: unknown): Keyring | undefined {
  return isKeyring(value) ? ownKeyring(value) : undefined;
}
