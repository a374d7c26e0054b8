import { describe, keyPath, MAX_SHOWN } from '../../base/errors.js';
import { isPlainObject } from '../../base/known-keys.js';
import { identityProblem } from '../../base/validate.js';
import { PRODUCTS } from '../../grants/products.js';
import { finding } from './finding.js';
import { checkGrantFields } from './grant-fields.js';
import { type Add, own } from './token-checks.js';

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
  if (identity === undefined || identity === '') {
    add(
      finding(
        'IDENTITY_MISSING',
        'The grants have no identity: every client SDK needs one (mint the token for a user)',
        'payload.grants.identity',
      ),
    );
    return;
  }
  const problem = identityProblem(identity);
  if (problem !== undefined) {
    add(finding('INVALID_IDENTITY', `The identity is not acceptable: expected ${problem}`, 'payload.grants.identity'));
    return;
  }
  const text = identity as string;
  // Video counts double-byte characters twice (Twilio error 53201).
  const videoLength = [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x7f ? 2 : 1), 0);
  if (Object.hasOwn(grants, 'video') && videoLength > 128) {
    add(
      finding(
        'IDENTITY_TOO_LONG_FOR_VIDEO',
        `Video Participant identities are at most 128 characters (double-byte ones count twice); this one counts ${videoLength}`,
        'payload.grants.identity',
      ),
    );
  }
  if (Object.hasOwn(grants, 'voice') && VOICE_UNSAFE.test(text)) {
    add(
      finding(
        'IDENTITY_UNSAFE_FOR_VOICE',
        'Voice client names may not contain spaces or the characters < > # % " { } | \\ ^ [ ] `; calls to this identity fail with 31105',
        'payload.grants.identity',
      ),
    );
  }
  const voiceLength = [...text].length;
  if (Object.hasOwn(grants, 'voice') && voiceLength > VOICE_MAX) {
    add(
      finding(
        'IDENTITY_TOO_LONG_FOR_VOICE',
        `Voice client names are at most ${VOICE_MAX} characters; this identity has ${voiceLength}: calls to it fail with 31105`,
        'payload.grants.identity',
      ),
    );
  }
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
  if (known.length === 0) {
    add(finding('NO_GRANTS', `The token grants no product (${CURRENT}): it authorizes nothing`, 'payload.grants'));
  }
  for (const key of known) {
    if (!isPlainObject(grants[key])) {
      add(
        finding(
          'INVALID_GRANT',
          `The ${key} grant is ${describe(grants[key], 'value')}, not an object`,
          `payload.grants.${key}`,
        ),
      );
    }
  }
  for (const key of known) {
    const spec = BY_KEY.get(key);
    if (spec === undefined) continue;
    const grant = own(grants, key);
    if (isPlainObject(grant)) checkGrantFields(spec, grant, add);
    if (spec.legacy !== undefined) add(finding('GRANT_LEGACY_PLAYBACK', spec.legacy, `payload.grants.${key}`));
  }
  checkRegion(own(header, 'twr'), known, add);
}

/**
 * A grant key no Twilio SDK reads. A warning, not an error: Twilio accepts the token and ignores the
 * key, so the token works for its other grants and grants nothing through this one (with no other
 * grant, NO_GRANTS is the error). The key is shown only when it is at most 8 characters.
 */
function unknownGrant(key: string): Parameters<Add>[0] {
  const named = key.length <= MAX_SHOWN ? `The grant ${JSON.stringify(key)}` : `A grant whose key is ${describe(key)}`;
  return finding(
    'GRANT_UNKNOWN',
    key === 'ip_messaging'
      ? 'ip_messaging is the legacy IP Messaging grant; Conversations and Chat read the chat grant'
      : `${named} is not one any Twilio client SDK reads: Twilio ignores it, so it grants nothing. The grants are ${[...BY_KEY.keys()].join(', ')}`,
    key === 'ip_messaging' ? 'payload.grants.ip_messaging' : keyPath('payload.grants', key),
  );
}

function checkRegion(region: unknown, keys: readonly string[], add: Add): void {
  if (region === undefined) return;
  if (typeof region !== 'string' || !REGIONS.includes(region)) {
    add(
      finding(
        'REGION_UNKNOWN',
        `The region (twr) ${describe(region, 'value')} is not one this library knows (${REGIONS.join(', ')})`,
        'header.twr',
      ),
    );
    return;
  }
  for (const key of keys) {
    const spec = BY_KEY.get(key);
    if (spec === undefined || spec.regions.includes(region)) continue;
    add(
      finding(
        'REGION_UNSUPPORTED',
        `${spec.name} is not served in ${region.toUpperCase()}; mint this grant with a US1 API Key and no region`,
        `payload.grants.${key}`,
      ),
    );
  }
}
