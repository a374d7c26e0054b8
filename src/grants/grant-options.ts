import { fail } from '../base/errors.js';
import { isPlainObject, readKnownKeys } from '../base/known-keys.js';
import type { GrantProduct } from './grant.js';

/** How a factory reads its options object. */
export interface GrantOptionsRule {
  /** Every option the factory takes. */
  readonly known: readonly string[];
  /** Whether the options object itself is required (`chatGrant()` is an error). */
  readonly required: boolean;
  /** Options whose absence widens access, with what their absence means (`room`: `every Room`). */
  readonly widens?: Readonly<Record<string, string>>;
}

/**
 * Reads a factory's options: a plain object with only known keys, each read once into a frozen
 * snapshot, so a getter or a later change to the object cannot change the grant. A key present with
 * the value `undefined` is refused: `{ outgoingApplicationSid: process.env.UNSET }` must not
 * silently drop outgoing calls, and `{ room: req.query.room }` must not allow every Room.
 */
export function grantOptions<T extends object>(
  options: unknown,
  product: GrantProduct,
  rule: GrantOptionsRule,
): Readonly<Partial<T>> {
  const path = `grants.${product}`;
  if (options === undefined && rule.required)
    fail({ code: 'ERR_INVALID_GRANT', path, expected: 'an options object', received: options });
  // Every known key is set on the snapshot, so reading an absent one never reaches Object.prototype.
  const snapshot: Record<string, unknown> = {};
  for (const key of rule.known) snapshot[key] = undefined;
  if (options === undefined) return snapshot as Partial<T>;
  const keys = isPlainObject(options) ? Object.keys(options) : undefined;
  // Anything unusual (not a plain object, an unknown or symbol key) gets the shared reader's message.
  if (keys === undefined || keys.some((key) => !rule.known.includes(key)) || hasEnumerableSymbol(options as object))
    readKnownKeys(options, rule.known, path, 'ERR_INVALID_GRANT');
  for (const key of keys as string[]) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) failUndefined(`${path}.${key}`, rule.widens, key);
    snapshot[key] = value;
  }
  return snapshot as Partial<T>;
}

function hasEnumerableSymbol(value: object): boolean {
  return Object.getOwnPropertySymbols(value).some((key) => Object.prototype.propertyIsEnumerable.call(value, key));
}

function failUndefined(path: string, widensByKey: GrantOptionsRule['widens'], key: string): never {
  const widens = widensByKey !== undefined && Object.hasOwn(widensByKey, key) ? widensByKey[key] : undefined;
  return fail({
    code: 'ERR_INVALID_GRANT',
    path,
    expected: 'a value, or no such key',
    received: undefined,
    hint:
      widens === undefined
        ? 'Omit the key, or set the variable it was read from: an undefined value is refused so that a missing input never silently changes what the grant allows'
        : `Omit the key to mean ${widens}, or set the variable it was read from: an undefined value is refused so that a missing input never widens access`,
  });
}
