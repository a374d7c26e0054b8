import { describe, fail } from '../base/errors.js';
import { isPlainObject, readValues } from '../base/known-keys.js';
import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, type GrantProduct, makeGrant } from './grant.js';
import { type CompiledField, type CompiledSpec, compiled } from './grant-options.js';
import type { copyJsonObject } from './plain-json.js';
import type { GrantTable } from './spec.js';

/** The plain-JSON copier, passed by the factories whose tables have JSON fields (voice, playback). */
export type JsonCopier = typeof copyJsonObject;

// The one interpreter of the products' tables: a factory is `buildGrant(ITS_TABLE, options)`, and
// a grant is read back into options (for /twilio) by `optionsOf`.

const code = 'ERR_INVALID_GRANT';

/** The last segment of a wire path: `params` for `outgoing.params`. */
export const leaf = (wire: string): string => wire.slice(wire.lastIndexOf('.') + 1);

/** Checks one option's value; returns what is written, or `undefined` for nothing (`false`). */
function checked(f: CompiledField, value: unknown, copyJson: JsonCopier | undefined): unknown {
  if (f.kind === 'string') return assertString(value, f.path, code);
  if (f.kind === 'sid') return assertSid(value, f);
  if (f.kind === 'true') {
    if (typeof value !== 'boolean') fail(code, f.path, 'a boolean', describe(value, 'value'));
    return value || undefined;
  }
  // Only tables with JSON fields reach here, and their factories pass the copier.
  const json = (copyJson as JsonCopier)(value, f.path, code);
  if (f.kind === 'payload' && Object.keys(json).length === 0) fail(code, f.path, f.label, describe(json));
  return json;
}

/**
 * Validates a factory's options against its product's table and makes the grant: the table's
 * fields in order, each checked by its kind and written at its wire path, nested objects frozen,
 * the payload's JSON written as it is built (keys are the table's own; values strings, `true` or
 * plain JSON), so it is exactly `JSON.stringify` of the payload.
 */
export function buildGrant<G extends GrantOf<GrantProduct, string, object>>(
  spec: GrantTable,
  options: unknown,
  copyJson?: JsonCopier,
): G {
  const c = compiled(spec);
  // Each option read once, into an array by field: a getter or a later change to the object cannot
  // change the grant. An optional table reads no options as an empty object.
  const values = readValues(options === undefined && spec.optional ? {} : options, c.known, c.at, code, c.onUndefined);
  const payload: Record<string, unknown> = {};
  // The nested object being written (`outgoing`), and its key.
  let nested: Record<string, unknown> = payload;
  let open = '';
  let json = '{';
  let allows = spec.some === undefined;
  for (let i = 0; i < c.fields.length; i++) {
    const f = c.fields[i] as CompiledField;
    if (values[i] === undefined && !f.required) continue;
    if (f.needsAt >= 0 && values[f.needsAt] === undefined) {
      const name = f.inner ?? f.outer;
      fail(code, f.path, `${name} only with an ${c.known[f.needsAt]}`, `${name} without one`);
    }
    const value = checked(f, values[i], copyJson);
    if (value === undefined) continue;
    const text =
      f.kind === 'sid'
        ? `"${value}"`
        : f.kind === 'string'
          ? JSON.stringify(value)
          : value === true
            ? 'true'
            : JSON.stringify(value);
    // The whole payload (playback, the table's one field): already a frozen copy.
    if (f.outer === '') return makeGrant(spec, value as object, text) as unknown as G;
    if (f.some) allows = true;
    if (open !== '' && open === f.outer) json += `,"${f.inner}":${text}`;
    else {
      if (open !== '') {
        json += '}';
        Object.freeze(nested);
      }
      json += `${json === '{' ? '' : ','}${f.head}${text}`;
      open = f.inner === undefined ? '' : f.outer;
      if (open !== '') payload[open] = nested = {};
    }
    if (f.inner === undefined) payload[f.outer] = value;
    else nested[f.inner] = value;
  }
  if (!allows) allowsNothing(spec, c);
  if (open !== '') {
    json += '}';
    Object.freeze(nested);
  }
  return makeGrant(spec, payload, `${json}}`) as unknown as G;
}

/** Refuses a grant that sets none of its table's `some` options. */
function allowsNothing(spec: GrantTable, c: CompiledSpec): never {
  const named = (spec.some?.options ?? []).map((option) =>
    c.fields[c.known.indexOf(option)]?.kind === 'true' ? `${option}: true` : `an ${option}`,
  );
  return fail(code, c.at, named.join(' and/or '), 'a grant that allows nothing');
}

/**
 * The value at a wire path, own properties only; the outer value itself when it is present but not
 * a plain object (so it is refused, not taken for absent); `undefined` when absent.
 */
export function wireValue(payload: Readonly<Record<string, unknown>>, wire: string): unknown {
  const dot = wire.indexOf('.');
  const key = dot < 0 ? wire : wire.slice(0, dot);
  const value = Object.hasOwn(payload, key) ? payload[key] : undefined;
  if (dot < 0 || value === undefined || !isPlainObject(value)) return value;
  return wireValue(value, wire.slice(dot + 1));
}

/**
 * A payload read back into factory options (and twilio-node's fields, which have the same names):
 * each field present at its wire path becomes its option. An outer object that is not one is kept
 * as the value, so the factory refuses it.
 */
export function optionsOf(spec: GrantTable, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = field.wire === '' ? payload : wireValue(payload, field.wire);
    if (value !== undefined) out[field.option] = value;
  }
  return out;
}
