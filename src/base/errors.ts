import { BRAND } from './error-brand.js';
import type { AccessTokenErrorCode } from './error-codes.js';
import { isThenable } from './thenable.js';
import { dateValue } from './time.js';

export { ACCESS_TOKEN_ERRORS, type AccessTokenErrorCode } from './error-codes.js';
// Re-exported for the modules that use it beside the message helpers; defined in thenable.ts.
export { isThenable };

/** The JSON form of an {@link AccessTokenError}: safe to log, never holds a secret. */
export interface AccessTokenErrorJSON {
  /** Always `'AccessTokenError'`. */
  name: string;
  /** The stable code. */
  code: AccessTokenErrorCode;
  /** The input that was wrong, when there is one. */
  path?: string;
  /** The message. */
  message: string;
}

/**
 * The one error type this library throws on bad input, a bad token or a failed verification.
 *
 * Messages name the field, what was expected and what was received. They never contain the API
 * key secret, and show a SID at most truncated.
 *
 * @example
 * ```ts
 * import { createAccessToken, videoGrant, isAccessTokenError } from 'twilio-access-token';
 *
 * try {
 *   createAccessToken('alice', videoGrant(), { ttl: 90_000 });
 * } catch (error) {
 *   if (isAccessTokenError(error) && error.code === 'ERR_INVALID_OPTION') {
 *     console.error(error.path, error.message); // options.ttl Invalid options.ttl: ...
 *   }
 * }
 * ```
 */
export class AccessTokenError extends Error {
  /** The stable machine-readable code. */
  readonly code: AccessTokenErrorCode;
  /** The input that was wrong, such as `options.ttl` or `grants.voice.incomingAllow`. */
  readonly path?: string;

  /**
   * Creates an error. Library code builds messages with one builder so they all read alike.
   *
   * @param code - The stable code.
   * @param message - The full message; must never contain a secret.
   * @param path - The input that was wrong, when there is one.
   */
  constructor(code: AccessTokenErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'AccessTokenError';
    this.code = code;
    if (path !== undefined) this.path = path;
  }

  /**
   * `instanceof AccessTokenError` is true for errors from any copy of this package (its ESM and CJS
   * builds, or two entry points), since each entry point bundles its own copy of this class.
   *
   * @param value - Anything.
   * @returns Whether `value` is an `AccessTokenError` from any copy.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /**
   * The JSON form: name, code, path and message.
   *
   * @returns A plain object safe to log.
   */
  toJSON(): AccessTokenErrorJSON {
    const { name, code, path, message } = this;
    return path === undefined ? { name, code, message } : { name, code, path, message };
  }
}

Object.defineProperty(AccessTokenError.prototype, BRAND, { value: true });

/**
 * Tells whether a value is an {@link AccessTokenError}, also one thrown by another copy of this
 * package (its ESM and CJS builds loaded side by side).
 *
 * @param error - Anything caught.
 * @returns `true` when `error` is an `AccessTokenError`.
 *
 * @example
 * ```ts
 * import { isAccessTokenError } from 'twilio-access-token';
 *
 * function codeOf(error: unknown): string {
 *   return isAccessTokenError(error) ? error.code : 'UNKNOWN';
 * }
 * ```
 */
export function isAccessTokenError(error: unknown): error is AccessTokenError {
  return error instanceof AccessTokenError;
}

/**
 * How a message shows a string it received. A caller-supplied string is shown only in a position
 * whose values are never secret (`'value'`: identity, grant options, ttl, nbf, region, algorithm, a
 * CORS origin), and there only when it is at most 8 characters long; a longer one, and any string in
 * another position, is described by its length. A SID position (`'sid'`, or its alias `'prefix'`)
 * also names the first two characters when they are upper-case letters, as a SID's prefix is.
 * `'type'`, the default, describes by type and length alone: the value may be a secret passed in
 * the wrong place.
 */
export type Show = 'value' | 'sid' | 'prefix' | 'type';

/** What {@link fail} needs to build a message. */
export interface Failure {
  readonly code: AccessTokenErrorCode;
  /** The input that was wrong, such as `options.ttl`; caller-supplied keys only through {@link keyPath}. */
  readonly path: string;
  /** What was expected, as a phrase: `an integer from 1 to 86400`. */
  readonly expected: string;
  /** The value received, shown as {@link Failure.show} allows. */
  readonly received?: unknown;
  /** How much of `received` to show. @defaultValue `'type'` */
  readonly show?: Show;
  /** A description of what was received, written by the caller, in place of `received`. */
  readonly receivedText?: string;
  /** A sentence that says what to do. */
  readonly hint?: string;
}

/** The longest caller-supplied string a message shows: `"us1"`, `"RS256"`, a short room name. */
export const MAX_SHOWN = 8;
const SID_LIKE = /^[A-Z]{2}/;

/** Describes a string: shown when short and in a showable position, else by length (and SID prefix). */
function describeString(value: string, show: Show): string {
  if (show === 'value' && value.length <= MAX_SHOWN) return JSON.stringify(value);
  if (value.length === 0) return 'an empty string';
  const length = `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  return (show === 'sid' || show === 'prefix') && SID_LIKE.test(value)
    ? `${length} starting with "${value.slice(0, 2)}"`
    : length;
}

/**
 * Describes a received value for a message, never showing more than `show` allows. Never throws:
 * a fake Date, a revoked Proxy or one whose every trap throws is still only described.
 */
export function describe(value: unknown, show: Show = 'type'): string {
  try {
    return describeValue(value, show);
  } catch {
    return typeof value === 'function' ? 'a function' : 'an object';
  }
}

function describeValue(value: unknown, show: Show): string {
  if (typeof value === 'string') return describeString(value, show);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (length ${value.length})`;
  const time = dateValue(value);
  if (time !== undefined) return Number.isNaN(time) ? 'an invalid Date' : 'a Date';
  if (value instanceof Date) return 'an object posing as a Date';
  if (isThenable(value)) return 'a Promise: missing await?';
  const type = typeof value;
  // A number in a position that may hold a secret (a config loader that parsed an all-digit secret)
  // is shown only as short as a string would be; a ttl or an nbf is shown as it is.
  if (type === 'number') {
    const text = Object.is(value, -0) ? '-0' : String(value);
    return show === 'value' || text.length <= MAX_SHOWN ? text : 'a long number';
  }
  if (type === 'boolean' || type === 'undefined') return String(value);
  // A bigint, a function, a symbol; any other object.
  return type === 'object' ? 'an object' : `a ${type}`;
}

const SHOWN_KEY = /^[A-Za-z_$][\w$]*$/;

/**
 * The path of a caller-supplied key under `parent`: `parent.key` when the key is short enough to
 * show, else the key is described by its length (`parent[a key of 40 characters]`), so a secret
 * used as a key never reaches a path.
 */
export function keyPath(parent: string, key: string): string {
  return key.length > MAX_SHOWN ? `${parent}[a key of ${key.length} characters]` : memberPath(parent, key);
}

/** `parent.key`, or `parent["key"]` for a key that is no identifier; the caller decides that the key may be shown. */
export function memberPath(parent: string, key: string): string {
  return SHOWN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The one message builder: `Invalid <path>: expected <expected>, received <received>.` plus an
 * optional hint. Throws the resulting {@link AccessTokenError}. `received` is text: a value goes
 * through {@link describe} (`describe(value, 'value')`), so the rules on what a message may show
 * hold in every message at once; a {@link Failure} object describes its `received` so itself.
 */
export function fail(failure: Failure): never;
export function fail(
  code: AccessTokenErrorCode,
  path: string,
  expected: string,
  received: string,
  hint?: string,
): never;
export function fail(
  f: Failure | AccessTokenErrorCode,
  path?: string,
  expected?: string,
  received?: string,
  hint?: string,
): never {
  if (typeof f === 'object')
    return fail(f.code, f.path, f.expected, f.receivedText ?? describe(f.received, f.show), f.hint);
  throw new AccessTokenError(
    f,
    `Invalid ${path}: expected ${expected}, received ${received}${hint ? `. ${hint}` : ''}`,
    path,
  );
}
