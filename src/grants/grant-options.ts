import { fail } from '../base/errors.js';
import { readValues } from '../base/known-keys.js';
import type { SidRule } from '../base/validate.js';
import type { GrantField, GrantSpec } from './spec.js';

/** A table read for the factory: what each call needs, computed once per table. */
export interface CompiledField {
  // The field's entries copied, so every compiled field has one shape: reading them in the
  // factory's loop stays monomorphic across the six tables.
  readonly option: string;
  readonly kind: GrantField['kind'];
  readonly required: boolean;
  readonly needs: string | undefined;
  /** The index of the field named by `needs`, else -1. */
  readonly needsAt: number;
  /** The wire key, or the outer key of a nested wire path (`outgoing` of `outgoing.params`); `''` for the whole payload (playback). */
  readonly outer: string;
  /** The inner key of a nested wire path, else `undefined`. */
  readonly inner: string | undefined;
  /** The field's rule: its error path (`grants.voice.outgoingApplicationSid`), and for a `sid` field its prefix; `label` names the value in messages. */
  readonly rule: SidRule;
  /** Whether writing this field makes the grant allow something (the table's `some`). */
  readonly some: boolean;
}

/** A product's table, compiled: paths, wire splits and SID rules made once, not per factory call. */
export interface CompiledSpec {
  readonly at: string;
  readonly known: readonly string[];
  readonly fields: readonly CompiledField[];
  /** Refuses an option given as `undefined`, with the product's hint. */
  readonly onUndefined: (key: string) => never;
  /**
   * Whether the factory writes the payload's JSON itself, field by field: every wire key is a
   * plain key (not the whole payload), and the fields of one nested object are consecutive, so
   * the text is exactly `JSON.stringify` of the payload (keys in insertion order).
   */
  readonly direct: boolean;
}

const COMPILED = new WeakMap<GrantSpec, CompiledSpec>();

/** A product's table, compiled once; internal to the factories. */
export function compiled(spec: GrantSpec): CompiledSpec {
  let c = COMPILED.get(spec);
  if (c === undefined) {
    const at = `grants.${spec.product}`;
    const fields = spec.fields.map((field): CompiledField => {
      const dot = field.wire.indexOf('.');
      const path = `${at}.${field.option}`;
      return {
        option: field.option,
        kind: field.kind,
        required: field.required === true,
        needs: field.needs,
        needsAt: field.needs === undefined ? -1 : spec.fields.findIndex((f) => f.option === field.needs),
        outer: dot < 0 ? field.wire : field.wire.slice(0, dot),
        inner: dot < 0 ? undefined : field.wire.slice(dot + 1),
        rule: { code: 'ERR_INVALID_GRANT', path, prefix: field.prefix as string, label: field.label as string },
        some: spec.some?.options.includes(field.option) === true,
      };
    });
    const onUndefined = (key: string): never =>
      failUndefined(`${at}.${key}`, spec.fields.find((f) => f.option === key)?.widens);
    const outers = fields.map((f) => f.outer);
    const direct = outers.every(
      (outer, i) => outer !== '' && (i === 0 || outer === outers[i - 1] || !outers.slice(0, i).includes(outer)),
    );
    c = { at, known: spec.fields.map((field) => field.option), fields, onUndefined, direct };
    COMPILED.set(spec, c);
  }
  return c;
}

/**
 * Reads a factory's options: a plain object with only the table's options, each read once, into an
 * array by field (no snapshot object), so a getter or a later change to the object cannot change
 * the grant. A key present with the value `undefined` is refused: `{ outgoingApplicationSid:
 * process.env.UNSET }` must not silently drop outgoing calls, and `{ room: req.query.room }` must not
 * allow every Room. A Proxy whose traps throw is refused.
 */
export function grantValues(options: unknown, spec: GrantSpec, c: CompiledSpec): readonly unknown[] {
  const code = 'ERR_INVALID_GRANT';
  if (options === undefined) {
    if (!spec.optional) fail({ code, path: c.at, expected: 'an options object', received: options });
    return NONE;
  }
  return readValues(options, c.known, c.at, code, c.onUndefined);
}

const NONE: readonly unknown[] = Object.freeze([]);

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
