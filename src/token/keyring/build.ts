// Building a keyring: every key validated (SID, secret, signFrom), no SID or signFrom twice, and
// each key's retireAt from its successor's signFrom.
import { fail, isAccessTokenError } from '../../base/errors.js';
import { readKnownKeys, refuseUndefinedOptional } from '../../base/known-keys.js';
import { warnIfAuthTokenShaped } from '../auth-token.js';
import { assertApiKeySid, assertSecret } from '../credentials.js';
import { type Entry, type Keyring, keyringObject } from './core.js';
import { registerKeyring, type TtlCheck } from './own.js';
import { keyTime } from './time.js';

/** Names for one source of keys, so errors from `TWILIO_API_KEYS` name the variable and its fields. */
export interface KeySource {
  readonly root: string;
  readonly sid: string;
  readonly secret: string;
}

export const OPTIONS_SOURCE: KeySource = { root: 'keyring.keys', sid: 'apiKeySid', secret: 'apiKeySecret' };

/** The most keys a keyring holds: a rotation needs two or three; a bound keeps validation cheap. */
export const MAX_KEYS = 100;

/**
 * Reads the keys array once, by index (not through an iterator a polluted prototype could
 * replace); internal: an array of 1 to {@link MAX_KEYS} entries, or an AccessTokenError.
 */
export function readKeys(value: unknown, source: KeySource): unknown[] {
  const code = 'ERR_INVALID_CREDENTIALS';
  const expected = `an array of 1 to ${MAX_KEYS} keys`;
  let items: unknown[] | undefined;
  try {
    const length = Array.isArray(value) ? (value as unknown[]).length : 0;
    if (length > MAX_KEYS) fail({ code, path: source.root, expected, receivedText: `an array of ${length} keys` });
    items = [];
    for (let i = 0; i < length; i++) items.push((value as unknown[])[i]);
  } catch (error) {
    if (isAccessTokenError(error)) throw error;
    items = undefined;
  }
  if (items === undefined || items.length === 0) fail({ code, path: source.root, expected, received: value });
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
  const keyring = keyringObject(accountSid, Object.freeze(entries), maxTtl);
  registerKeyring(keyring, maxTtlCheck(maxTtl));
  return keyring;
}

/** A keyring's ttl check: a token living longer than maxTtl would outlive its key's retireAt. */
function maxTtlCheck(max: number): TtlCheck {
  return (ttl, path) => {
    if (ttl > max) {
      fail({
        code: 'ERR_INVALID_OPTION',
        path,
        expected: `at most the keyring's maxTtl, ${max} (its retireAt counts on it)`,
        received: ttl,
        show: 'value',
        hint: 'Mint shorter tokens, or create the keyring with a larger maxTtl (at most 86400)',
      });
    }
  };
}

function readEntry(accountSid: string, item: unknown, i: number, source: KeySource): Entry {
  const path = `${source.root}[${i}]`;
  const code = 'ERR_INVALID_CREDENTIALS';
  // The SID and secret are required: present as `undefined` they fail as missing ones do; only
  // the optional signFrom is refused for being present and undefined.
  const k = readKnownKeys<Record<string, unknown>>(
    item,
    [source.sid, source.secret, 'signFrom'],
    path,
    code,
    refuseUndefinedOptional(['signFrom'], path),
  );
  if (item === undefined) fail({ code, path, expected: 'a key object', received: item });
  const apiKeySid = assertApiKeySid(k[source.sid], `${path}.${source.sid}`);
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
    // Hex in either case names the same key: SKbbbb… and SKBBBB… are one key listed twice.
    const sid = entry.credentials.apiKeySid.toLowerCase();
    const j = entries.findIndex((e) => e.credentials.apiKeySid.toLowerCase() === sid);
    const t = entries.findIndex((e) => e.from === entry.from);
    const at = `${source.root}[${i}]`;
    if (j !== i)
      fail({
        code: 'ERR_INVALID_CREDENTIALS',
        path: `${at}.${source.sid}`,
        expected: 'a key listed once',
        receivedText: `the same API Key SID as ${source.root}[${j}]`,
      });
    if (t !== i)
      fail({
        code: 'ERR_INVALID_OPTION',
        path: `${at}.signFrom`,
        expected: 'a time of its own (at most one key signs from the start)',
        receivedText: `the same signFrom as ${source.root}[${t}]`,
      });
  });
}
