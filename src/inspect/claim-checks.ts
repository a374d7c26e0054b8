import { isPlainObject } from '../base/known-keys.js';
import { MILLISECONDS } from '../base/time.js';
import { PRODUCTS } from '../grants/products.js';
import type { FieldKind, GrantSpec } from '../grants/spec.js';

// What decoding checks before it returns a header and payload typed as AccessTokenHeader and
// AccessTokenPayload: every claim Twilio requires, and each product's grant fields by type. Each
// check answers why a token is not an Access Token, or undefined; decode.ts turns that into
// ERR_MALFORMED_TOKEN. Own properties only, so `__proto__` or `constructor` keys are plain data.

/** Why a parsed header and payload are not a Twilio Access Token; `undefined` when they are one. */
export function claimsProblem(header: Record<string, unknown>, payload: Record<string, unknown>): string | undefined {
  return headerProblem(header) ?? payloadProblem(payload) ?? grantsProblem(payload.grants as Record<string, unknown>);
}

/**
 * An own property of parsed JSON only: a key such as `constructor` or `__proto__` never reaches the
 * prototype. Internal, shared with diagnose.
 */
export function own(object: Record<string, unknown>, key: string): unknown {
  // Read first: an absent key (most grants, nbf) needs no second look.
  const value = object[key];
  return value === undefined || Object.hasOwn(object, key) ? value : undefined;
}

// Each key checked by its own call, not in a loop over a list of keys: once inlined, every key is a
// constant and each read a named property load, which costs a fraction of a keyed one.
function headerProblem(header: Record<string, unknown>): string | undefined {
  return (
    headerString(header, 'alg') ??
    headerString(header, 'typ') ??
    headerString(header, 'cty') ??
    (own(header, 'twr') !== undefined ? headerString(header, 'twr') : undefined)
  );
}

function headerString(header: Record<string, unknown>, key: string): string | undefined {
  return typeof own(header, key) === 'string' ? undefined : `a header whose ${key} is not a string`;
}

function payloadProblem(payload: Record<string, unknown>): string | undefined {
  if (!isPlainObject(own(payload, 'grants'))) return 'a payload without a grants object';
  return (
    timeProblem(payload, 'exp') ??
    timeProblem(payload, 'iat') ??
    (own(payload, 'nbf') !== undefined ? timeProblem(payload, 'nbf') : undefined) ??
    claimString(payload, 'jti') ??
    claimString(payload, 'iss') ??
    claimString(payload, 'sub')
  );
}

function timeProblem(payload: Record<string, unknown>, claim: string): string | undefined {
  const value = own(payload, claim);
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    return `a payload whose ${claim} is not an integer (epoch seconds)`;
  if (value >= MILLISECONDS) return `a payload whose ${claim} is in milliseconds (${value}); claims are epoch seconds`;
  return undefined;
}

function claimString(payload: Record<string, unknown>, claim: string): string | undefined {
  return typeof own(payload, claim) === 'string' ? undefined : `a payload whose ${claim} is not a string`;
}

type Kind = 'string' | 'boolean' | 'object';
/** A grant's or a nested object's fields, as a list made once: nothing is allocated per check. */
type Fields = readonly { readonly field: string; readonly type: Kind | Fields }[];

const TYPES: Readonly<Record<FieldKind, Kind>> = {
  string: 'string',
  sid: 'string',
  true: 'boolean',
  json: 'object',
  payload: 'object',
};

/** What decoding checks in a product's grant, from its table: each wire field's type, nested ones nested. */
function fieldTypes(spec: GrantSpec): Fields {
  const out: Record<string, Kind | Record<string, Kind>> = {};
  for (const field of spec.fields) {
    if (field.wire === '') continue;
    const [outer, inner] = field.wire.split('.') as [string, string | undefined];
    if (inner === undefined) out[outer] = TYPES[field.kind];
    else out[outer] = { ...(out[outer] as Record<string, Kind> | undefined), [inner]: TYPES[field.kind] };
  }
  return Object.entries(out).map(([field, type]) => ({
    field,
    type: typeof type === 'string' ? type : Object.entries(type).map(([f, t]) => ({ field: f, type: t })),
  }));
}

// By wire key; the types of AccessTokenGrants say the same.
const GRANT_FIELDS: Fields = /* @__PURE__ */ PRODUCTS.map((spec) => ({ field: spec.key, type: fieldTypes(spec) }));

function grantsProblem(grants: Record<string, unknown>): string | undefined {
  const identity = own(grants, 'identity');
  if (identity !== undefined && typeof identity !== 'string') return 'grants whose identity is not a string';
  return fieldsProblem(grants, GRANT_FIELDS, '');
}

/** The first field of `object` (checked to be one) whose type is wrong, named by its path. */
function fieldsProblem(object: Record<string, unknown>, fields: Fields, at: string): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const { field, type } = fields[i] as Fields[number];
    const value = own(object, field);
    if (value === undefined) continue;
    if (typeof type !== 'string') {
      if (!isPlainObject(value)) return `a ${pathOf(at, field)} grant that is not an object`;
      const problem = fieldsProblem(value, type, pathOf(at, field));
      if (problem !== undefined) return problem;
    } else if (type === 'object' ? !isPlainObject(value) : typeof value !== type) {
      return `a ${pathOf(at, field)} that is not ${type === 'object' ? 'an object' : `a ${type}`}`;
    }
  }
  return undefined;
}

function pathOf(at: string, field: string): string {
  return at === '' ? field : `${at}.${field}`;
}
