import { keyPath } from '../../base/errors.js';
import { isPlainObject, suggestKey } from '../../base/known-keys.js';
import { isSid } from '../../base/validate.js';
import { leaf, wireValue } from '../../grants/build.js';
import type { GrantField, GrantSpec } from '../../grants/spec.js';
import { own } from '../claim-checks.js';
import { type Found, finding } from './finding.js';
import type { Add } from './token-checks.js';

// The checks inside one product's grant, all read from its table (src/grants/<product>.ts): each
// wire field's kind, SID prefix and label, required fields, what a grant that sets nothing means,
// and fields the table does not know. Own properties only: the grant comes from the token.

/** Adds the findings about one product's grant, which is a plain object. */
export function checkGrantFields(spec: GrantSpec, grant: Record<string, unknown>, add: Add): void {
  const { key, some } = spec;
  for (const field of spec.fields) {
    if (field.kind === 'payload') continue;
    const dot = field.wire.indexOf('.');
    const outer = dot < 0 ? undefined : own(grant, field.wire.slice(0, dot));
    const value = wireValue(grant, field.wire);
    // A nested field is required once its object is there, unless it only goes with another.
    const required = field.required === true || (outer !== undefined && field.needs === undefined);
    if (value === undefined && !required) continue;
    const found = fieldProblem(field, value, key);
    if (found !== undefined) add(finding('INVALID_GRANT', { path: `payload.grants.${key}.${field.wire}`, ...found }));
  }
  if (some !== undefined) {
    const outers = some.options.map((option) => outerOf(spec.fields.find((f) => f.option === option)?.wire ?? ''));
    if (!outers.some((name) => own(grant, name) !== undefined))
      add(
        finding('VOICE_GRANT_EMPTY', {
          path: `payload.grants.${key}`,
          receivedText: `a grant that ${some.nothing}`,
          expected: `one of ${outers.join(', ')}`,
        }),
      );
  }
  if (!spec.fields.some((field) => field.kind === 'payload')) checkUnknownFields(spec, grant, add);
}

/** The first name of a wire path: `incoming` of `incoming.allow`. */
function outerOf(wire: string): string {
  const dot = wire.indexOf('.');
  return dot === -1 ? wire : wire.slice(0, dot);
}

/** What is wrong with a field's value, as the parts of its finding, or `undefined`. */
function fieldProblem(field: GrantField, value: unknown, key: string): Omit<Found, 'path'> | undefined {
  switch (field.kind) {
    case 'sid': {
      if (isSid(value, field.prefix as string)) return undefined;
      if (key === 'chat' && field.prefix === 'IS' && isSid(value, 'MG'))
        return {
          receivedText: 'a Messaging Service SID (MG...)',
          expected: 'the Conversations Service SID (IS...), which Conversations needs',
        };
      return { received: value, show: 'sid', expected: `${field.label} (${field.prefix} followed by 32 hex digits)` };
    }
    case 'string': {
      if (typeof value === 'string' && value !== '') return undefined;
      const widens = field.widens === undefined ? '' : `, or no ${leaf(field.wire)} for ${field.widens}`;
      return { received: value, expected: `${field.label ?? 'a non-empty string'}${widens}` };
    }
    case 'true':
      return value === true ? undefined : { received: value, expected: 'true (a string "true" does not count)' };
    default:
      return isPlainObject(value) ? undefined : { received: value, expected: 'a plain JSON object' };
  }
}

/**
 * A field the table does not know, at the top of the grant or inside a nested object: Twilio
 * ignores it, so `video.rooom` is a grant for every Room. The field is named only when it is at
 * most 8 characters (keyPath); a suggestion names only a known field.
 */
function checkUnknownFields(spec: GrantSpec, grant: Record<string, unknown>, add: Add): void {
  const wires = spec.fields.map((field) => field.wire);
  const visit = (object: Record<string, unknown>, prefix: string) => {
    const known = wires.filter((w) => w.startsWith(prefix)).map((w) => outerOf(w.slice(prefix.length)));
    for (const name of Object.keys(object)) {
      const value = object[name];
      if (known.includes(name)) {
        if (isPlainObject(value) && wires.some((w) => w.startsWith(`${prefix}${name}.`)))
          visit(value, `${prefix}${name}.`);
        continue;
      }
      add(unknownField(spec, prefix, name, known, object));
    }
  };
  visit(grant, '');
}

function unknownField(
  spec: GrantSpec,
  prefix: string,
  name: string,
  known: readonly string[],
  object: Record<string, unknown>,
): Parameters<Add>[0] {
  const meant = suggestKey(name, known);
  const field = spec.fields.find((f) => f.wire === `${prefix}${meant}`);
  const widens =
    field?.widens === undefined || own(object, meant as string) !== undefined
      ? ''
      : `: without ${meant} the grant allows ${field.widens}`;
  return finding('GRANT_FIELD_UNKNOWN', {
    path: keyPath(`payload.grants.${spec.key}${prefix === '' ? '' : `.${prefix.slice(0, -1)}`}`, name),
    receivedText: 'a field Twilio does not read, so it is ignored',
    expected: meant === undefined ? `one of ${known.join(', ')}` : `"${meant}"${widens}`,
  });
}
