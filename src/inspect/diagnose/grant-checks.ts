import { keyPath } from '../../base/errors.js';
import { isPlainObject } from '../../base/known-keys.js';
import { identityProblem } from '../../base/validate.js';
import { PRODUCTS } from '../../grants/products.js';
import type { GrantSpec } from '../../grants/spec.js';
import { own } from '../claim-checks.js';
import { finding } from './finding.js';
import { checkGrantFields } from './grant-fields.js';
import type { Add } from './token-checks.js';

// The grant checks behind diagnoseAccessToken, and the identity's (it lives in the grants claim).
// Grant keys come from the token, so every table here is a Map and every read an own property: a
// grant named `constructor` or `__proto__` is an unknown grant, never Object.prototype's member.
// The products' tables (src/grants/<product>.ts) say what Twilio documents.

/** Each product's table by its key under grants; every product, region and field fact is there. */
const BY_KEY = /* @__PURE__ */ new Map(/* @__PURE__ */ PRODUCTS.map((spec) => [spec.key, spec]));
/** The Regions the tables name, in order: us1, ie1, au1. */
const REGIONS = /* @__PURE__ */ Array.from(
  /* @__PURE__ */ new Set(/* @__PURE__ */ PRODUCTS.flatMap((spec) => spec.regions)),
);

// Voice client names may not hold spaces, RFC 2396 delims or unwise characters (Twilio error 31105).
const VOICE_UNSAFE = /[\s<>#%"{}|\\^[\]`]/;

/** Adds the findings about the identity: missing, invalid, or unusable by Video or Voice. */
export function checkIdentity(grants: Record<string, unknown>, add: Add): void {
  const identity = own(grants, 'identity');
  const path = 'payload.grants.identity';
  if (identity === undefined || identity === '') {
    add(
      finding('IDENTITY_MISSING', {
        path,
        receivedText: 'missing',
        expected: 'a user: every client SDK needs one',
      }),
    );
    return;
  }
  const problem = identityProblem(identity);
  if (problem !== undefined) {
    add(finding('INVALID_IDENTITY', { path, received: identity, expected: problem }));
    return;
  }
  const text = identity as string;
  // Video counts double-byte characters twice (Twilio error 53201).
  const videoLength = [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x7f ? 2 : 1), 0);
  if (Object.hasOwn(grants, 'video') && videoLength > 128)
    add(
      finding('IDENTITY_TOO_LONG_FOR_VIDEO', {
        path,
        receivedText: `${videoLength} characters long (double-byte ones count twice)`,
        expected: 'at most 128 for a Video Participant',
      }),
    );
  const voiceLength = [...text].length;
  const voice = Object.hasOwn(grants, 'voice');
  const fails = 'for a Voice client name: calls to it fail';
  if (voice && VOICE_UNSAFE.test(text))
    add(
      finding('IDENTITY_UNSAFE_FOR_VOICE', {
        path,
        receivedText: 'holding a space or one of < > # % " { } | \\ ^ [ ] `',
        expected: `none of them ${fails}`,
      }),
    );
  if (voice && voiceLength > VOICE_MAX)
    add(
      finding('IDENTITY_TOO_LONG_FOR_VOICE', {
        path,
        receivedText: `${voiceLength} characters long`,
        expected: `at most ${VOICE_MAX} ${fails}`,
      }),
    );
}

/** The longest Voice client name (Twilio error 31105 beyond it). */
const VOICE_MAX = 121;

/** The keys of the products that are not legacy, for messages. */
const CURRENT = /* @__PURE__ */ (() =>
  PRODUCTS.filter((spec) => spec.legacy === undefined)
    .map((spec) => spec.key)
    .join(', '))();

/** Adds the findings about the grants: unknown keys, missing products, malformed grants, regions. */
export function checkGrants(grants: Record<string, unknown>, header: Record<string, unknown>, add: Add): void {
  const keys = Object.keys(grants).filter((k) => k !== 'identity');
  const known = keys.filter((k) => BY_KEY.has(k));
  for (const key of keys) if (!BY_KEY.has(key)) add(unknownGrant(key));
  if (known.length === 0)
    add(
      finding('NO_GRANTS', {
        path: 'payload.grants',
        what: 'grants claim',
        receivedText: 'without a product grant: it authorizes nothing',
        expected: `one of ${CURRENT}`,
      }),
    );
  for (const key of known) {
    const spec = BY_KEY.get(key) as GrantSpec;
    const grant = own(grants, key);
    const path = `payload.grants.${key}`;
    if (!isPlainObject(grant)) add(finding('INVALID_GRANT', { path, received: grant, expected: 'an object' }));
    else checkGrantFields(spec, grant, add);
    if (spec.legacy !== undefined)
      add(
        finding('GRANT_LEGACY_PLAYBACK', {
          path,
          receivedText: 'a legacy grant',
          expected: `one of ${CURRENT}`,
          hint: spec.legacy,
        }),
      );
  }
  checkRegion(own(header, 'twr'), known, add);
}

/**
 * A grant key no Twilio SDK reads. A warning, not an error: Twilio accepts the token and ignores the
 * key, so the token works for its other grants and grants nothing through this one (with no other
 * grant, NO_GRANTS is the error). The key is shown only when it is at most 8 characters (keyPath).
 */
function unknownGrant(key: string): Parameters<Add>[0] {
  return finding(
    'GRANT_UNKNOWN',
    key === 'ip_messaging'
      ? {
          path: 'payload.grants.ip_messaging',
          receivedText: 'the legacy IP Messaging grant',
          expected: 'chat, which Conversations and Chat read',
        }
      : {
          path: keyPath('payload.grants', key),
          receivedText: 'a grant no Twilio client SDK reads: Twilio ignores it, so it grants nothing',
          expected: `one of ${[...BY_KEY.keys()].join(', ')}`,
        },
  );
}

function checkRegion(region: unknown, keys: readonly string[], add: Add): void {
  if (region === undefined) return;
  if (typeof region !== 'string' || !REGIONS.includes(region)) {
    add(
      finding('REGION_UNKNOWN', {
        path: 'header.twr',
        what: 'region (twr)',
        received: region,
        expected: `one this library knows: ${REGIONS.join(', ')}`,
      }),
    );
    return;
  }
  for (const key of keys) {
    const spec = BY_KEY.get(key) as GrantSpec;
    if (!spec.regions.includes(region))
      add(
        finding('REGION_UNSUPPORTED', {
          path: `payload.grants.${key}`,
          receivedText: `${spec.name} in ${region.toUpperCase()}, which does not serve it`,
          expected: 'US1',
          hint: 'Mint this grant with a US1 API Key and no region',
        }),
      );
  }
}
