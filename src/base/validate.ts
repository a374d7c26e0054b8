import { type AccessTokenErrorCode, describe, fail, type Show } from './errors.js';
import { assertKnownKeys, isPlainObject } from './known-keys.js';

export { isPlainObject };

// Internal asserts shared by every module. Each throws an AccessTokenError through `fail`, the one
// message builder, and returns the value narrowed.

// Two prefix characters (checked by startsWith), then 32 hex digits: tested on the whole value.
const HEX32 = /^[\s\S]{2}[0-9a-fA-F]{32}$/;

/** A SID is its two-letter prefix followed by 32 hex digits (either case). */
export function isSid(value: unknown, prefix: string): value is string {
  return typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && HEX32.test(value);
}

/** What {@link assertSid} checks and how it reports a mismatch. */
export interface SidRule {
  readonly code: AccessTokenErrorCode;
  readonly path: string;
  /** The two-letter prefix, such as `'IS'`. */
  readonly prefix: string;
  /** Names the SID in the message, such as `'a Sync Service SID'`. */
  readonly label: string;
  /** How much of a wrong value to show. @defaultValue `'sid'` */
  readonly show?: Extract<Show, 'sid' | 'prefix'>;
}

/** Asserts a SID with the rule's prefix. */
export function assertSid(value: unknown, rule: SidRule): string {
  if (!isSid(value, rule.prefix)) {
    fail(
      rule.code,
      rule.path,
      `${rule.label} (${rule.prefix} followed by 32 hex digits)`,
      describe(value, rule.show ?? 'sid'),
    );
  }
  return value;
}

/** Asserts a non-empty string in a position whose value may be shown (a grant option). */
export function assertString(value: unknown, path: string, code: AccessTokenErrorCode): string {
  if (typeof value !== 'string' || value.length === 0) fail(code, path, 'a non-empty string', describe(value, 'value'));
  return value;
}

/** What {@link assertInteger} checks. */
export interface IntegerRule {
  readonly path: string;
  readonly min: number;
  readonly max: number;
  /** Whether a wrong value may be shown (a ttl); else it is described by type. @defaultValue `'type'` */
  readonly show?: Show;
}

/** Asserts an integer from `min` to `max`, with `ERR_INVALID_OPTION`. */
export function assertInteger(value: unknown, rule: IntegerRule): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
    fail(
      'ERR_INVALID_OPTION',
      rule.path,
      `an integer from ${rule.min} to ${rule.max}`,
      describe(value, rule.show ?? 'type'),
    );
  }
  return value;
}

/**
 * Asserts an options object (or `undefined`) whose keys are all known, so a misspelt option
 * (`roomName` for `room`) is an error instead of a silent drop; a key present with the value
 * `undefined` is refused. Returns a snapshot, each property read once: see `assertKnownKeys`.
 */
export function assertOptions<T extends object>(
  value: unknown,
  known: readonly string[],
  path: string,
  code: AccessTokenErrorCode,
): Partial<T> {
  return assertKnownKeys<T>(value, known, path, code);
}

const MAX_IDENTITY = 256;
// C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with an identity, as the phrase a message expects; `undefined` when it is fine. */
export function identityProblem(identity: unknown): string | undefined {
  if (typeof identity !== 'string' || identity.length === 0 || identity.length > MAX_IDENTITY)
    return `a string of 1 to ${MAX_IDENTITY} characters`;
  const control = CONTROL.exec(identity);
  if (control === null) return undefined;
  const hex = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `no control characters (found U+${hex} at ${control.index})`;
}

/** Asserts an identity: a string of 1 to 256 UTF-16 code units without control characters. */
export function assertIdentity(identity: unknown): string {
  const problem = identityProblem(identity);
  if (problem !== undefined) fail('ERR_INVALID_IDENTITY', 'identity', problem, describe(identity, 'value'));
  return identity as string;
}
