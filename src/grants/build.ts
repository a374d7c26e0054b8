import { fail } from '../base/errors.js';
import { isPlainObject } from '../base/known-keys.js';
import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, type GrantProduct, makeGrant } from './grant.js';
import { type CompiledField, compiled, grantValues } from './grant-options.js';
import type { copyJsonObject } from './plain-json.js';

/** The plain-JSON copier, passed by the factories whose tables have JSON fields (voice, playback). */
export type JsonCopier = typeof copyJsonObject;

import type { GrantSpec } from './spec.js';

// The one interpreter of the products' tables: a factory is `buildGrant(ITS_TABLE, options)`, and
// another copy's grant and a twilio grant are read back into options by `optionsOf`.

const code = 'ERR_INVALID_GRANT';

/** The last segment of a wire path: `params` for `outgoing.params`. */
export const leaf = (wire: string): string => wire.slice(wire.lastIndexOf('.') + 1);

/** Checks one option's value; returns what is written, or `undefined` for nothing (`false`). */
function checked(f: CompiledField, value: unknown, copyJson: JsonCopier | undefined): unknown {
  switch (f.kind) {
    case 'string':
      return assertString(value, f.rule.path, code);
    case 'sid':
      return assertSid(value, f.rule);
    case 'true':
      if (typeof value !== 'boolean')
        fail({ code, path: f.rule.path, expected: 'a boolean', received: value, show: 'value' });
      return value || undefined;
    default: {
      // Only tables with JSON fields reach here, and their factories pass the copier.
      const json = (copyJson as JsonCopier)(value, f.rule.path, code);
      if (f.kind === 'payload' && Object.keys(json).length === 0)
        fail({ code, path: f.rule.path, expected: f.rule.label, received: json });
      return json;
    }
  }
}

/**
 * Validates a factory's options against its product's table and makes the grant: the table's
 * fields in order, each checked by its kind and written at its wire path, nested objects frozen.
 * The table is compiled once (paths, wire splits, SID rules), so a call allocates only the grant.
 */
export function buildGrant<G extends GrantOf<GrantProduct, string, object>>(
  spec: GrantSpec,
  options: unknown,
  copyJson?: JsonCopier,
): G {
  const c = compiled(spec);
  const values = grantValues(options, spec, c);
  let payload: Record<string, unknown> = {};
  let json = '';
  let open = '';
  let allows = spec.some === undefined;
  const fields = c.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as CompiledField;
    const value = values[i];
    if (value === undefined && !f.required) continue;
    if (f.needsAt >= 0 && values[f.needsAt] === undefined) {
      const name = f.inner ?? f.outer;
      fail({
        code,
        path: f.rule.path,
        expected: `${name} only with an ${f.needs}`,
        receivedText: `${name} without one`,
      });
    }
    const written = checked(f, value, copyJson);
    if (written === undefined) continue;
    if (f.some) allows = true;
    if (c.direct) {
      // The payload's JSON, written as the payload is built (JSON.stringify of a fresh object cost
      // a third of a factory call): keys are the table's own, values strings, true or plain JSON.
      const text = written === true ? 'true' : JSON.stringify(written);
      if (f.inner === undefined) {
        json += `${open === '' ? '' : '}'},"${f.outer}":${text}`;
        open = '';
      } else if (open === f.outer) json += `,"${f.inner}":${text}`;
      else {
        json += `${open === '' ? '' : '}'},"${f.outer}":{"${f.inner}":${text}`;
        open = f.outer;
      }
    }
    if (f.outer === '') payload = written as Record<string, unknown>;
    else if (f.inner === undefined) payload[f.outer] = written;
    else {
      payload[f.outer] ??= {};
      (payload[f.outer] as Record<string, unknown>)[f.inner] = written;
    }
  }
  if (!allows && spec.some !== undefined) {
    const named = spec.some.options.map((option) =>
      c.fields.find((f) => f.option === option)?.kind === 'true' ? `${option}: true` : `an ${option}`,
    );
    fail({ code, path: c.at, expected: named.join(' and/or '), receivedText: 'a grant that allows nothing' });
  }
  // Otherwise stringified before it is frozen: V8 writes the JSON of a frozen object on a slower path.
  const text = c.direct ? `{${json.slice(1)}${open === '' ? '' : '}'}}` : JSON.stringify(payload);
  for (const f of c.fields) if (f.inner !== undefined) Object.freeze(payload[f.outer]);
  return makeGrant(spec, payload, text) as unknown as G;
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
