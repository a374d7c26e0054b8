// A grant where the identity belongs: named as the slip it is.
import { fail } from '../base/errors.js';
import { hasBrand } from '../grants/grant.js';
import { isTwilioGrant, TWILIO_GRANT_FIX } from '../grants/grant-list.js';

/**
 * A grant where the identity belongs (`createAccessToken(videoGrant(), { ttl })`) is named as the
 * slip it is, before the options, which are then in the grants' place, are read.
 */
export function assertNotGrantAsIdentity(identity: unknown): void {
  if (typeof identity !== 'object' || identity === null) return;
  const slip = grantSlip(identity);
  if (slip === undefined) return;
  fail(
    'ERR_INVALID_IDENTITY',
    'identity',
    'a string of 1 to 256 characters',
    `${slip.array ? 'an array of ' : 'a '}${slip.twilio ? 'twilio grant' : 'grant'}${slip.array ? 's' : ''}`,
    `The identity comes first: createAccessToken(identity, grants, options)${slip.twilio ? `. ${TWILIO_GRANT_FIX}` : ''}`,
  );
}

/** Whether a value is a grant, or a non-empty array of grants, of this package or of twilio. Never throws. */
function grantSlip(value: object): { array: boolean; twilio: boolean } | undefined {
  try {
    const array = Array.isArray(value);
    const items: readonly unknown[] = array ? [...(value as unknown[])] : [value];
    const ours = (item: unknown) => typeof item === 'object' && item !== null && hasBrand(item);
    if (items.length === 0 || !items.every((item) => ours(item) || isTwilioGrant(item))) return undefined;
    return { array, twilio: items.some(isTwilioGrant) };
  } catch {
    // A revoked Proxy or one whose traps throw: not a grant; the identity check describes it.
    return undefined;
  }
}
