import { fail } from '../../base/errors.js';
import { assertKnownKeys } from '../../base/known-keys.js';
import { resolveNow } from '../now.js';

// The options of diagnoseAccessToken, the one thing it throws for: a bad options object is the
// caller's mistake, and silently skipping it (`{ secret }` for `{ apiKeySecret }`) would report a
// token as fine without the check the caller asked for.

const KNOWN: readonly string[] = ['apiKeySecret', 'now'];

/** The options, checked: the secret when one was given, and the time in epoch seconds. */
export interface ResolvedDiagnoseOptions {
  readonly secret?: string;
  readonly now: number;
}

/**
 * Checks diagnose's options the library's one way (known keys only, each read once, a key present
 * with the value `undefined` refused, so `{ apiKeySecret: process.env.UNSET }` cannot skip the
 * signature check); an accessor is refused before anything is read, so no getter runs.
 */
export function readDiagnoseOptions(options: unknown): ResolvedDiagnoseOptions {
  if (typeof options === 'object' && options !== null) {
    for (const key of KNOWN) {
      const d = Object.getOwnPropertyDescriptor(options, key);
      if (d !== undefined && !('value' in d))
        fail({
          code: 'ERR_INVALID_OPTION',
          path: `options.${key}`,
          expected: 'a data property',
          receivedText: 'an accessor',
        });
    }
  }
  const o = assertKnownKeys<{ apiKeySecret: unknown; now: unknown }>(options, KNOWN, 'options');
  const secret = o.apiKeySecret;
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.apiKeySecret',
      expected: 'the API Key secret, a non-empty string (leave the key out to skip the signature check)',
      received: secret,
    });
  const now = resolveNow(o.now, 'options.now');
  return secret === undefined ? { now } : { secret, now };
}
