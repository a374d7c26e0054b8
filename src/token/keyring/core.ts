// The keyring itself: its types, the schedule, and an object that never shows a secret. Its keys
// are validated in build.ts; a keyring of another copy is refused (own.ts).
import { fail } from '../../base/errors.js';
import type { Credentials } from '../credentials.js';
import { KEYRING_BRAND as BRAND } from './brand.js';
import { type KeyTime, nowSeconds } from './time.js';

/** One API Key of a {@link Keyring}. */
export interface KeyringKey {
  /** The API Key SID, `SK...`. */
  apiKeySid: string;
  /** The API Key's secret. Never shown by the keyring. */
  apiKeySecret: string;
  /**
   * When the key starts signing: whole epoch seconds, a Date, or an ISO 8601 string. Without it the key
   * signs from the start; a key whose `signFrom` is in the future is pending.
   */
  signFrom?: KeyTime;
}

/** What {@link createKeyring} takes. */
export interface KeyringOptions {
  /** The Account SID, `AC...`, that owns every key. */
  accountSid: string;
  /** 1 to 100 keys; no SID twice, no two keys with one `signFrom`. */
  keys: readonly KeyringKey[];
  /** The longest ttl minted with this keyring, in seconds (1 to 86400). @defaultValue 86400 */
  maxTtl?: number;
}

/** One key as {@link Keyring.describe} shows it: never its secret. */
export interface KeyDescription {
  /** The API Key SID. */
  readonly apiKeySid: string;
  /** `pending` before its `signFrom`, `signing` for the key that signs now, `verifying` for older keys. */
  readonly role: 'pending' | 'signing' | 'verifying';
  /** When the key starts signing, when set. */
  readonly signFrom?: Date;
  /** When the key may be deleted in Twilio: its successor's `signFrom` plus `maxTtl`. */
  readonly retireAt?: Date;
}

/** API Keys of one account with a schedule: which key signs when, and when an old key may be deleted. */
export interface Keyring {
  /** The Account SID every key belongs to. */
  readonly accountSid: string;
  /** The longest ttl a token may be minted with through this keyring (`retireAt` counts on it), in seconds. */
  readonly maxTtl: number;
  /**
   * The credentials that sign at `now`: the key with the latest `signFrom` at or before it.
   *
   * @param now - Epoch seconds or a Date. @defaultValue the current time
   * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when every key is still pending.
   */
  signing(now?: number | Date): Credentials;
  /** The credentials of one key (its SID's hex in either case), or `undefined` when the keyring does not hold it. */
  get(apiKeySid: string): Credentials | undefined;
  /** When the key (its SID's hex in either case) may be deleted in Twilio: its successor's `signFrom` plus `maxTtl`; `undefined` for the newest key or an unknown SID. */
  retireAt(apiKeySid: string): Date | undefined;
  /** Every key, oldest first, with its role at `now`; never a secret. */
  describe(now?: number | Date): readonly KeyDescription[];
}

// Shared by every copy of the package in one realm, so another copy's keyring is recognised (own.ts).
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A key, validated: signFrom in epoch seconds (`-Infinity` when it signs from the start). */
export interface Entry {
  readonly credentials: Credentials;
  readonly from: number;
  readonly signFrom: number | undefined;
  retire: number | undefined;
}

function dateOf(seconds: number | undefined): Date | undefined {
  // Rounded: seconds from a millisecond time, times 1000, can land a hair below it.
  return seconds === undefined ? undefined : new Date(Math.round(seconds * 1000));
}

/** The keyring object over validated entries, sorted oldest first; internal, used by build.ts. */
export function keyringObject(accountSid: string, entries: readonly Entry[], maxTtl: number): Keyring {
  const signingEntry = (now: number | Date | undefined): Entry | undefined => {
    const t = nowSeconds(now);
    for (let i = entries.length - 1; i >= 0; i--) if ((entries[i] as Entry).from <= t) return entries[i];
    return undefined;
  };
  // SIDs are hex in either case (createKeyring refuses one key listed in two cases): found either way.
  const find = (sid: unknown) =>
    typeof sid === 'string'
      ? entries.find((e) => e.credentials.apiKeySid.toLowerCase() === sid.toLowerCase())
      : undefined;
  const describe = (now?: number | Date): readonly KeyDescription[] => {
    const current = signingEntry(now);
    const t = nowSeconds(now);
    return Object.freeze(
      entries.map((e) => {
        const role = e === current ? 'signing' : e.from > t ? 'pending' : 'verifying';
        const d: { -readonly [K in keyof KeyDescription]: KeyDescription[K] } = {
          apiKeySid: e.credentials.apiKeySid,
          role,
        };
        if (e.signFrom !== undefined) d.signFrom = dateOf(e.signFrom);
        if (e.retire !== undefined) d.retireAt = dateOf(e.retire);
        return Object.freeze(d);
      }),
    );
  };
  const keyring = {
    accountSid,
    maxTtl,
    signing(now?: number | Date): Credentials {
      const entry = signingEntry(now);
      if (entry !== undefined) return entry.credentials;
      return fail({
        code: 'ERR_INVALID_CREDENTIALS',
        path: 'keyring',
        expected: 'a key that signs now',
        receivedText: `no key signs yet; the earliest signFrom is ${dateOf((entries[0] as Entry).signFrom)?.toISOString()}`,
        hint: 'Give the current key no signFrom, or one in the past',
      });
    },
    get: (apiKeySid: string) => find(apiKeySid)?.credentials,
    retireAt: (apiKeySid: string) => dateOf(find(apiKeySid)?.retire),
    describe,
    toJSON: () => describe(),
    [INSPECT]: () => describe(),
  };
  Object.defineProperty(keyring, BRAND, { value: true });
  return Object.freeze(keyring);
}
