import { fail } from '../base/errors.js';
import { isPlainObject } from '../base/known-keys.js';
import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, type GrantProduct, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';
import { copyJsonObject } from './plain-json.js';
import type { GrantField, GrantSpec } from './spec.js';

// The one interpreter of the products' tables: a factory is `buildGrant(ITS_TABLE, options)`, and
// another copy's grant and a twilio grant are read back into options by `optionsOf`.

const code = 'ERR_INVALID_GRANT';

/** The last segment of a wire path: `params` for `outgoing.params`. */
export const leaf = (wire: string): string => wire.slice(wire.lastIndexOf('.') + 1);

/** Checks one option's value; returns what is written, or `undefined` for nothing (`false`). */
function checked(field: GrantField, value: unknown, path: string): unknown {
  switch (field.kind) {
    case 'string':
      return assertString(value, path, code);
    case 'sid':
      return assertSid(value, { code, path, prefix: field.prefix as string, label: field.label as string });
    case 'true':
      if (typeof value !== 'boolean') fail({ code, path, expected: 'a boolean', received: value, show: 'value' });
      return value || undefined;
    default: {
      const json = copyJsonObject(value, path, code);
      if (field.kind === 'payload' && Object.keys(json).length === 0)
        fail({ code, path, expected: field.label as string, received: json });
      return json;
    }
  }
}

/**
 * Validates a factory's options against its product's table and makes the grant: the table's
 * fields in order, each checked by its kind and written at its wire path, nested objects frozen.
 */
export function buildGrant<G extends GrantOf<GrantProduct, string, object>>(spec: GrantSpec, options: unknown): G {
  const o = grantOptions(options, spec);
  const at = `grants.${spec.product}`;
  let payload: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = o[field.option];
    if (value === undefined && field.required !== true) continue;
    const path = `${at}.${field.option}`;
    if (field.needs !== undefined && o[field.needs] === undefined) {
      const name = leaf(field.wire);
      fail({ code, path, expected: `${name} only with an ${field.needs}`, receivedText: `${name} without one` });
    }
    const written = checked(field, value, path);
    if (written === undefined) continue;
    if (field.wire === '') payload = written as Record<string, unknown>;
    else put(payload, field.wire, written);
  }
  if (spec.some !== undefined && !spec.some.options.some((option) => wrote(spec, payload, option))) {
    const named = spec.some.options.map((option) =>
      kindOf(spec, option) === 'true' ? `${option}: true` : `an ${option}`,
    );
    fail({ code, path: at, expected: named.join(' and/or '), receivedText: 'a grant that allows nothing' });
  }
  for (const value of Object.values(payload)) if (isPlainObject(value)) Object.freeze(value);
  return makeGrant(spec, payload) as unknown as G;
}

function kindOf(spec: GrantSpec, option: string): string | undefined {
  return spec.fields.find((field) => field.option === option)?.kind;
}

function wrote(spec: GrantSpec, payload: Record<string, unknown>, option: string): boolean {
  const field = spec.fields.find((f) => f.option === option);
  return field !== undefined && wireValue(payload, field.wire) !== undefined;
}

/** Writes a value at a wire path, making the outer object of a nested one. */
function put(payload: Record<string, unknown>, wire: string, value: unknown): void {
  const dot = wire.indexOf('.');
  if (dot < 0) {
    payload[wire] = value;
    return;
  }
  const outer = wire.slice(0, dot);
  payload[outer] ??= {};
  (payload[outer] as Record<string, unknown>)[wire.slice(dot + 1)] = value;
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
export function optionsOf(spec: GrantSpec, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = field.wire === '' ? payload : wireValue(payload, field.wire);
    if (value !== undefined) out[field.option] = value;
  }
  return out;
}
