// The one piece of the keyring on the minting path: which keyrings this copy built. createKeyring
// registers each (build.ts); minting asks here, so the keyring's builder, parser and clock code are
// bundled only by an app that imports createKeyring or keyringFromEnv.
import { AccessTokenError } from '../../base/errors.js';
import { KEYRING_BRAND as BRAND } from './brand.js';
import type { Keyring } from './core.js';

/** Refuses a ttl longer than a keyring's maxTtl, with `ERR_INVALID_OPTION` at `path`. */
export type TtlCheck = (ttl: number, path: string) => void;

// Each keyring this copy built, with its ttl check: the check (and its message) comes from build.ts,
// so minting with fixed credentials does not bundle it.
const OWN = new WeakMap<object, TtlCheck>();

/** Records a keyring this copy built and its ttl check; internal, used by build.ts. */
export function registerKeyring(keyring: Keyring, checkTtl: TtlCheck): void {
  OWN.set(keyring, checkTtl);
}

/** The ttl check of a keyring this copy built; internal, used by ttl.ts. */
export function ttlCheckOf(keyring: Keyring): TtlCheck | undefined {
  return OWN.get(keyring);
}

/** Whether this copy built the value, a keyring; internal. Never throws. */
export function isOwnKeyring(value: unknown): value is Keyring {
  return typeof value === 'object' && value !== null && OWN.has(value);
}

/** Whether a value carries the keyring brand as its own property. Never throws, also for a hostile Proxy. */
function hasBrand(value: object): boolean {
  try {
    return Object.getOwnPropertyDescriptor(value, BRAND) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The keyring when `value` is one this copy built, else `undefined`; another copy's keyring is
 * refused, never read; internal.
 *
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` for a keyring of another copy.
 */
export function keyringOf(value: unknown): Keyring | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (OWN.has(value)) return value as Keyring;
  if (hasBrand(value))
    throw new AccessTokenError(
      'ERR_INVALID_CREDENTIALS',
      'Invalid keyring: a keyring from another copy of twilio-access-token (another installed version?). Create it with createKeyring or keyringFromEnv from the same import as createAccessToken',
      'keyring',
    );
  return undefined;
}

/**
 * Tells whether a value is a {@link Keyring} made by this copy of the package (createKeyring or
 * keyringFromEnv). A keyring of another copy (another installed version) is not one: passed as
 * credentials, it is refused with a message that says so.
 *
 * @param value - Anything.
 * @returns `true` for a keyring.
 *
 * @example
 * ```ts
 * import { isKeyring, keyringFromEnv } from 'twilio-access-token';
 *
 * isKeyring(keyringFromEnv()); // true
 * ```
 */
export function isKeyring(value: unknown): value is Keyring {
  return isOwnKeyring(value);
}
