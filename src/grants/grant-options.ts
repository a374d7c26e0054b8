import { undefinedKey } from '../base/known-keys.js';
import type { SidRule } from '../base/validate.js';
import type { GrantField, GrantTable } from './spec.js';

/**
 * A field read for the factory: what each call needs, computed once per table. It is its own SID
 * rule (`code`, `path`, `prefix`, `label`) for {@link assertSid}.
 */
export interface CompiledField extends SidRule {
  // Every compiled field has one shape: reading them in the factory's loop stays monomorphic
  // across the six tables.
  readonly kind: GrantField['kind'];
  readonly required: boolean;
  /** The index of the field named by `needs`, else -1. */
  readonly needsAt: number;
  /** The wire key, or the outer key of a nested wire path (`outgoing` of `outgoing.params`); `''` for the whole payload (playback). */
  readonly outer: string;
  /** The inner key of a nested wire path, else `undefined`. */
  readonly inner: string | undefined;
  /** The JSON before the value: `"room":`, or `"outgoing":{"application_sid":` where it opens its object. */
  readonly head: string;
  /** Whether writing this field makes the grant allow something (the table's `some`). */
  readonly some: boolean;
}

/** A product's table, compiled: paths, wire splits, JSON keys and SID rules made once, not per factory call. */
export interface CompiledSpec {
  readonly at: string;
  readonly known: readonly string[];
  readonly fields: readonly CompiledField[];
  /** Refuses an option given as `undefined`, with the product's hint. */
  readonly onUndefined: (key: string) => never;
}

const COMPILED = new WeakMap<GrantTable, CompiledSpec>();

/**
 * A product's table, compiled once; internal to the factories. The factory writes the payload's JSON
 * as it goes, so a nested object's fields are consecutive in every table (the tests check it).
 */
export function compiled(spec: GrantTable): CompiledSpec {
  let c = COMPILED.get(spec);
  if (c === undefined) {
    const at = `grants.${spec.product}`;
    const known = spec.fields.map((field) => field.option);
    const fields = spec.fields.map((field): CompiledField => {
      const [outer, inner] = field.wire.split('.') as [string, string?];
      return {
        code: 'ERR_INVALID_GRANT',
        path: `${at}.${field.option}`,
        prefix: field.prefix as string,
        label: field.label as string,
        kind: field.kind,
        required: field.required === true,
        needsAt: field.needs === undefined ? -1 : known.indexOf(field.needs),
        outer,
        inner,
        head: inner === undefined ? `"${outer}":` : `"${outer}":{"${inner}":`,
        some: spec.some?.options.includes(field.option) === true,
      };
    });
    // A key present with the value `undefined` is refused: `{ outgoingApplicationSid:
    // process.env.UNSET }` must not silently drop outgoing calls, nor `{ room: req.query.room }`
    // allow every Room.
    const onUndefined = (key: string): never =>
      undefinedKey('ERR_INVALID_GRANT', `${at}.${key}`, spec.fields.find((f) => f.option === key)?.widens);
    c = { at, known, fields, onUndefined };
    COMPILED.set(spec, c);
  }
  return c;
}
