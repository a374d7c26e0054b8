// Building a keyring: every key validated (SID, secret, signFrom), no SID or signFrom twice, and
// each key's retireAt from its successor's signFrom.
import { AccessTokenError, fail } from '../base/errors.js';
import { assertKnownKeys } from '../base/known-keys.js';
import { assertSid, isSid } from '../base/validate.js';
import { warnIfAuthTokenShaped } from './auth-token.js';
import { assertSecret } from './credentials.js';
import { type Entry, type Keyring, keyringObject } from './keyring-core.js';
import { keyTime } from './keyring-time.js';

/** Names for one source of keys, so errors from `TWILIO_API_KEYS` name the variable and its fields. */
export interface KeySource {
  readonly root: string;
  readonly sid: string;
  readonly secret: string;
}

export const OPTIONS_SOURCE: KeySource = { root: 'keyring.keys', sid: 'apiKeySid', secret: 'apiKeySecret' };

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
