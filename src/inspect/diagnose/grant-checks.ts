import { describe, keyPath, MAX_SHOWN } from '../../base/errors.js';
import { isPlainObject } from '../../base/known-keys.js';
import { identityProblem, isSid } from '../../base/validate.js';
import { type Add, own } from './token-checks.js';

// The grant checks behind diagnoseAccessToken, and the identity's (it lives in the grants claim).
// Grant keys come from the token, so every table here is a Map and every read an own property: a
// grant named `constructor` or `__proto__` is an unknown grant, never Object.prototype's member.
// The tables say what Twilio documents.

/** The grant keys Twilio's client SDKs read, with the product's name for messages. */
const PRODUCTS: ReadonlyMap<string, string> = new Map([
  ['video', 'Video'],
  ['chat', 'Conversations (chat)'],
  ['voice', 'Voice'],
  ['data_sync', 'Sync'],
  ['task_router', 'TaskRouter'],
  ['player', 'Live playback'],
]);

/**
 * Where each product is served, by Twilio Region. Twilio isolates Regions, so a token for a product
 * outside its Region does not work there. Source: Twilio's "Regional product availability" page,
 * https://www.twilio.com/docs/global-infrastructure/regional-product-and-feature-availability
 * (IE1: Voice, Conversations chat, TaskRouter in beta; AU1: Voice; Video, Sync and Live: US1 only).
 */
const REGION_PRODUCTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['us1', ['video', 'chat', 'voice', 'data_sync', 'task_router', 'player']],
  ['ie1', ['chat', 'voice', 'task_router']],
  ['au1', ['voice']],
]);

// What a SID field in a grant must hold, by path under grants.
const GRANT_SIDS: readonly [key: string, field: string, prefix: string, label: string][] = [
  ['chat', 'service_sid', 'IS', 'a Conversations Service SID'],
  ['chat', 'deployment_role_sid', 'RL', 'a Role SID'],
  ['chat', 'push_credential_sid', 'CR', 'a Push Credential SID'],
  ['voice', 'push_credential_sid', 'CR', 'a Push Credential SID'],
  ['data_sync', 'service_sid', 'IS', 'a Sync Service SID'],
  ['task_router', 'workspace_sid', 'WS', 'a TaskRouter Workspace SID'],
  ['task_router', 'worker_sid', 'WK', 'a TaskRouter Worker SID'],
];
const REQUIRED_SIDS = new Set(['chat.service_sid', 'task_router.workspace_sid', 'task_router.worker_sid']);

// Voice client names may not hold spaces, RFC 2396 delims or unwise characters (Twilio error 31105).
const VOICE_UNSAFE = /[\s<>#%"{}|\\^[\]`]/;

/** Adds the findings about the identity: missing, invalid, or unusable by Video or Voice. */
export function checkIdentity(grants: Record<string, unknown>, add: Add): void {
  const identity = own(grants, 'identity');
  if (identity === undefined || identity === '') {
    add({
      severity: 'error',
      code: 'IDENTITY_MISSING',
      message: 'The grants have no identity: every client SDK needs one (mint the token for a user)',
      path: 'payload.grants.identity',
    });
    return;
  }
  const problem = identityProblem(identity);
  if (problem !== undefined) {
    add({
      severity: 'error',
      code: 'INVALID_IDENTITY',
      message: `The identity is not acceptable: expected ${problem}`,
      path: 'payload.grants.identity',
    });
    return;
  }
  const text = identity as string;
  // Video counts double-byte characters twice (Twilio error 53201).
  const videoLength = [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x7f ? 2 : 1), 0);
  if (Object.hasOwn(grants, 'video') && videoLength > 128) {
    add({
      severity: 'warning',
      code: 'IDENTITY_TOO_LONG_FOR_VIDEO',
      twilioError: 53201,
      message: `Video Participant identities are at most 128 characters (double-byte ones count twice); this one counts ${videoLength}`,
      path: 'payload.grants.identity',
    });
  }
  if (Object.hasOwn(grants, 'voice') && VOICE_UNSAFE.test(text)) {
    add({
      severity: 'warning',
      code: 'IDENTITY_UNSAFE_FOR_VOICE',
      twilioError: 31105,
      message:
        'Voice client names may not contain spaces or the characters < > # % " { } | \\ ^ [ ] `; calls to this identity fail with 31105',
      path: 'payload.grants.identity',
    });
  }
}

/** Adds the findings about the grants: unknown keys, missing products, malformed grants, regions. */
export function checkGrants(grants: Record<string, unknown>, header: Record<string, unknown>, add: Add): void {
  const keys = Object.keys(grants).filter((k) => k !== 'identity');
  const known = keys.filter((k) => PRODUCTS.has(k));
  for (const key of keys) if (!PRODUCTS.has(key)) add(unknownGrant(key));
  if (known.length === 0) {
    add({
      severity: 'error',
      code: 'NO_GRANTS',
      twilioError: 20106,
      message: 'The token grants no product (video, chat, voice, data_sync, task_router): it authorizes nothing',
      path: 'payload.grants',
    });
  }
  for (const key of known) {
    if (!isPlainObject(grants[key])) {
      add({
        severity: 'error',
        code: 'INVALID_GRANT',
        twilioError: 20106,
        message: `The ${key} grant is ${describe(grants[key], 'value')}, not an object`,
        path: `payload.grants.${key}`,
      });
    }
  }
  const grant = (key: string) => {
    const value = own(grants, key);
    return isPlainObject(value) ? value : undefined;
  };
  checkGrantSids(grant, add);
  checkVoice(grant('voice'), add);
  const room = own(grant('video') ?? {}, 'room');
  if (room !== undefined && (typeof room !== 'string' || room === '')) {
    add({
      severity: 'error',
      code: 'INVALID_GRANT',
      twilioError: 20106,
      message: `video.room is ${describe(room, 'value')}; expected a Room name or RM SID, or no room for every Room`,
      path: 'payload.grants.video.room',
    });
  }
  if (known.includes('player')) {
    add({
      severity: 'warning',
      code: 'GRANT_LEGACY_PLAYBACK',
      message: 'The player grant is for Twilio Live, which reached end of life on 2023-11-30',
      path: 'payload.grants.player',
    });
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
  return {
    severity: 'warning',
    code: 'GRANT_UNKNOWN',
    message:
      key === 'ip_messaging'
        ? 'ip_messaging is the legacy IP Messaging grant; Conversations and Chat read the chat grant'
        : `${named} is not one any Twilio client SDK reads: Twilio ignores it, so it grants nothing. The grants are ${[...PRODUCTS.keys()].join(', ')}`,
    path: key === 'ip_messaging' ? 'payload.grants.ip_messaging' : keyPath('payload.grants', key),
  };
}

function checkGrantSids(grant: (key: string) => Record<string, unknown> | undefined, add: Add): void {
  for (const [key, field, prefix, label] of GRANT_SIDS) {
    const g = grant(key);
    const value = g === undefined ? undefined : own(g, field);
    if (g === undefined || (value === undefined && !REQUIRED_SIDS.has(`${key}.${field}`))) continue;
    if (isSid(value, prefix)) continue;
    const messaging = key === 'chat' && isSid(value, 'MG');
    add({
      severity: 'error',
      code: 'INVALID_GRANT',
      twilioError: 20106,
      message: messaging
        ? 'chat.service_sid is a Messaging Service SID (MG...); Conversations needs the Conversations Service SID (IS...)'
        : `${key}.${field} is ${describe(value, 'sid')}; expected ${label} (${prefix} followed by 32 hex digits)`,
      path: `payload.grants.${key}.${field}`,
    });
  }
}

function checkVoice(voice: Record<string, unknown> | undefined, add: Add): void {
  if (voice === undefined) return;
  const malformed = (message: string, path: string) =>
    add({
      severity: 'error',
      code: 'INVALID_GRANT',
      twilioError: 20106,
      message,
      path: `payload.grants.voice${path}`,
    });
  const incoming = own(voice, 'incoming');
  const outgoing = own(voice, 'outgoing');
  const allow = isPlainObject(incoming) ? own(incoming, 'allow') : incoming;
  if (incoming !== undefined && !(isPlainObject(incoming) && allow === true)) {
    malformed(
      `voice.incoming is ${describe(allow, 'value')}; it must be { "allow": true } (a string "true" does not count)`,
      '.incoming.allow',
    );
  }
  if (outgoing !== undefined) {
    const sid = isPlainObject(outgoing) ? own(outgoing, 'application_sid') : undefined;
    if (!isSid(sid, 'AP'))
      malformed(
        `voice.outgoing.application_sid is ${describe(sid, 'sid')}; expected a TwiML App SID (AP...)`,
        '.outgoing.application_sid',
      );
  }
  if (incoming === undefined && outgoing === undefined) {
    add({
      severity: 'warning',
      code: 'VOICE_GRANT_EMPTY',
      message: 'The voice grant allows neither incoming calls nor outgoing calls through a TwiML App',
      path: 'payload.grants.voice',
    });
  }
}

function checkRegion(region: unknown, products: readonly string[], add: Add): void {
  if (region === undefined) return;
  const served = typeof region === 'string' ? REGION_PRODUCTS.get(region) : undefined;
  if (served === undefined) {
    add({
      severity: 'warning',
      code: 'REGION_UNKNOWN',
      message: `The region (twr) ${describe(region, 'value')} is not one this library knows (us1, ie1, au1)`,
      path: 'header.twr',
    });
    return;
  }
  for (const product of products) {
    if (served.includes(product)) continue;
    add({
      severity: 'error',
      code: 'REGION_UNSUPPORTED',
      message: `${PRODUCTS.get(product)} is not served in ${(region as string).toUpperCase()}; mint this grant with a US1 API Key and no region`,
      path: `payload.grants.${product}`,
    });
  }
}
