import { fail } from '../errors.js';
import { readKnownKeys } from '../known-keys.js';
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
export function grantOptions<T extends object>(options: unknown, product: GrantProduct, rule: GrantOptionsRule) {
  const path = `grants.${product}`;
  if (options === undefined && rule.required)
    fail({ code: 'ERR_INVALID_GRANT', path, expected: 'an options object', received: options });
  const o = readKnownKeys<T>(options, rule.known, path, 'ERR_INVALID_GRANT');
  for (const key of rule.known) {
    if (Object.hasOwn(o, key) && (o as Record<string, unknown>)[key] === undefined) {
      const widens = rule.widens !== undefined && Object.hasOwn(rule.widens, key) ? rule.widens[key] : undefined;
      fail({
        code: 'ERR_INVALID_GRANT',
        path: `${path}.${key}`,
        expected: 'a value, or no such key',
        received: undefined,
        hint:
          widens === undefined
            ? 'Omit the key, or set the variable it was read from: an undefined value is refused so that a missing input never silently changes what the grant allows'
            : `Omit the key to mean ${widens}, or set the variable it was read from: an undefined value is refused so that a missing input never widens access`,
      });
    }
  }
  return o;
}
