// The secret for a token from a keyring: the key its `iss` names, of the keyring's account.
import { fail } from '../base/errors.js';
import type { Signer } from '../crypto/signer.js';
import type { Keyring } from '../token/keyring/core.js';
import { keyringOf } from '../token/keyring/own.js';
import { resolveAllowBrowser } from '../token/options.js';
import type { AccessTokenPayload } from './decode.js';
import { resolveNow } from './now.js';

/** The options that name the secret: one of the two. */
interface SecretOptions {
  readonly apiKeySecret?: unknown;
  readonly keyring?: unknown;
}

/** What verify and diagnose read alike, from their options snapshot. */
interface SourceOptions extends SecretOptions {
  readonly now?: unknown;
  readonly dangerouslyAllowBrowser?: unknown;
}

/**
 * The options verify and diagnose share, read one way: exactly one of `apiKeySecret` and `keyring`
 * (a keyring this copy built), the runtime rule when a secret is at stake (`/web` in a page needs
 * `dangerouslyAllowBrowser`), and `now` in epoch seconds.
 */
export function readSecretSource(
  o: SourceOptions,
  signer: Pick<Signer<string | Promise<string>, boolean | Promise<boolean>>, 'assertRuntime'>,
): { readonly keyring: Keyring | undefined; readonly now: number } {
  const keyring = assertOneSecretSource(o);
  const allowBrowser = resolveAllowBrowser(o.dangerouslyAllowBrowser, 'options.dangerouslyAllowBrowser');
  // Without a secret nothing secret is at stake (diagnose needs none).
  if (o.apiKeySecret !== undefined || keyring !== undefined) signer.assertRuntime(allowBrowser);
  return { keyring, now: resolveNow(o.now, 'options.now') };
}

/** Fails unless exactly one of `apiKeySecret` and `keyring` is given, and the keyring is one. */
function assertOneSecretSource(o: SecretOptions): Keyring | undefined {
  const hasSecret = o.apiKeySecret !== undefined;
  const hasKeyring = o.keyring !== undefined;
  if (hasSecret && hasKeyring)
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.keyring',
      expected: 'exactly one of apiKeySecret and keyring',
      receivedText: 'both',
    });
  if (!hasKeyring) return undefined;
  const keyring = keyringOf(o.keyring);
  if (keyring === undefined)
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.keyring',
      expected: 'a keyring from createKeyring',
      received: o.keyring,
    });
  return keyring;
}

/** The key a keyring picked for a token: its secret, and when it retires (epoch seconds). */
export interface KeyringKeyChoice {
  readonly secret: string;
  readonly retireAt: number | undefined;
}

/** The keyring's key that `iss` names, or `undefined` when it holds none; internal, shared with diagnose. */
export function keyNamed(keyring: Keyring, iss: string): KeyringKeyChoice | undefined {
  const credentials = keyring.get(iss);
  const retireAt = keyring.retireAt(iss);
  if (credentials === undefined) return undefined;
  return { secret: credentials.apiKeySecret, retireAt: retireAt === undefined ? undefined : retireAt.getTime() / 1000 };
}

/**
 * The keyring's key for the token: its `iss` must be a key the keyring holds, its `sub` the
 * keyring's account (`ERR_UNKNOWN_KEY` otherwise).
 */
export function keyringKey(keyring: Keyring, payload: Pick<AccessTokenPayload, 'iss' | 'sub'>): KeyringKeyChoice {
  const key = keyNamed(keyring, payload.iss);
  if (key === undefined)
    fail({
      code: 'ERR_UNKNOWN_KEY',
      path: 'payload.iss',
      expected: 'an API Key SID the keyring holds',
      received: payload.iss,
      show: 'sid',
      hint: 'The token was signed with a key this keyring does not hold (deleted, or another keyring)',
    });
  if (payload.sub !== keyring.accountSid)
    fail({
      code: 'ERR_UNKNOWN_KEY',
      path: 'payload.sub',
      expected: "the keyring's Account SID",
      received: payload.sub,
      show: 'sid',
      hint: 'The token belongs to another account (Twilio error 20103)',
    });
  return key;
}
