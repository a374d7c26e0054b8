/** Epoch seconds this large are year 5138: the value is milliseconds. */
export const MILLISECONDS = 1e11;
/** What a time given in milliseconds should have been. */
export const SECONDS_NOT_MS = 'epoch seconds, not milliseconds (Date.now() / 1000)';

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
