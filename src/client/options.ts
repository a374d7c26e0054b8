// The provider's options, read the one safe way in few bytes (the client entry weighs about 2.4 kB
// against a 2 kB target; the main entry's shared reader alone costs more than 1 kB): a non-null
// object whose own enumerable keys are all known, each read once into a null-prototype copy (a polluted
// Object.prototype changes nothing), each of the right type. A key present with the value
// `undefined` is refused like any other wrong type (`identity: session.user?.id` must not turn the
// identity check off).

import { BRAND } from '../base/error-brand.js';
import type { AccessTokenError, AccessTokenErrorJSON } from '../base/errors.js';
import type { RetryOptions, TokenProviderOptions } from './types.js';

/**
 * Each known key and what it must be, as a phrase that holds the `typeof` names it accepts
 * (`'an object or a function'`): no phrase holds `undefined`, and null is refused everywhere.
 */
export type Shape = Readonly<Record<string, string>>;

/**
 * An `AccessTokenError` with the code `ERR_INVALID_OPTION`, as the main entry's class makes one (own
 * `name`, `code` and `path`; `toJSON`; the brand that `isAccessTokenError` and `instanceof
 * AccessTokenError` read), without bundling that class into /client: its cross-copy `instanceof`
 * serves only the entries that export it.
 */
class InvalidOption extends Error implements AccessTokenError {
  override name = 'AccessTokenError';
  readonly code = 'ERR_INVALID_OPTION';
  readonly path: string;
  declare [BRAND]: true;

  constructor(path: string, text: string) {
    super(`Invalid ${path}: ${text}`);
    this.path = path;
  }

  toJSON(): AccessTokenErrorJSON {
    // Its own enumerable keys are name, code and path, in that order.
    return { ...this, message: this.message };
  }
}
InvalidOption.prototype[BRAND] = true;

/**
 * Creates the error of a bad option.
 *
 * @param path - The option, such as `options.refreshAt`.
 * @param text - What is wrong, after `Invalid <path>: `.
 * @returns An `ERR_INVALID_OPTION` error.
 */
export const invalid = (path: string, text: string): AccessTokenError => new InvalidOption(path, text);

/**
 * Checks one value: its type (or a condition), else the error says what was expected and what was
 * received: a number as written, else its type (never a caller's string: it may be a secret in the
 * wrong place).
 *
 * @param path - Where the value is, such as `options.refreshAt`.
 * @param value - What it was.
 * @param wanted - What it must be, as a phrase that holds the `typeof` names it accepts
 *   (`'an object or a function'`).
 * @param ok - Whether it is right; by default, whether `wanted` names its type (null is never right).
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`: `Invalid <path>: expected <wanted>, received <value>`.
 */
export const check = (
  path: string,
  value: unknown,
  wanted: string,
  ok = value !== null && value !== '' && wanted.includes(typeof value),
): void => {
  if (!ok)
    throw invalid(
      path,
      `expected ${wanted}, received ${value === '' ? '""' : value === null || typeof value === 'number' ? value : typeof value}`,
    );
};

/**
 * Whether two strings are within edit distance `k` (Levenshtein), by bounded recursion: short to
 * write, and quick for the keys it sees (at most 24 characters, `k` at most 3).
 */
const near = (a: string, b: string, k: number): boolean =>
  k >= 0 &&
  (!a || !b
    ? a.length + b.length <= k
    : near(a.slice(1), b.slice(1), a[0] === b[0] ? k : k - 1) ||
      near(a.slice(1), b, k - 1) ||
      near(a, b.slice(1), k - 1));

/**
 * Reads an options object against its shape.
 *
 * @param value - What the caller passed.
 * @param shape - Each known key and the types it accepts.
 * @param path - Where the object is: `options` or `options.retry`.
 * @returns A null-prototype copy of the own enumerable keys, each read once.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` for a value that is not an object, an unknown key,
 *   or a key of the wrong type (`undefined` included).
 */
export function readOptions(value: unknown, shape: Shape, path: string): Record<string, unknown> {
  check(path, value, 'an object');
  // Spreading reads each own enumerable key once; for-in over the null-prototype copy sees its own
  // string keys only (symbol keys are copied but never read).
  const copy: Record<string, unknown> = { __proto__: null, ...(value as object) };
  const known = Object.keys(shape);
  for (const key in copy) {
    if (known.includes(key)) {
      // not `constructor` or `toString` from its prototype
      check(`${path}.${key}`, copy[key], shape[key]!);
      continue;
    }
    // An unknown key is named only when it is at most 24 characters long and starts with a known key
    // or is within edit distance 3 of one (case-insensitive), with the closest as the suggestion.
    const lower = key.toLowerCase();
    let best: string | undefined;
    for (let k = 0; key.length < 25 && k < 4 && !best; k++)
      best = known.find((c) => lower.startsWith(c.toLowerCase()) || near(lower, c.toLowerCase(), k));
    throw best
      ? invalid(`${path}.${key}`, `unknown option ${JSON.stringify(key)} (did you mean "${best}"?)`)
      : invalid(path, `unknown option (a key of ${key.length} characters); known options: ${known}`);
  }
  return copy;
}

/** No two token requests start closer than this (ms), whatever the server, `fetchToken` or the caller does. */
export const FLOOR = 1000;

// Each option and what it must be (bad options are an AccessTokenError, as everywhere in this
// package; fetch failures are not: see onError).
const SHAPE: Shape = {
  url: 'a non-empty string or URL object',
  init: 'an object or a function',
  fetchToken: 'a function',
  identity: 'a non-empty string',
  refreshAt: 'a number',
  retry: 'an object',
  fetch: 'a function',
  resume: 'a function',
};
const RETRY: Shape = { initialDelay: 'a number', maxDelay: 'a number' };

/** The provider's options, checked, with their defaults. */
export type ProviderConfig = Omit<TokenProviderOptions, 'retry' | 'refreshAt'> &
  Required<RetryOptions> & { refreshAt: number };

/**
 * Reads and checks the provider's options.
 *
 * @param options - What the caller passed to `createTokenProvider`.
 * @returns The options with their defaults.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` as {@link readOptions} says, and when neither or
 *   both of `url` and `fetchToken` are given, `refreshAt` is not between 0 and 1, or the retry
 *   delays are under the 1 s floor.
 */
export function readProviderOptions(options: unknown): ProviderConfig {
  const given = readOptions(options, SHAPE, 'options') as TokenProviderOptions;
  const retry = readOptions(given.retry ?? {}, RETRY, 'options.retry') as RetryOptions;
  const { initialDelay = 1000, maxDelay = 30_000 } = retry;
  const { refreshAt = 0.8 } = given;
  if ('url' in given === 'fetchToken' in given)
    // a key present is not undefined (refused above)
    throw invalid('options', 'expected either url or fetchToken');
  check('options.refreshAt', refreshAt, 'a number between 0 and 1', refreshAt > 0 && refreshAt < 1);
  // Over the default maxDelay, initialDelay is the option to blame: the caller did not set maxDelay.
  check(
    'options.retry.initialDelay',
    initialDelay,
    'a number from 1000 (ms) to maxDelay (default 30000)',
    initialDelay >= FLOOR && (initialDelay <= maxDelay || 'maxDelay' in retry),
  );
  check(
    'options.retry.maxDelay',
    maxDelay,
    `a number of at least ${initialDelay} (initialDelay)`,
    maxDelay >= initialDelay,
  );
  return { ...given, refreshAt, initialDelay, maxDelay };
}
