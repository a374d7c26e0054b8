// Times in a keyring: a key's signFrom and the `now` its schedule is read at.
import { fail } from '../base/errors.js';
import { dateValue, MILLISECONDS, SECONDS_NOT_MS } from '../base/time.js';

/** A point in time: epoch seconds, a Date, or an ISO 8601 string (`2026-12-01T00:00:00Z`). */
export type KeyTime = number | Date | string;

// A date, with an optional time and zone: what Date.parse reads the same way on every runtime.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Validates a signFrom: returns epoch seconds. Refuses milliseconds, an invalid Date, any other string. */
export function keyTime(value: unknown, path: string): number {
  const code = 'ERR_INVALID_OPTION';
  if (typeof value === 'string') {
    const ms = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms))
      fail({
        code,
        path,
        expected: 'an ISO 8601 time with a zone (2026-12-01T00:00:00Z)',
        received: value,
        show: 'value',
      });
    return ms / 1000;
  }
  return secondsOf(value, path);
}

/** Epoch seconds from a number (seconds) or a Date. */
function secondsOf(value: unknown, path: string): number {
  const code = 'ERR_INVALID_OPTION';
  const ms = dateValue(value);
  if (ms !== undefined) {
    if (Number.isNaN(ms)) fail({ code, path, expected: 'a valid Date', received: value });
    return ms / 1000;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail({ code, path, expected: 'epoch seconds, a Date or an ISO 8601 string', received: value, show: 'value' });
  if (value >= MILLISECONDS) fail({ code, path, expected: SECONDS_NOT_MS, received: value, show: 'value' });
  return value;
}

/** The time a schedule is read at: `now` in epoch seconds or a Date, else the current time. */
export function nowSeconds(now: unknown): number {
  if (now === undefined) return Date.now() / 1000;
  if (typeof now === 'number' && now >= 0 && now < MILLISECONDS) return now;
  return secondsOf(now, 'now');
}
