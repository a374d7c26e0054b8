import { type AccessTokenErrorCode, fail, type Reveal } from './errors.js';

// Internal asserts shared by every module. Each throws an AccessTokenError through `fail`, the one
// message builder, and returns the value narrowed.

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** A SID is its two-letter prefix followed by 32 hex digits (either case). */
export function isSid(value: unknown, prefix: string): value is string {
  return typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && HEX32.test(value.slice(2));
}

/** Asserts a SID with the given prefix; `label` names it in the message, e.g. "a Chat Service SID". */
export function assertSid(
  value: unknown,
  prefix: string,
  label: string,
  path: string,
  code: AccessTokenErrorCode,
  reveal: Reveal = 'sid',
  hint?: string,
): string {
  if (!isSid(value, prefix)) fail(code, path, `${label} (${prefix} followed by 32 hex digits)`, value, reveal, hint);
  return value;
}

/** Asserts a non-empty string. */
export function assertString(value: unknown, path: string, code: AccessTokenErrorCode): string {
  if (typeof value !== 'string' || value.length === 0) fail(code, path, 'a non-empty string', value);
  return value;
}

/** Asserts an integer from `min` to `max`. */
export function assertInteger(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail('ERR_INVALID_OPTION', path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** True for `{}`-like objects: no class instances, arrays, Dates or Maps. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Asserts an options object (or `undefined`) whose keys are all known, so a misspelt option
 * (`roomName` for `room`) is an error instead of a silent drop.
 */
export function assertOptions<T extends object>(
  value: unknown,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode,
): Partial<T> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) fail(code, path, 'an options object', value);
  for (const key in value) {
    if (!known.includes(key)) {
      fail(code, `${path}.${key}`, `no such option (known: ${known.join(', ')})`, value[key], 'sid');
    }
  }
  return value as Partial<T>;
}

const MAX_DEPTH = 32;

/**
 * Asserts a plain JSON object and returns a deeply frozen copy, so what is signed is exactly what
 * JSON.stringify would write for it: no undefined, functions, NaN, Infinity, class instances,
 * symbol keys or cycles, which JSON.stringify would drop, change or choke on.
 */
export function assertJsonObject(
  value: unknown,
  path: string,
  code: AccessTokenErrorCode,
): Readonly<Record<string, unknown>> {
  if (!isPlainObject(value)) fail(code, path, 'a plain JSON object', value);
  return copyJson(value, path, code, 0) as Readonly<Record<string, unknown>>;
}

function copyJson(value: unknown, path: string, code: AccessTokenErrorCode, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(code, path, 'a JSON value (finite number)', value);
    return value;
  }
  if (depth >= MAX_DEPTH) fail(code, path, `JSON nested at most ${MAX_DEPTH} levels deep`, value);
  if (Array.isArray(value)) {
    return Object.freeze(value.map((item, i) => copyJson(item, `${path}[${i}]`, code, depth + 1)));
  }
  if (!isPlainObject(value))
    fail(code, path, 'a JSON value (string, number, boolean, null, array or plain object)', value);
  if (Object.getOwnPropertySymbols(value).length > 0) fail(code, path, 'an object without symbol keys', value);
  // Object.fromEntries defines properties, so an own "__proto__" key stays data, as in JSON.
  return Object.freeze(
    Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyJson(v, `${path}.${k}`, code, depth + 1)])),
  );
}
