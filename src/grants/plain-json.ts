import { type AccessTokenErrorCode, fail, isAccessTokenError, keyPath } from '../base/errors.js';

// Caller-supplied JSON (voice params, a playback grant) is copied
// once into fresh frozen plain data, reading own data properties only: a getter is refused rather
// than called, so what is checked is what is signed and nothing the caller keeps can change it.

const MAX_DEPTH = 32;
// Shared references are copied once per occurrence, as JSON.stringify writes them: a budget of
// values keeps a small DAG that expands exponentially from taking the process down.
const MAX_VALUES = 10_000;

function isPlainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Where a JSON copy failed, for the caller's message. */
interface At {
  readonly path: string;
  readonly code: AccessTokenErrorCode;
  /** Values left in the budget, shared by the whole copy. */
  readonly budget: { left: number };
}

function copyArray(value: readonly unknown[], at: At, depth: number): readonly unknown[] {
  const descriptors: Record<string, PropertyDescriptor | undefined> = Object.getOwnPropertyDescriptors(value);
  const length = descriptors.length?.value as number;
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const d = descriptors[i];
    const path = `${at.path}[${i}]`;
    if (d === undefined || !('value' in d))
      fail({ code: at.code, path, expected: 'a JSON value', receivedText: d ? 'a getter' : 'a hole' });
    out.push(copy(d.value, { ...at, path }, depth + 1));
  }
  return Object.freeze(out);
}

function copyObject(value: object, at: At, depth: number): Readonly<Record<string, unknown>> {
  if (Object.getOwnPropertySymbols(value).length > 0)
    fail({ code: at.code, path: at.path, expected: 'an object without symbol keys', receivedText: 'a symbol key' });
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    // JSON.stringify writes enumerable keys only; the others are not read at all.
    if (!d.enumerable) continue;
    const path = keyPath(at.path, key);
    if (!('value' in d)) fail({ code: at.code, path, expected: 'a JSON value', receivedText: 'a getter' });
    // defineProperty, so an own "__proto__" key stays data, as JSON.parse makes it.
    Object.defineProperty(out, key, {
      value: copy(d.value, { ...at, path }, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return Object.freeze(out);
}

function copy(value: unknown, at: At, depth: number): unknown {
  if (--at.budget.left < 0)
    fail({ code: at.code, path: at.path, expected: `JSON of at most ${MAX_VALUES} values`, receivedText: 'more' });
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      fail({ code: at.code, path: at.path, expected: 'a JSON value (finite number)', received: value });
    return value;
  }
  if (typeof value !== 'object' || (!isPlainPrototype(value) && !Array.isArray(value))) {
    fail({
      code: at.code,
      path: at.path,
      expected: 'a JSON value (string, number, boolean, null, array or plain object)',
      received: value,
    });
  }
  if (depth >= MAX_DEPTH)
    fail({ code: at.code, path: at.path, expected: `JSON nested at most ${MAX_DEPTH} levels deep`, received: value });
  return Array.isArray(value) ? copyArray(value, at, depth) : copyObject(value, at, depth);
}

/**
 * Copies a plain JSON object into fresh, deeply frozen plain data, so what is signed is exactly
 * what JSON.stringify writes for it: no undefined, functions, NaN, Infinity, class instances,
 * getters, symbol keys or cycles.
 *
 * @param value - The caller's object.
 * @param path - Where it is, such as `grants.voice.outgoingApplicationParams`.
 * @param code - The code to fail with.
 * @returns The frozen copy.
 */
export function copyJsonObject(
  value: unknown,
  path: string,
  code: AccessTokenErrorCode,
): Readonly<Record<string, unknown>> {
  try {
    if (typeof value !== 'object' || value === null || !isPlainPrototype(value))
      fail({ code, path, expected: 'a plain JSON object', received: value, show: 'value' });
    return copyObject(value, { path, code, budget: { left: MAX_VALUES } }, 0);
  } catch (error) {
    if (isAccessTokenError(error)) throw error;
    // A revoked Proxy, or one whose traps throw, anywhere inside: refused, not passed on as a TypeError.
    return fail({
      code,
      path,
      expected: 'a plain JSON object',
      receivedText: 'an object whose properties cannot be read',
    });
  }
}
