import { fail } from '../base/errors.js';
import { readKnownKeys } from '../base/known-keys.js';
import type { GrantSpec } from './spec.js';

// Each table's option names, computed once per table.
const KNOWN = new WeakMap<GrantSpec, readonly string[]>();

function knownOptions(spec: GrantSpec): readonly string[] {
  let known = KNOWN.get(spec);
  if (known === undefined) {
    known = spec.fields.map((field) => field.option);
    KNOWN.set(spec, known);
  }
  return known;
}

/**
 * Reads a factory's options: a plain object with only the table's options, each read once into a
 * snapshot, so a getter or a later change to the object cannot change the grant. A key present with
 * the value `undefined` is refused: `{ outgoingApplicationSid: process.env.UNSET }` must not
 * silently drop outgoing calls, and `{ room: req.query.room }` must not allow every Room.
 */
export function grantOptions(options: unknown, spec: GrantSpec): Readonly<Record<string, unknown>> {
  const path = `grants.${spec.product}`;
  if (options === undefined && !spec.optional)
    fail({ code: 'ERR_INVALID_GRANT', path, expected: 'an options object', received: options });
  // Every known key is set on the snapshot, so reading an absent one never reaches Object.prototype.
  const snapshot: Record<string, unknown> = {};
  const known = knownOptions(spec);
  for (const key of known) snapshot[key] = undefined;
  if (options === undefined) return snapshot;
  // The shared reader: a plain object with only known own keys (a non-enumerable one included),
  // each read once; a Proxy whose traps throw is refused with ERR_INVALID_GRANT.
  const given = readKnownKeys<Record<string, unknown>>(options, known, path, 'ERR_INVALID_GRANT');
  for (const key of Object.keys(given)) {
    const value = given[key];
    if (value === undefined) failUndefined(`${path}.${key}`, spec.fields.find((f) => f.option === key)?.widens);
    snapshot[key] = value;
  }
  return snapshot;
}

function failUndefined(path: string, widens: string | undefined): never {
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
