import { describe, fail, isAccessTokenError, isThenable } from '../base/errors.js';
import { type GrantEntry, hasBrand, madeEntry, memberOf } from './grant.js';

// Only grants this copy made are accepted. A value with the grant brand that this copy did not
// make (a grant of another copy of the package, or a forgery) is refused, never read.
const OTHER_COPY =
  'a grant from another copy of twilio-access-token (another installed version?), a Proxy or a forgery';

/** This copy's entry for a grant, or why the value is not one. */
function entryOf(value: unknown): GrantEntry | string | undefined {
  const made = madeEntry(value);
  if (made !== undefined || typeof value !== 'object' || value === null) return made;
  return hasBrand(value) ? OTHER_COPY : undefined;
}

/**
 * The `"key":{...}` member a grant adds to the `grants` claim, or `undefined` for anything that is
 * not a grant this copy accepts.
 */
export function grantMember(value: unknown): string | undefined {
  const entry = entryOf(value);
  return typeof entry === 'object' ? entry.member : undefined;
}

/** A `twilio` grant instance: what twilio's `AccessToken#addGrant` takes. Never throws. */
export function isTwilioGrant(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const v = value as { key?: unknown; toPayload?: unknown };
    return typeof v.toPayload === 'function' && typeof v.key === 'string';
  } catch {
    return false;
  }
}

/** The fix for a grant of the twilio package where this package's grant belongs; internal. */
export const TWILIO_GRANT_FIX =
  "A grant of the twilio package must be converted with fromTwilioGrant() from 'twilio-access-token/twilio'";

/** Refuses a value in the grants position that is not a grant, with the fix for the usual mistakes. */
function notAGrant(value: unknown, path: string, reason: string | undefined): never {
  // A Promise is described as "a Promise: missing await?"; a Proxy whose every trap throws is
  // still only "an object" (isTwilioGrant and hasBrand never throw).
  const hint = isThenable(value)
    ? undefined
    : isTwilioGrant(value)
      ? TWILIO_GRANT_FIX
      : typeof value === 'object' && value !== null && hasBrand(value)
        ? 'Make grants with the same import as createAccessToken, and pass them as they are'
        : undefined;
  return fail(
    'ERR_INVALID_GRANT',
    path,
    path === 'grants' ? 'a grant or an array of grants' : 'a grant from a factory such as videoGrant()',
    reason ?? describe(value),
    hint,
  );
}

/**
 * Validates a grant list and returns this copy's entry for each grant, in the order given: one
 * grant per product, each made by this copy.
 */
export function grantEntries(grants: unknown): readonly GrantEntry[] {
  try {
    return checkedEntries(grants);
  } catch (error) {
    if (isAccessTokenError(error)) throw error;
    // A revoked Proxy, or an array Proxy whose traps throw: refused, not passed on as a TypeError.
    return notAGrant(grants, 'grants', 'an object whose items cannot be read');
  }
}

function checkedEntries(grants: unknown): readonly GrantEntry[] {
  const array = Array.isArray(grants);
  const items: readonly unknown[] = array ? grants : [grants];
  if (items.length === 0) fail('ERR_NO_GRANTS', 'grants', 'at least one grant', 'an empty array');
  const entries: GrantEntry[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const entry = entryOf(item);
    if (typeof entry !== 'object') notAGrant(item, array ? `grants[${i}]` : 'grants', entry);
    const j = entries.findIndex((e) => e.product === entry.product);
    if (j >= 0) {
      fail(
        'ERR_DUPLICATE_GRANT',
        'grants',
        'one grant per product',
        `two "${entry.grant.key}" grants, grants[${j}] and grants[${i}]`,
        'Combine their options into one grant',
      );
    }
    entries.push(entry);
  }
  return entries;
}

/**
 * Validates a grant list and returns the `grants` claim's members after `identity`:
 * `,"video":{...},"voice":{...}` in the order given.
 */
export function grantsJson(grants: unknown): string {
  // The common case, grants this copy made, with one brand check per grant and no allocation;
  // anything else (another copy's grant, a duplicate, a mistake, a hostile Proxy) takes the
  // checking path.
  const member = memberOf(grants);
  if (member !== undefined) return `,${member}`;
  let out: string | undefined;
  try {
    out = madeGrantsJson(grants);
  } catch {
    out = undefined;
  }
  if (out !== undefined) return out;
  out = '';
  for (const entry of grantEntries(grants)) out += `,${entry.member}`;
  return out;
}

/** The members of an array of distinct grants this copy made, or `undefined` for anything else. */
function madeGrantsJson(grants: unknown): string | undefined {
  if (!Array.isArray(grants)) return undefined;
  let out = '';
  for (let i = 0; i < grants.length; i++) {
    const grant: unknown = grants[i];
    const member = memberOf(grant);
    // Read once from the array (a Proxy may answer differently the second time); a grant this copy
    // made has its key as frozen data. A key already written is a duplicate (or, rarely, appears
    // inside params): the checking path decides.
    if (member === undefined || out.includes(`,"${(grant as GrantEntry['grant']).key}":`)) return undefined;
    out += `,${member}`;
  }
  return grants.length === 0 ? undefined : out;
}
