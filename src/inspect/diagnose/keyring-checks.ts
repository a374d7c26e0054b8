import { isoSeconds } from '../../base/time.js';
import type { Keyring } from '../../token/keyring/core.js';
import { keyNamed } from '../keyring-secret.js';
import { type Finding, finding } from './finding.js';

// With a keyring: the token's key must be one it holds, its account the keyring's, and the key not
// past its retireAt. The secret for the signature check is the key's.

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
      finding('ACCOUNT_MISMATCH', {
        path: 'payload.sub',
        received: sub,
        show: 'sid',
        expected: "the keyring's Account SID: the token belongs to another account",
      }),
    );
  if (typeof iss !== 'string') return undefined;
  const key = keyNamed(keyring, iss);
  if (key === undefined) {
    add(
      finding('UNKNOWN_KEY', {
        path: 'payload.iss',
        received: iss,
        show: 'sid',
        expected:
          'a key of the keyring: the key was deleted or is of another keyring, so the signature cannot be checked',
      }),
    );
    return undefined;
  }
  const retired = key.retireAt ?? Number.POSITIVE_INFINITY;
  const { iat, exp } = payload;
  const late = typeof exp === 'number' && exp > retired;
  if (late || (typeof iat === 'number' && iat >= retired))
    add(
      finding('KEY_RETIRED', {
        path: late ? 'payload.exp' : 'payload.iat',
        receivedText: `${late ? '' : 'at or '}after its key's retireAt, ${isoSeconds(retired)}`,
        expected:
          'a token the keyring mints: it never mints that with this key, so a retired secret signed it and verify refuses it (ERR_KEY_RETIRED)',
      }),
    );
  if (now >= retired)
    add(
      finding('KEY_PAST_RETIREMENT', {
        path: 'payload.iss',
        receivedText: `a key retired at ${isoSeconds(retired)}`,
        expected:
          "the keyring's signing key: a server still signs with the old one (plain credentials, not the keyring?)",
        hint: 'Twilio accepts it until the key is deleted',
      }),
    );
  return key.secret;
}
