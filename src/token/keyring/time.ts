// Times in a keyring: a key's signFrom and the `now` its schedule is read at.
import { fail } from '../../base/errors.js';
import { dateValue, MILLISECONDS, SECONDS_NOT_MS } from '../../base/time.js';

/** A point in time: epoch seconds, a Date, or an ISO 8601 string (`2026-12-01T00:00:00Z`). */
export type KeyTime = number | Date | string;

// A date, with an optional time and zone: what Date.parse reads the same way on every runtime.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * Epoch milliseconds of an ISO 8601 string; NaN for any other string, and for a date or time that
 * does not exist (`2026-02-31`, `24:00`, a zone of `+25:00`), which Date.parse would roll over:
 * the fields are set on a Date and must read back unchanged.
 */
function isoMilliseconds(value: string): number {
  const m = ISO_8601.exec(value);
  if (m === null) return Number.NaN;
  const [
    ,
    year = '',
    month = '',
    day = '',
    hour = '00',
    minute = '00',
    second = '00',
    fraction = '0',
    zh = '0',
    zm = '0',
  ] = m;
  const date = new Date(0);
  date.setUTCFullYear(+year, +month - 1, +day);
  date.setUTCHours(+hour, +minute, +second);
  const same = date.toISOString().slice(0, 19) === `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  // Date.parse drops digits past the millisecond (.000000001 would read as a whole second): any
  // non-zero fraction is off by half a millisecond more, so keyTime refuses it as a fraction.
  return same && +zh <= 23 && +zm <= 59 ? Date.parse(value) + (+fraction === 0 ? 0 : 0.5) : Number.NaN;
}

/** Validates a signFrom: returns epoch seconds. Refuses milliseconds, an invalid Date, any other string. */
export function keyTime(value: unknown, path: string): number {
  const code = 'ERR_INVALID_OPTION';
  if (typeof value === 'string') {
    const ms = isoMilliseconds(value);
    if (Number.isNaN(ms) || ms < 0)
      fail({
        code,
        path,
        expected: 'an ISO 8601 time with a zone, from 1970 on (2026-12-01T00:00:00Z)',
        received: value,
        show: 'value',
      });
    // Shown in full: it matched the ISO 8601 shape (digits and separators), so it holds no secret.
    if (ms % 1000 !== 0)
      fail({
        code,
        path,
        expected: 'an ISO 8601 time in whole seconds (no fraction)',
        receivedText: JSON.stringify(value),
      });
    return ms / 1000;
  }
  // Whole seconds, as nbf and iat: a signFrom is shown as a Date (milliseconds), and a keyring
  // rebuilt from describe() must have the same schedule; and retireAt, compared with a token's
  // whole-second iat, must be whole too.
  const seconds = secondsOf(value, path, 'whole epoch seconds, a Date or an ISO 8601 string');
  if (!Number.isInteger(seconds))
    fail({
      code,
      path,
      expected: 'whole epoch seconds (no fraction), or a Date or ISO 8601 time whose milliseconds are 0',
      received: value,
      show: 'value',
    });
  return seconds;
}

/** Epoch seconds from a number (seconds) or a Date; `expected` names what the caller accepts. */
function secondsOf(value: unknown, path: string, expected: string): number {
  const code = 'ERR_INVALID_OPTION';
  const ms = dateValue(value);
  if (ms !== undefined) {
    if (Number.isNaN(ms)) fail({ code, path, expected: 'a valid Date', received: value });
    if (ms < 0) fail({ code, path, expected: 'a Date from 1970 on', received: value });
    if (ms >= MILLISECONDS * 1000) fail({ code, path, expected: 'a Date before the year 5138', received: value });
    return ms / 1000;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail({ code, path, expected, received: value, show: 'value' });
  if (value >= MILLISECONDS) fail({ code, path, expected: SECONDS_NOT_MS, received: value, show: 'value' });
  return value;
}

/** The time a schedule is read at: `now` in epoch seconds or a Date, else the current time. */
export function nowSeconds(now: unknown): number {
  if (now === undefined) return Date.now() / 1000;
  if (typeof now === 'number' && now >= 0 && now < MILLISECONDS) return now;
  return secondsOf(now, 'now', 'epoch seconds or a Date');
}
