import { describe, fail } from '../base/errors.js';
import { dateValue, MILLISECONDS, SECONDS_NOT_MS } from '../base/time.js';
import { assertInteger } from '../base/validate.js';

import { ALGORITHMS, type Algorithm } from '../crypto/algorithms.js';
import type { Credentials } from './credentials.js';
import type { Keyring } from './keyring/core.js';

export { MILLISECONDS, SECONDS_NOT_MS } from '../base/time.js';
export { ALGORITHMS, type Algorithm } from '../crypto/algorithms.js';

/** Options of {@link createAccessToken}. */
export interface AccessTokenOptions {
  /**
   * The credentials to sign with, or a {@link Keyring}: its signing key at the time of each token.
   * Without it, the single-key variables are read; `TWILIO_API_KEYS` is then refused, not read:
   * pass `credentials: keyringFromEnv()` to sign with the keyring it holds.
   * @defaultValue `credentialsFromEnv(process.env)`
   */
  credentials?: Credentials | Keyring;
  /**
   * Lifetime in seconds, an integer from 1 to 86400 (24 h, Twilio's maximum).
   * @defaultValue 3600
   */
  ttl?: number;
  /** Not-before: epoch seconds (an integer, 0 or more) or a Date, floored to whole seconds. */
  nbf?: number | Date;
  /** The Twilio region the token is for, such as `'us1'`, `'ie1'` or `'au1'`: the header `twr`. */
  region?: string;
  /**
   * The signing algorithm.
   * @defaultValue `'HS256'`
   */
  algorithm?: Algorithm;
  /**
   * Lets `twilio-access-token/web` mint where `document` exists (a browser page). It refuses by
   * default: minting needs the API Key secret, and a secret in a page ships to every visitor, who
   * can then mint tokens for any identity. Fetch tokens from your server instead
   * (`twilio-access-token/client`); set this only for a page that is never public, such as a test
   * page. The main entry never runs in a browser, whatever this says.
   * @defaultValue `false`
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Options of `createTokenMinter`: those of `createAccessToken`, with credentials required. */
export interface TokenMinterOptions extends AccessTokenOptions {
  /**
   * The credentials every token is signed with, or a {@link Keyring} resolved per token (a pending
   * key takes over at its `signFrom`); a minter never reads them from the environment.
   */
  credentials: Credentials | Keyring;
}

/** Per-token overrides a minter from {@link createTokenMinter} accepts. */
export interface TokenMinterOverrides {
  /** Lifetime in seconds for this token, an integer from 1 to 86400. */
  ttl?: number;
  /** Not-before for this token: epoch seconds or a Date. */
  nbf?: number | Date;
}

/** The option keys {@link createAccessToken} knows. */
export const OPTION_KEYS = ['credentials', 'ttl', 'nbf', 'region', 'algorithm', 'dangerouslyAllowBrowser'] as const;
/** The override keys a minter knows. */
export const OVERRIDE_KEYS = ['ttl', 'nbf'] as const;

/** Twilio's maximum Access Token lifetime: 24 hours (Twilio error 20157 beyond it). */
export const MAX_TTL = 86_400;
/** The default lifetime: one hour. */
export const DEFAULT_TTL = 3600;

const REGION = /^[a-z]{2}[0-9]$/;

/** Validates a ttl, `undefined` giving `fallback`. */
export function resolveTtl(value: unknown, fallback: number, path: string): number {
  return value === undefined ? fallback : assertInteger(value, { path, min: 1, max: MAX_TTL, show: 'value' });
}

/** Validates an nbf and returns epoch seconds, or `undefined` when not set. */
export function resolveNbf(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  // A real Date's time value, read once past any getTime a subclass defines; a fake Date is not one.
  const ms = dateValue(value);
  const seconds = ms === undefined ? value : Math.floor(ms / 1000);
  const problem =
    ms !== undefined && !(ms >= 0) // NaN included
      ? 'a valid Date from 1970 on'
      : typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0
        ? 'epoch seconds (an integer, 0 or more) or a Date'
        : seconds >= MILLISECONDS
          ? ms === undefined
            ? SECONDS_NOT_MS
            : 'a Date before the year 5138'
          : undefined;
  if (problem !== undefined) invalid(path, problem, value);
  return seconds as number;
}

/** Fails with `ERR_INVALID_OPTION` at `path`: `expected` a phrase, `received` shown as a value may be. */
function invalid(path: string, expected: string, received: unknown): never {
  return fail('ERR_INVALID_OPTION', path, expected, describe(received, 'value'));
}

/** Fails when a token would never be valid: its nbf not before its exp. */
export function assertNbfBeforeExp(nbf: number | undefined, exp: number, path: string): void {
  if (nbf !== undefined && nbf >= exp) invalid(path, `a time before exp (${exp})`, nbf);
}

/** Validates a region. */
export function resolveRegion(value: unknown, path: string): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || !REGION.test(value)))
    invalid(path, "a Twilio region such as 'us1', 'ie1' or 'au1'", value);
  return value;
}

/** Validates an algorithm. */
export function resolveAlgorithm(value: unknown, path: string): Algorithm {
  if (value === undefined) return 'HS256';
  if (!ALGORITHMS.includes(value as Algorithm)) invalid(path, "'HS256', 'HS384' or 'HS512'", value);
  return value as Algorithm;
}

/** Validates `dangerouslyAllowBrowser`: a real boolean when given. */
export function resolveAllowBrowser(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') invalid(path, 'a boolean', value);
  return value;
}
