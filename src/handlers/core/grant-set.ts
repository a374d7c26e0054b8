import { fail, isAccessTokenError } from '../../base/errors.js';
import type { GrantEntry } from '../../grants/grant.js';
import { grantEntries, grantMember } from '../../grants/grant-list.js';
import type { GrantProduct } from '../../grants/index.js';
import type { GrantsResult, TokenHandlerOptions, TokenRequest } from './types.js';

// The `grants` option: fixed grants validated and captured when the handler is created, or a
// function whose result is checked per request. Either way the token is signed with a fresh list of
// this copy's grants, and the audit takes its products from the same entries (never from the token).
// A grant of another copy of the package is refused, as minting refuses it.

/** Grants as a token is signed with them: this copy's grants, and their products, both frozen. */
export interface GrantSet {
  readonly grants: GrantsResult;
  readonly products: readonly GrantProduct[];
}

/** The `grants` option, read: a fixed set, or a function of the request and identity. */
export type ResolvedGrants = GrantSet | ((request: TokenRequest, identity: string) => unknown);

/**
 * Reads the `grants` option when the handler is created: fixed grants are validated and captured in
 * a fresh frozen set, so a later change to the caller's array (a grant replaced, pushed or broken)
 * changes no token.
 */
export function resolveGrants(value: TokenHandlerOptions['grants'] | undefined): ResolvedGrants {
  return typeof value === 'function' ? value : setOf(grantEntries(value));
}

/**
 * A `grants` function must return a grant or an array of grants this copy made; anything else is a
 * server bug: `ERR_INVALID_OPTION` (a 500, told to `onError` with why the value is refused, such as
 * a grant of another installed copy), never the 400 a grant built from the request's input gets.
 */
export function builtGrants(value: unknown): GrantSet {
  const member = (g: unknown) => grantMember(g) !== undefined;
  if (Array.isArray(value) ? value.every(member) : member(value)) return setOf(grantEntries(value));
  let why = '';
  try {
    grantEntries(value);
  } catch (error) {
    if (isAccessTokenError(error)) why = ` (${error.message})`;
  }
  return fail(
    'ERR_INVALID_OPTION',
    'options.grants',
    'a function that returns grants made by this copy of twilio-access-token',
    `something that is not a grant or an array of grants${why}`,
  );
}

function setOf(entries: readonly GrantEntry[]): GrantSet {
  // An entry's grant is one this copy made (a factory's result), so it is a Grant.
  const grants = Object.freeze(entries.map((entry) => entry.grant)) as unknown as GrantsResult;
  return Object.freeze({ grants, products: Object.freeze(entries.map((entry) => entry.product)) });
}
