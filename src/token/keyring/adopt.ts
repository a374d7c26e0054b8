// Used by the entries that take values made through another entry (the handlers, /twilio, /probe:
// each built entry holds its own copy of the core), never by createAccessToken's path, which
// refuses another copy's keyring (own.ts). A keyring of another copy is not trusted as it is: its methods could throw, return anything, or answer differently each time. It
// is read once, through what every keyring shows (describe() and get()), and rebuilt here with
// this copy's validation; from then on only the rebuilt keyring is used.
import { AccessTokenError, isAccessTokenError } from '../../base/errors.js';
import { assertInteger, assertSid } from '../../base/validate.js';
import { KEYRING_BRAND as BRAND } from './brand.js';
import { buildKeyring, MAX_KEYS, OPTIONS_SOURCE, readKeys } from './build.js';
import type { Keyring } from './core.js';
import { isOwnKeyring } from './own.js';

const adopted = new WeakMap<Keyring, Keyring>();

// Shared by every copy of the package in one realm.
const METHODS = ['signing', 'get', 'retireAt', 'describe'] as const;

/** An own data property's value; `undefined` for an accessor, an inherited or a missing property. */
function ownValue(value: object, key: PropertyKey): unknown {
  const d = Object.getOwnPropertyDescriptor(value, key);
  return d !== undefined && 'value' in d ? d.value : undefined;
}

/**
 * Whether a value is a keyring of this copy, or a frozen object of another copy that carries the
 * keyring's brand, account, `maxTtl` and methods as its own data properties (a brand inherited from
 * a polluted prototype does not count). Never throws.
 */
function isAnyKeyring(value: unknown): value is Keyring {
  if (typeof value !== 'object' || value === null) return false;
  if (isOwnKeyring(value)) return true;
  try {
    return (
      Object.isFrozen(value) &&
      ownValue(value, BRAND) === true &&
      typeof ownValue(value, 'accountSid') === 'string' &&
      typeof ownValue(value, 'maxTtl') === 'number' &&
      METHODS.every((name) => typeof ownValue(value, name) === 'function')
    );
  } catch {
    return false; // a Proxy whose traps throw
  }
}

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

/** What a keyring of another copy shows, each value read once, from its own data properties. */
interface Shown {
  readonly accountSid: unknown;
  readonly maxTtl: unknown;
  readonly keys: unknown[];
  /** The account of each key's credentials, as get() answered. */
  readonly accounts: unknown[];
}

function rebuild(foreign: Keyring): Keyring {
  const shown = readShown(foreign);
  const accountSid = assertSid(shown.accountSid, {
    code: 'ERR_INVALID_CREDENTIALS',
    path: 'keyring.accountSid',
    prefix: 'AC',
    label: 'an Account SID',
    show: 'prefix',
  });
  const maxTtl = assertInteger(shown.maxTtl, { path: 'keyring.maxTtl', min: 1, max: 86400, show: 'value' });
  if (shown.accounts.some((account) => account !== accountSid))
    throw foreignKeyring('answered get() with credentials of another account than its accountSid');
  return buildKeyring(accountSid, readKeys(shown.keys, OPTIONS_SOURCE), maxTtl, OPTIONS_SOURCE);
}

/**
 * Reads the other copy's account, maxTtl and keys (`{ apiKeySid, apiKeySecret, signFrom? }`
 * through describe() and get()), own data properties only, at most MAX_KEYS of them: a getter, a
 * Proxy trap or a polluted prototype cannot answer twice or differently, and anything that throws
 * or answers something other than a keyring's values is one AccessTokenError.
 */
function readShown(foreign: Keyring): Shown {
  try {
    const describe = ownValue(foreign, 'describe') as () => unknown;
    const get = ownValue(foreign, 'get') as (sid: unknown) => unknown;
    const described: unknown = Reflect.apply(describe, foreign, []);
    if (!Array.isArray(described)) throw new TypeError('not an array');
    const length = (described as unknown[]).length;
    if (length > MAX_KEYS) throw new TypeError('too many keys');
    const keys: unknown[] = [];
    const accounts: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const description = ownObject((described as unknown[])[i]);
      const apiKeySid = ownValue(description, 'apiKeySid');
      const signFrom = ownValue(description, 'signFrom');
      const credentials = ownObject(Reflect.apply(get, foreign, [apiKeySid]));
      accounts.push(ownValue(credentials, 'accountSid'));
      const apiKeySecret = ownValue(credentials, 'apiKeySecret');
      keys.push(signFrom === undefined ? { apiKeySid, apiKeySecret } : { apiKeySid, apiKeySecret, signFrom });
    }
    return { accountSid: ownValue(foreign, 'accountSid'), maxTtl: ownValue(foreign, 'maxTtl'), keys, accounts };
  } catch (error) {
    if (isAccessTokenError(error)) throw error;
    throw foreignKeyring('could not be read (its describe() or get() threw or answered something other than its keys)');
  }
}

/** The one builder of this file's refusals: what the other copy's keyring did, and the fix. */
function foreignKeyring(what: string): AccessTokenError {
  return new AccessTokenError(
    'ERR_INVALID_CREDENTIALS',
    `Invalid keyring: a keyring of another copy of twilio-access-token ${what}. Create it with createKeyring`,
    'keyring',
  );
}

function ownObject(value: unknown): object {
  if (typeof value !== 'object' || value === null) throw new TypeError('not an object');
  return value;
}

/**
 * This copy's keyring when `value` is a keyring of this or another copy (rebuilt, see above), else
 * `undefined`; internal, for the handlers, /twilio and /probe.
 */
export function adoptKeyring(value: unknown): Keyring | undefined {
  return isAnyKeyring(value) ? ownKeyring(value) : undefined;
}
