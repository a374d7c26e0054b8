// The keyring itself: validation of its keys, the schedule, and an object that never shows a secret.
import { AccessTokenError, fail } from '../base/errors.js';
import { assertKnownKeys } from '../base/known-keys.js';
import { assertSid, isSid } from '../base/validate.js';
import { warnIfAuthTokenShaped } from './auth-token.js';
import { assertCredentials, assertSecret, type Credentials } from './credentials.js';
import { type KeyTime, keyTime, nowSeconds } from './keyring-time.js';

/** One API Key of a {@link Keyring}. */
export interface KeyringKey {
  /** The API Key SID, `SK...`. */
  apiKeySid: string;
  /** The API Key's secret. Never shown by the keyring. */
  apiKeySecret: string;
  /**
   * When the key starts signing: epoch seconds, a Date, or an ISO 8601 string. Without it the key
   * signs from the start; a key whose `signFrom` is in the future is pending.
   */
  signFrom?: KeyTime;
}

/** What {@link createKeyring} takes. */
export interface KeyringOptions {
  /** The Account SID, `AC...`, that owns every key. */
  accountSid: string;
  /** At least one key; no SID twice, no two keys with one `signFrom`. */
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
  /** The credentials of one key, or `undefined` when the keyring does not hold it. */
  get(apiKeySid: string): Credentials | undefined;
  /** When the key may be deleted in Twilio: its successor's `signFrom` plus `maxTtl`; `undefined` for the newest key or an unknown SID. */
  retireAt(apiKeySid: string): Date | undefined;
  /** Every key, oldest first, with its role at `now`; never a secret. */
  describe(now?: number | Date): readonly KeyDescription[];
}

// Shared by every copy of the package in one realm, so another copy's keyring is recognised.
const BRAND = Symbol.for('twilio-access-token.Keyring');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A key, validated: signFrom in epoch seconds (`-Infinity` when it signs from the start). */
interface Entry {
  readonly credentials: Credentials;
  readonly from: number;
  readonly signFrom: number | undefined;
  retire: number | undefined;
}

/** Names for one source of keys, so errors from `TWILIO_API_KEYS` name the variable and its fields. */
export interface KeySource {
  readonly root: string;
  readonly sid: string;
  readonly secret: string;
}

export const OPTIONS_SOURCE: KeySource = { root: 'keyring.keys', sid: 'apiKeySid', secret: 'apiKeySecret' };

/**
 * Tells whether a value is a {@link Keyring}, also one made by another copy of this package.
 *
 * @param value - Anything.
 * @returns `true` for a keyring.
 */
export function isKeyring(value: unknown): value is Keyring {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as { [BRAND]?: unknown })[BRAND] === true;
  } catch {
    return false;
  }
}

/** Reads the keys array once; internal: an array (not a Proxy that throws) of at least one entry. */
export function readKeys(value: unknown, source: KeySource): unknown[] {
  const code = 'ERR_INVALID_CREDENTIALS';
  let items: unknown[] | undefined;
  try {
    items = Array.isArray(value) ? Array.from(value as unknown[]) : undefined;
  } catch {
    items = undefined;
  }
  if (items === undefined || items.length === 0)
    fail({ code, path: source.root, expected: 'an array of at least one key', received: value });
  return items;
}

/** Validates every key and builds the keyring; internal, shared with {@link keyringFromEnv}. */
export function buildKeyring(
  accountSid: string,
  items: readonly unknown[],
  maxTtl: number,
  source: KeySource,
): Keyring {
  const entries = items.map((item, i) => readEntry(accountSid, item, i, source));
  checkUnique(entries, source);
  entries.sort((a, b) => a.from - b.from);
  entries.forEach((entry, i) => {
    const next = entries[i + 1];
    entry.retire = next === undefined ? undefined : (next.from as number) + maxTtl;
  });
  return keyringObject(accountSid, Object.freeze(entries), maxTtl);
}

function readEntry(accountSid: string, item: unknown, i: number, source: KeySource): Entry {
  const path = `${source.root}[${i}]`;
  const code = 'ERR_INVALID_CREDENTIALS';
  const k = assertKnownKeys<Record<string, unknown>>(item, [source.sid, source.secret, 'signFrom'], path, code);
  if (item === undefined) fail({ code, path, expected: 'a key object', received: item });
  const sid = k[source.sid];
  if (isSid(sid, 'AC')) {
    fail({
      code,
      path: `${path}.${source.sid}`,
      expected: 'an API Key SID (SK followed by 32 hex digits)',
      received: sid,
      show: 'prefix',
      hint: 'That is an Account SID; Access Tokens are signed with an API Key (Twilio error 20103)',
    });
  }
  const apiKeySid = assertSid(sid, {
    code,
    path: `${path}.${source.sid}`,
    prefix: 'SK',
    label: 'an API Key SID',
    show: 'prefix',
  });
  const apiKeySecret = k[source.secret];
  assertSecret(apiKeySecret, `${path}.${source.secret}`);
  warnIfAuthTokenShaped(apiKeySecret);
  const signFrom = k.signFrom === undefined ? undefined : keyTime(k.signFrom, `${path}.signFrom`);
  return {
    credentials: Object.freeze({ accountSid, apiKeySid, apiKeySecret }),
    from: signFrom ?? Number.NEGATIVE_INFINITY,
    signFrom,
    retire: undefined,
  };
}

function checkUnique(entries: readonly Entry[], source: KeySource): void {
  entries.forEach((entry, i) => {
    const j = entries.findIndex((e) => e.credentials.apiKeySid === entry.credentials.apiKeySid);
    if (j !== i) {
      throw new AccessTokenError(
        'ERR_INVALID_CREDENTIALS',
        `Invalid ${source.root}[${i}].${source.sid}: the same API Key SID as ${source.root}[${j}]; list each key once`,
        `${source.root}[${i}].${source.sid}`,
      );
    }
    const t = entries.findIndex((e) => e.from === entry.from);
    if (t !== i) {
      throw new AccessTokenError(
        'ERR_INVALID_OPTION',
        `Invalid ${source.root}[${i}].signFrom: the same signFrom as ${source.root}[${t}]; give each key its own time (at most one key signs from the start)`,
        `${source.root}[${i}].signFrom`,
      );
    }
  });
}

function dateOf(seconds: number | undefined): Date | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}

function keyringObject(accountSid: string, entries: readonly Entry[], maxTtl: number): Keyring {
  const signingEntry = (now: number | Date | undefined): Entry | undefined => {
    const t = nowSeconds(now);
    for (let i = entries.length - 1; i >= 0; i--) if ((entries[i] as Entry).from <= t) return entries[i];
    return undefined;
  };
  const find = (sid: unknown) => entries.find((e) => e.credentials.apiKeySid === sid);
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
      const first = entries[0] as Entry;
      throw new AccessTokenError(
        'ERR_INVALID_CREDENTIALS',
        `Invalid keyring: no key signs yet; the earliest signFrom is ${dateOf(first.signFrom)?.toISOString()}. Give the current key no signFrom, or one in the past`,
        'keyring',
      );
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

/** Credentials, or a keyring's signing key now, validated; internal, used wherever credentials come in. */
export function resolveCredentials(value: unknown): Credentials {
  return assertCredentials(isKeyring(value) ? value.signing() : value);
}
