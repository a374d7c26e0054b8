/** Epoch seconds this large are year 5138: the value is milliseconds. */
export const MILLISECONDS = 1e11;
/** What a time given in milliseconds should have been. */
export const SECONDS_NOT_MS = 'epoch seconds, not milliseconds (Date.now() / 1000)';

const getTime = Date.prototype.getTime;

/**
 * The time value of a real Date (a Date subclass included, whatever its own `getTime` says), `NaN`
 * for an invalid one, `undefined` for anything that is not a Date (an object with Date.prototype,
 * a Proxy). Read once, never throws.
 */
export function dateValue(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return getTime.call(value);
  } catch {
    return undefined;
  }
}

/**
 * Epoch seconds as ISO 8601 UTC (`2026-11-28T21:00:00.000Z`), the one way times are printed:
 * handler `expiresAt`, verify's and diagnose's messages, the CLI. A value no Date can hold
 * (`NaN`, beyond year 275760) is printed as the number.
 *
 * @param seconds - Epoch seconds.
 * @returns The ISO string, or the number as text.
 */
export function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
