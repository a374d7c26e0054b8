import { MAX_SHOWN } from '../../base/errors.js';
import { isoSeconds } from '../../base/time.js';
import type { Keyring } from '../../token/keyring/core.js';
import { type Finding, finding } from './finding.js';

// With a keyring: the token's key must be one it holds, its account the keyring's, and the key not
// past its retireAt. The secret for the signature check is the key's.

/** A SID as a message may show it: its two-letter prefix and length when longer than 8 characters. */
function sidText(value: string): string {
  if (value.length <= MAX_SHOWN) return JSON.stringify(value);
  const prefix = /^[A-Z]{2}/.test(value) ? ` starting with "${value.slice(0, 2)}"` : '';
  return `a string of ${value.length} characters${prefix}`;
}

/**
 * Adds the keyring's findings and returns the secret of the key the token names, for the
 * signature check; `undefined` when the keyring does not hold it (or `iss` is not a string).
 */
export function checkKeyring(
  payload: Record<string, unknown>,
  keyring: Keyring,
  now: number,
  add: (f: Finding) => void,
): string | undefined {
  const iss = Object.hasOwn(payload, 'iss') ? payload.iss : undefined;
  const sub = Object.hasOwn(payload, 'sub') ? payload.sub : undefined;
  if (typeof sub === 'string' && sub !== keyring.accountSid)
    add(
      finding(
        'ACCOUNT_MISMATCH',
        `The subject (sub), ${sidText(sub)}, is not the keyring's account: the token belongs to another account`,
        'payload.sub',
      ),
    );
  if (typeof iss !== 'string') return undefined;
  const credentials = keyring.get(iss);
  if (credentials === undefined) {
    add(
      finding(
        'UNKNOWN_KEY',
        `The issuer (iss), ${sidText(iss)}, is not a key in the keyring: the key was deleted or belongs to another keyring, so the signature cannot be checked`,
        'payload.iss',
      ),
    );
    return undefined;
  }
  const retireAt = keyring.retireAt(iss);
  const retired = retireAt === undefined ? undefined : retireAt.getTime() / 1000;
  const { iat, exp } = payload;
  if (
    retired !== undefined &&
    ((typeof iat === 'number' && iat >= retired) || (typeof exp === 'number' && exp > retired))
  )
    add(
      finding(
        'KEY_RETIRED',
        `The token was issued at or after its key's retireAt, ${isoSeconds(retired)}, or expires after it: the keyring never mints that with this key, so a retired secret signed it and verify refuses it (ERR_KEY_RETIRED)`,
        typeof exp === 'number' && exp > retired ? 'payload.exp' : 'payload.iat',
      ),
    );
  if (retireAt !== undefined && now >= retireAt.getTime() / 1000)
    add(
      finding(
        'KEY_PAST_RETIREMENT',
        `The signing key was retired at ${isoSeconds(retireAt.getTime() / 1000)}: a server still signs with the old key (perhaps with plain credentials instead of the keyring). Twilio accepts it until the key is deleted`,
        'payload.iss',
      ),
    );
  return credentials.apiKeySecret;
}
