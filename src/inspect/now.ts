import { fail } from '../base/errors.js';
import { dateValue, MILLISECONDS, SECONDS_NOT_MS } from '../base/time.js';

// One rule for the `now` option of verify and diagnose: epoch SECONDS when a number (like the
// claims), or a Date. A number from 1e11 up is milliseconds (year 5138 in seconds) and is refused,
// not divided: guessing the unit would hide the mistake in every other place the value is used.

/**
 * Resolves a `now` option to epoch seconds; `undefined` is the current time.
 *
 * @param value - The option as given.
 * @param path - Where it was given, such as `options.now`.
 * @returns Epoch seconds.
 */
export function resolveNow(value: unknown, path: string): number {
  // A real Date's time value, read once past any getTime a subclass defines; a fake Date is not one.
  const ms = dateValue(value);
  const now = value === undefined ? Date.now() / 1000 : ms !== undefined ? ms / 1000 : value;
  if (typeof now !== 'number' || !Number.isFinite(now))
    fail({ code: 'ERR_INVALID_OPTION', path, expected: 'epoch seconds or a valid Date', received: value });
  if (now >= MILLISECONDS)
    fail({ code: 'ERR_INVALID_OPTION', path, expected: SECONDS_NOT_MS, received: now, show: 'value' });
  return now;
}
