import { AccessTokenError, fail } from '../../base/errors.js';
import { assertKnownKeys, isPlainObject } from '../../base/known-keys.js';
import type { Signer } from '../../crypto/signer.js';
import type { Keyring } from '../../token/keyring/core.js';
import { readSecretSource } from '../keyring-secret.js';

// The options of diagnoseAccessToken, the one thing it throws for: a bad options object is the
// caller's mistake, and silently skipping it (`{ secret }` for `{ apiKeySecret }`) would report a
// token as fine without the check the caller asked for.

const KNOWN: readonly string[] = ['apiKeySecret', 'keyring', 'now', 'dangerouslyAllowBrowser'];

/** The options, checked: the secret when one was given, and the time in epoch seconds. */
export interface ResolvedDiagnoseOptions {
  readonly secret?: string;
  /** The keyring, when one was given: the token's `iss` picks the secret. */
  readonly keyring?: Keyring;
  readonly now: number;
}

/**
 * Checks diagnose's options the library's one way (known keys only, each read once, a key present
 * with the value `undefined` refused, so `{ apiKeySecret: process.env.UNSET }` cannot skip the
 * signature check); an accessor is refused before anything is read, so no getter runs. A secret
 * is checked with the signer's runtime rule: `/web` in a page needs `dangerouslyAllowBrowser`.
 */
export function readDiagnoseOptions(
  options: unknown,
  signer: Pick<Signer<string | Promise<string>, boolean | Promise<boolean>>, 'assertRuntime'>,
): ResolvedDiagnoseOptions {
  refuseAccessors(options);
  const o = assertKnownKeys<{
    apiKeySecret: unknown;
    keyring: unknown;
    now: unknown;
    dangerouslyAllowBrowser: unknown;
  }>(options, KNOWN, 'options');
  const secret = o.apiKeySecret;
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.apiKeySecret',
      expected: 'the API Key secret, a non-empty string (leave the key out to skip the signature check)',
      received: secret,
    });
  const { keyring, now } = readSecretSource(o, signer);
  if (keyring !== undefined) return { keyring, now };
  return secret === undefined ? { now } : { secret, now };
}

/** Fails for a known option defined as an accessor, before any getter runs. */
function refuseAccessors(options: unknown): void {
  if (!isPlainObject(options)) return;
  for (const key of KNOWN) {
    let d: PropertyDescriptor | undefined;
    try {
      d = Object.getOwnPropertyDescriptor(options, key);
    } catch (error) {
      if (error instanceof AccessTokenError) throw error;
      fail({
        code: 'ERR_INVALID_OPTION',
        path: 'options',
        expected: 'an options object',
        receivedText: 'an object whose properties cannot be read',
      });
    }
    if (d !== undefined && !('value' in d))
      fail({
        code: 'ERR_INVALID_OPTION',
        path: `options.${key}`,
        expected: 'a data property',
        receivedText: 'an accessor',
      });
  }
}
