import { AccessTokenError, type AccessTokenErrorCode, describe, fail, memberPath } from './errors.js';

// Options objects, read the one safe way: a plain object whose own keys are all known, each
// property read exactly once (a getter or a Proxy may answer differently the second time), into a
// snapshot without Object.prototype in its chain, so `constructor` or `__proto__` keys and a polluted Object.prototype
// change nothing. Mint options, minter overrides, verify options, credentials, grant factories and
// handler options all go through here.

/** True for `{}`-like objects: no class instances, arrays, Dates or Maps. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    // A revoked Proxy, or one whose getPrototypeOf trap throws, is no options object.
    return false;
  }
}

/** An unknown key is named only when it is this short and close to a known one. */
const MAX_NAMED_KEY = 24;
const MAX_DISTANCE = 3;

/** Whether two strings are within edit distance `k` (Levenshtein): equal heads cost nothing, else one edit is tried each way. */
function near(a: string, b: string, k: number): boolean {
  if (k < 0 || Math.abs(a.length - b.length) > k) return false;
  if (a === b) return true;
  if (a !== '' && b !== '' && a[0] === b[0]) return near(a.slice(1), b.slice(1), k);
  return near(a.slice(1), b, k - 1) || near(a, b.slice(1), k - 1) || near(a.slice(1), b.slice(1), k - 1);
}

/**
 * The known key an unknown one was probably meant to be: within edit distance 3 of it, or starting
 * with it (case-insensitive), for keys of at most 24 characters; `undefined` for any other key,
 * which a message may then not name. The nearest wins, the first listed among equals.
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > MAX_NAMED_KEY) return undefined;
  const lower = key.toLowerCase();
  for (let k = 0; k <= MAX_DISTANCE; k++) {
    const found = known.find((candidate) => {
      const c = candidate.toLowerCase();
      return lower.startsWith(c) || near(lower, c, k);
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

export function unknownKey(
  key: string | symbol,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode,
): never {
  const list = known.join(', ') || 'none';
  const suggestion = typeof key === 'string' ? suggestKey(key, known) : undefined;
  // A key is named only with its suggestion; any other is described, in the message and the path.
  const named = suggestion === undefined ? path : memberPath(path, key as string);
  const what =
    suggestion !== undefined
      ? `${JSON.stringify(key)} (did you mean "${suggestion}"?)`
      : typeof key === 'symbol'
        ? '(a symbol key)'
        : `(a key of ${key.length} characters)`;
  throw new AccessTokenError(code, `Invalid ${named}: unknown option ${what}; known options: ${list}`, named);
}

// A snapshot inherits from this empty object, which has no prototype: an absent key reads as
// `undefined` whatever Object.prototype holds. Unlike a `{ __proto__: null }` literal, which V8
// keeps as a hash table, objects made by Object.create of one shared prototype get fast properties.
const SNAPSHOT: object = Object.freeze(Object.create(null) as object);

/**
 * Reads an options object: a plain object with only known own keys, each read once into a
 * snapshot without Object.prototype in its chain. Every own key counts, enumerable or not: a known one is read (a
 * non-enumerable `apiKeySecret` is not skipped), any other, a symbol key included, is unknown.
 * `undefined` reads as no options. A key present with the value `undefined` is kept as present;
 * {@link assertKnownKeys} refuses it.
 *
 * @throws AccessTokenError with `code` for a value that is not a plain object, an unknown key, or
 *   an object whose properties cannot be read (a Proxy whose traps throw).
 */
export function readKnownKeys<T extends object>(
  value: unknown,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode,
  onUndefined?: (key: string) => void,
): Readonly<Partial<T>> {
  // No options: the empty snapshot itself (frozen, no prototype: every key reads as undefined).
  if (value === undefined) return SNAPSHOT as Partial<T>;
  const values = readValues(value, known, path, code, onUndefined);
  // Not frozen: the snapshot never leaves this package, and freezing costs more than the read on
  // the minting path (createAccessToken reads its options on every call). Every known key is set,
  // in the list's order: all snapshots of one list share one shape, so reads of them stay
  // monomorphic; an absent key reads as undefined.
  const snapshot = Object.create(SNAPSHOT) as Record<string, unknown>;
  for (let i = 0; i < known.length; i++) snapshot[known[i] as string] = values[i];
  return snapshot as Partial<T>;
}

/**
 * Reads an options object into an array by known key: a plain object (neither a non-object nor an
 * unknown option's value is shown: either may be a secret passed in the wrong place), only known
 * own keys, each read once; a Proxy whose traps throw is refused. A key present with the value
 * `undefined` goes to `onUndefined` once every key is read (so an unknown key is reported first).
 * Internal, shared with the grant factories.
 */
export function readValues(
  value: unknown,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode,
  onUndefined: ((key: string) => void) | undefined,
): unknown[] {
  // "a plain object literal": what to pass, also where describe() says only "an object" (a Map, a
  // class instance, an object with another prototype).
  if (!isPlainObject(value)) fail(code, path, 'an options object (a plain object literal)', describe(value));
  const values: unknown[] = [];
  let undefinedKey: string | undefined;
  try {
    for (const key of Reflect.ownKeys(value)) {
      const i = typeof key === 'string' ? known.indexOf(key) : -1;
      if (i < 0) unknownKey(key, known, path, code);
      const v = value[key as string];
      if (v === undefined) undefinedKey ??= key as string;
      values[i] = v;
    }
  } catch (error) {
    if (error instanceof AccessTokenError) throw error;
    fail(code, path, 'an options object', 'an object whose properties cannot be read');
  }
  if (onUndefined !== undefined && undefinedKey !== undefined) onUndefined(undefinedKey);
  return values;
}

/**
 * The one refusal of a key present with the value `undefined`, for options and grants alike; internal.
 * `widens` names what leaving the key out means where that allows more (a grant's every Room).
 */
export function undefinedKey(code: AccessTokenErrorCode, path: string, widens?: string): never {
  return fail(
    code,
    path,
    'a value, or no such key',
    'undefined',
    `Omit the key${widens ? ` to mean ${widens}` : ''}, or set the variable it was read from: an undefined value is refused so that a missing input ${widens ? 'never widens access' : 'is never silently ignored'}`,
  );
}

/** The refusal of a key present with the value `undefined`. */
function refuseUndefined(path: string, code: AccessTokenErrorCode): (key: string) => never {
  return (key) => undefinedKey(code, `${path}.${key}`);
}

/**
 * For {@link readKnownKeys}: refuses a key of `optional` present with the value `undefined` (an unset
 * environment variable must not silently mean the default). Its hint advises omitting the key, so
 * only optional keys get it: a required key present as `undefined` fails later as a missing value.
 */
export function refuseUndefinedOptional(
  optional: readonly string[],
  path: string,
  code: AccessTokenErrorCode = 'ERR_INVALID_OPTION',
): (key: string) => void {
  const refuse = refuseUndefined(path, code);
  return (key) => {
    if (optional.includes(key)) refuse(key);
  };
}

/**
 * {@link readKnownKeys}, and a key present with the value `undefined` is refused too
 * (`{ ttl: process.env.UNSET }` must not silently mean the default).
 *
 * @param value - The options object as the caller passed it.
 * @param known - Every key the object may have.
 * @param path - Where the object is, such as `options` or `grants.video`.
 * @param code - The code to fail with. @defaultValue `'ERR_INVALID_OPTION'`
 * @returns A snapshot (no Object.prototype in its chain) holding each own key's value, read once.
 */
export function assertKnownKeys<T extends object>(
  value: unknown,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode = 'ERR_INVALID_OPTION',
): Readonly<Partial<T>> {
  return readKnownKeys<T>(value, known, path, code, refuseUndefined(path, code));
}
