import { isPlainObject } from '../base/known-keys.js';
import { MILLISECONDS } from '../base/time.js';
import { PRODUCTS } from '../grants/products.js';
import type { FieldKind, GrantSpec } from '../grants/spec.js';

// What decoding checks before it returns a header and payload typed as AccessTokenHeader and
// AccessTokenPayload: every claim Twilio requires, and each product's grant fields by type. Each
// check answers why a token is not an Access Token, or undefined; decode.ts turns that into
// ERR_MALFORMED_TOKEN. Own properties only, so `__proto__` or `constructor` keys are plain data.

/** Why a parsed header and payload are not a Twilio Access Token; `undefined` when they are one. */
export function tokenProblem(header: Record<string, unknown>, payload: Record<string, unknown>): string | undefined {
  return headerProblem(header) ?? payloadProblem(payload) ?? grantsProblem(payload.grants as Record<string, unknown>);
}

/** An own property only: a key such as `constructor` or `__proto__` never reaches the prototype. */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function headerProblem(header: Record<string, unknown>): string | undefined {
  for (const key of ['alg', 'typ', 'cty'] as const)
    if (typeof own(header, key) !== 'string') return `a header whose ${key} is not a string`;
  if (own(header, 'twr') !== undefined && typeof own(header, 'twr') !== 'string')
    return 'a header whose twr is not a string';
  return undefined;
}

function payloadProblem(payload: Record<string, unknown>): string | undefined {
  if (!isPlainObject(own(payload, 'grants'))) return 'a payload without a grants object';
  for (const claim of ['exp', 'iat', 'nbf'] as const) {
    const value = own(payload, claim);
    if (value === undefined && claim === 'nbf') continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      return `a payload whose ${claim} is not an integer (epoch seconds)`;
    if (value >= MILLISECONDS)
      return `a payload whose ${claim} is in milliseconds (${value}); claims are epoch seconds`;
  }
  for (const claim of ['jti', 'iss', 'sub'] as const)
    if (typeof own(payload, claim) !== 'string') return `a payload whose ${claim} is not a string`;
  return undefined;
}

type FieldType = 'string' | 'boolean' | 'object' | { readonly [field: string]: FieldType };

const TYPES: Readonly<Record<FieldKind, 'string' | 'boolean' | 'object'>> = {
  string: 'string',
  sid: 'string',
  true: 'boolean',
  json: 'object',
  payload: 'object',
};

/** What decoding checks in a product's grant, from its table: each wire field's type, nested ones nested. */
function fieldTypes(spec: GrantSpec): Readonly<Record<string, FieldType>> {
  const out: Record<string, Record<string, FieldType> | FieldType> = {};
  for (const field of spec.fields) {
    if (field.wire === '') continue;
    const [outer, inner] = field.wire.split('.') as [string, string | undefined];
    if (inner === undefined) out[outer] = TYPES[field.kind];
    else out[outer] = { ...(out[outer] as Record<string, FieldType> | undefined), [inner]: TYPES[field.kind] };
  }
  return out;
}

// By wire key; the types of AccessTokenGrants say the same.
const GRANT_FIELDS = new Map(PRODUCTS.map((spec) => [spec.key, fieldTypes(spec)]));

function grantsProblem(grants: Record<string, unknown>): string | undefined {
  const identity = own(grants, 'identity');
  if (identity !== undefined && typeof identity !== 'string') return 'grants whose identity is not a string';
  for (const [key, fields] of GRANT_FIELDS) {
    const grant = own(grants, key);
    if (grant === undefined) continue;
    const problem = fieldProblem(grant, fields, key);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldProblem(value: unknown, type: FieldType, at: string): string | undefined {
  if (typeof type === 'string') {
    const fine = type === 'object' ? isPlainObject(value) : typeof value === type;
    return fine ? undefined : `a ${at} that is not ${type === 'object' ? 'an object' : `a ${type}`}`;
  }
  if (!isPlainObject(value)) return `a ${at} grant that is not an object`;
  for (const [field, fieldType] of Object.entries(type)) {
    const v = own(value, field);
    if (v !== undefined) {
      const problem = fieldProblem(v, fieldType, `${at}.${field}`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
