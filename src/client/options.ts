// The provider's options, read the one safe way, in few bytes (the client entry has a 2 kB budget,
// and the main entry's shared reader costs more than 1 kB): a non-null object whose own enumerable
// keys are all known, each read once into a null-prototype snapshot (a polluted Object.prototype
// changes nothing), each of the right type. A key present with the value `undefined` is refused like
// any other wrong type (`identity: session.user?.id` must not turn the identity check off).

import { AccessTokenError } from '../base/errors.js';

/**
 * What each key must be, as the phrase a message shows. The phrase holds the `typeof` names it
 * accepts (`'an object or a function'` accepts both), so no phrase accepts `undefined`.
 */
export type Shape = Readonly<Record<string, string>>;

/** An unknown key is named only when it is this short and close to a known one. */
const MAX_NAMED_KEY = 24;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Describes a received value without showing a caller's string (it may be a secret in the wrong place).
 *
 * @param value - Anything.
 * @returns `null`, a number as written, `a string of 5 characters`, or the value's type.
 */
const received = (value: unknown): string =>
  value === null
    ? 'null'
    : typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? `a string of ${value.length} characters`
        : typeof value;

/**
 * Creates the error of a bad option.
 *
 * @param path - The option, such as `options.refreshAt`.
 * @param expected - What it must be, as a phrase.
 * @param value - What it was, when the message should say.
 * @returns An `ERR_INVALID_OPTION` error.
 */
export const invalid = (path: string, expected: string, value?: unknown, shown = arguments.length > 2) =>
  new AccessTokenError('ERR_INVALID_OPTION', `Invalid ${path}: expected ${expected}${shown ? `, received ${received(value)}` : ''}`, path);

/** Levenshtein distance between two strings. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 0; i < a.length; i++) {
    const next = [i + 1];
    for (let j = 0; j < b.length; j++)
      next.push(Math.min((row[j + 1] as number) + 1, (next[j] as number) + 1, (row[j] as number) + +(a[i] !== b[j])));
    row = next;
  }
  return row[b.length] as number;
}

/** The error of an unknown key: named with a suggestion when it is short and close to a known key, else described. */
function unknownKey(key: string | symbol, known: readonly string[], path: string): AccessTokenError {
  const list = `; known options: ${known.join(', ')}`;
  let best: string | undefined;
  let least = 4; // an edit distance of at most 3, or a known key it starts with
  if (typeof key === 'string' && key.length <= MAX_NAMED_KEY)
    for (const candidate of known) {
      const [k, c] = [key.toLowerCase(), candidate.toLowerCase()];
      const d = k.startsWith(c) ? 0 : distance(k, c);
      if (d < least) [best, least] = [candidate, d];
    }
  if (best === undefined) {
    const what = typeof key === 'symbol' ? 'a symbol key' : `a key of ${key.length} characters`;
    return new AccessTokenError('ERR_INVALID_OPTION', `Invalid ${path}: unknown option (${what})${list}`, path);
  }
  const name = key as string;
  const named = IDENTIFIER.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
  const message = `Invalid ${named}: unknown option ${JSON.stringify(name)} (did you mean "${best}"?)${list}`;
  return new AccessTokenError('ERR_INVALID_OPTION', message, named);
}

/**
 * Reads an options object against its shape.
 *
 * @param value - What the caller passed.
 * @param shape - Each known key and what it must be.
 * @param path - Where the object is: `options` or `options.retry`.
 * @returns A null-prototype snapshot of the keys given, each read once.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` for a value that is not an object, an unknown key,
 *   or a key of the wrong type (`undefined` included).
 */
export function readOptions(value: unknown, shape: Shape, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw invalid(path, 'an object', value);
  const known = Object.keys(shape);
  const snapshot: Record<string, unknown> = Object.create(null);
  for (const key of Reflect.ownKeys(value)) {
    if (!Object.prototype.propertyIsEnumerable.call(value, key)) continue;
    if (typeof key === 'symbol' || !known.includes(key)) throw unknownKey(key, known, path);
    const given = (value as Record<string, unknown>)[key];
    const expected = shape[key] as string;
    // A URL object where a string or URL belongs; otherwise the phrase names the accepted types.
    if (!((given !== null && expected.includes(typeof given)) || (expected.endsWith('URL') && given instanceof URL)))
      throw invalid(`${path}.${key}`, expected, given);
    snapshot[key] = given;
  }
  return snapshot;
}
