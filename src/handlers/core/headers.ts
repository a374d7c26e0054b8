// The one header normaliser every adapter uses: whatever shape a platform gives headers in, the
// hooks see one record with lower-case names and repeated values joined.

/** A header value as platforms give it: one string, the values of a repeated header, or nothing. */
export type HeaderValue = string | readonly string[] | null | undefined;

/**
 * Request headers as `TokenRequest.headers` holds them: lower-case names, repeated values
 * joined with `, `. Where two sources (or two spellings in one) name a header, the first wins.
 * Every name becomes an own property, `__proto__` and `constructor` included.
 *
 * @param sources - Header objects, most authoritative first; `undefined` and `null` are skipped.
 * @returns A new record.
 */
export function normalizeHeaders(
  ...sources: readonly (Readonly<Record<string, HeaderValue>> | null | undefined)[]
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const source of sources) {
    if (source === null || source === undefined) continue;
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined || value === null) continue;
      const key = name.toLowerCase();
      if (Object.hasOwn(headers, key)) continue;
      // defineProperty: a header named `__proto__` is an own property, not the prototype.
      Object.defineProperty(headers, key, {
        value: typeof value === 'string' ? value : value.join(', '),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return headers;
}
