import type { Finding } from './diagnosis.js';
import { describe } from './errors.js';
import { ALGORITHMS, MAX_TTL, MILLISECONDS } from './options.js';
import { identityProblem, isPlainObject, isSid } from './validate.js';

// The checks behind diagnoseAccessToken, one function per part of a token. Each adds findings; none
// throws. The tables say what Twilio documents.

type Add = (finding: Finding) => void;

/**
 * Where each product is served, by Twilio Region. Twilio isolates Regions, so a token for a product
 * outside its Region does not work there. Source: Twilio's "Regional product availability" page,
 * https://www.twilio.com/docs/global-infrastructure/regional-product-and-feature-availability
 * (IE1: Voice, Conversations chat, TaskRouter in beta; AU1: Voice; Video, Sync and Live: US1 only).
 */
export const REGION_PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  us1: ['video', 'chat', 'voice', 'data_sync', 'task_router', 'player'],
  ie1: ['chat', 'voice', 'task_router'],
  au1: ['voice'],
};

const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  video: 'Video',
  chat: 'Conversations (chat)',
  voice: 'Voice',
  data_sync: 'Sync',
  task_router: 'TaskRouter',
  player: 'Live playback',
};

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

/** Adds the findings about this part of the token. */
export function checkHeader(header: Record<string, unknown>, add: Add): void {
  const { alg } = header;
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg)) {
    add({
      severity: 'error',
      code: 'ALGORITHM_UNSUPPORTED',
      twilioError: 20160,
      message: `The header's alg is ${describe(alg, 'value')}; Twilio Access Tokens are signed with HS256`,
      path: 'header.alg',
    });
  } else if (alg !== 'HS256') {
    add({
      severity: 'warning',
      code: 'ALGORITHM_NOT_HS256',
      twilioError: 20160,
      message: `The token is signed with ${alg}; Twilio documents HS256 for Access Tokens. Mint with the default algorithm`,
      path: 'header.alg',
    });
  }
  if (header.cty !== 'twilio-fpa;v=1') {
    add({
      severity: 'error',
      code: 'CONTENT_TYPE_WRONG',
      twilioError: 20102,
      message: `The header's cty is ${describe(header.cty, 'value')}; Twilio requires "twilio-fpa;v=1"`,
      path: 'header.cty',
    });
  }
  if (header.typ !== undefined && header.typ !== 'JWT') {
    add({
      severity: 'error',
      code: 'TYPE_WRONG',
      twilioError: 20102,
      message: `The header's typ is ${describe(header.typ, 'value')}; Twilio requires "JWT"`,
      path: 'header.typ',
    });
  }
  if ('crit' in header) {
    add({
      severity: 'error',
      code: 'CRITICAL_HEADER',
      twilioError: 20102,
      message: 'The header has crit (critical extensions), which Twilio does not implement',
      path: 'header.crit',
    });
  }
}

/** Adds the findings about this part of the token. */
export function checkTimes(payload: Record<string, unknown>, now: number, add: Add): void {
  const number = (claim: string): number | undefined => {
    const value = payload[claim];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      add({
        severity: 'error',
        code: 'CLAIM_NOT_A_NUMBER',
        twilioError: claim === 'exp' ? 20104 : 20101,
        message: `The ${claim} claim is ${describe(value, 'value')}; it must be epoch seconds`,
        path: `payload.${claim}`,
      });
      return undefined;
    }
    if (value >= MILLISECONDS) {
      add({
        severity: 'error',
        code: 'TIME_IN_MILLISECONDS',
        twilioError: 20157,
        message: `The ${claim} claim, ${value}, is in milliseconds; JWT times are epoch seconds (Math.floor(Date.now() / 1000))`,
        path: `payload.${claim}`,
      });
      return undefined;
    }
    return value;
  };
  const exp = number('exp');
  const iat = number('iat');
  const nbf = number('nbf');
  if (payload.exp === undefined) {
    add({
      severity: 'error',
      code: 'EXPIRY_MISSING',
      twilioError: 20104,
      message: 'The payload has no exp: every Access Token must expire, within 24 hours',
      path: 'payload.exp',
    });
  }
  if (exp !== undefined && now >= exp) {
    add({
      severity: 'error',
      code: 'TOKEN_EXPIRED',
      twilioError: 20104,
      message: `The token expired at ${iso(exp)}, ${ago(now - exp)} ago; fetch a new one before exp (see the client refresh guide)`,
      path: 'payload.exp',
    });
  }
  if (exp !== undefined && iat !== undefined && exp - iat > MAX_TTL) {
    add({
      severity: 'error',
      code: 'TTL_TOO_LONG',
      twilioError: 20157,
      message: `The token lives ${exp - iat} s (exp - iat); Twilio allows at most 86400 (24 h). Mint with a ttl of 86400 or less, in seconds`,
      path: 'payload.exp',
    });
  }
  if (exp !== undefined && iat !== undefined && exp <= iat) {
    add({
      severity: 'error',
      code: 'EXPIRES_BEFORE_ISSUED',
      twilioError: 20104,
      message: 'The token expires before (or when) it was issued: exp must be after iat',
      path: 'payload.exp',
    });
  }
  if (nbf !== undefined && nbf > now) {
    add({
      severity: 'error',
      code: 'TOKEN_NOT_YET_VALID',
      twilioError: 20105,
      message: `The token is not valid before ${iso(nbf)}, ${ago(nbf - now)} from now; drop nbf or set it to now or earlier`,
      path: 'payload.nbf',
    });
  }
  if (iat !== undefined && iat > now + 1) {
    add({
      severity: 'warning',
      code: 'ISSUED_IN_THE_FUTURE',
      message: `The token was issued ${ago(iat - now)} in the future: the minting server's clock runs ahead. Sync it (NTP)`,
      path: 'payload.iat',
    });
  }
}

/** Adds the findings about this part of the token. */
export function checkIssuer(payload: Record<string, unknown>, add: Add): void {
  const { iss, sub, jti, iat } = payload;
  if (isSid(iss, 'AC')) {
    add({
      severity: 'error',
      code: 'ISSUER_IS_ACCOUNT_SID',
      twilioError: 20103,
      message:
        'The issuer (iss) is an Account SID; Access Tokens are issued by an API Key: sign with an API Key SID (SK...) and its secret',
      path: 'payload.iss',
    });
  } else if (!isSid(iss, 'SK')) {
    add({
      severity: 'error',
      code: 'ISSUER_NOT_API_KEY',
      twilioError: 20103,
      message: `The issuer (iss) is ${describe(iss, 'sid')}; it must be the API Key SID (SK followed by 32 hex digits)`,
      path: 'payload.iss',
    });
  }
  if (!isSid(sub, 'AC')) {
    add({
      severity: 'error',
      code: 'SUBJECT_NOT_ACCOUNT_SID',
      twilioError: 20103,
      message: `The subject (sub) is ${describe(sub, 'sid')}; it must be the Account SID (AC followed by 32 hex digits) the API Key belongs to`,
      path: 'payload.sub',
    });
  }
  if (typeof iss === 'string' && typeof iat === 'number' && jti !== `${iss}-${iat}`) {
    add({
      severity: 'warning',
      code: 'JTI_UNUSUAL',
      message:
        'The jti is not "<iss>-<iat>", as Twilio\'s helper libraries write it: the token was not minted by them or this library',
      path: 'payload.jti',
    });
  }
}

/** Adds the findings about this part of the token. */
export function checkIdentity(grants: Record<string, unknown>, add: Add): void {
  const { identity } = grants;
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
      code: 'IDENTITY_INVALID',
      message: `The identity is not acceptable: expected ${problem}`,
      path: 'payload.grants.identity',
    });
    return;
  }
  const text = identity as string;
  // Video counts double-byte characters twice (Twilio error 53201).
  const videoLength = [...text].reduce((n, c) => n + (c.charCodeAt(0) > 0x7f ? 2 : 1), 0);
  if ('video' in grants && videoLength > 128) {
    add({
      severity: 'warning',
      code: 'IDENTITY_TOO_LONG_FOR_VIDEO',
      twilioError: 53201,
      message: `Video Participant identities are at most 128 characters (double-byte ones count twice); this one counts ${videoLength}`,
      path: 'payload.grants.identity',
    });
  }
  if ('voice' in grants && VOICE_UNSAFE.test(text)) {
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

/** Adds the findings about this part of the token. */
export function checkGrants(grants: Record<string, unknown>, header: Record<string, unknown>, add: Add): void {
  const keys = Object.keys(grants).filter((k) => k !== 'identity');
  const known = keys.filter((k) => k in PRODUCT_NAMES);
  for (const key of keys) {
    if (key in PRODUCT_NAMES) continue;
    add({
      severity: 'warning',
      code: 'GRANT_UNKNOWN',
      message:
        key === 'ip_messaging'
          ? 'ip_messaging is the legacy IP Messaging grant; Conversations and Chat read the chat grant'
          : `"${describe(key, 'value').slice(1, -1)}" is not a grant any Twilio client SDK reads`,
      path: `payload.grants.${key}`,
    });
  }
  if (known.length === 0) {
    add({
      severity: 'error',
      code: 'NO_PRODUCT_GRANT',
      twilioError: 20106,
      message: 'The token grants no product (video, chat, voice, data_sync, task_router): it authorizes nothing',
      path: 'payload.grants',
    });
  }
  for (const key of known) {
    if (!isPlainObject(grants[key])) {
      add({
        severity: 'error',
        code: 'GRANT_MALFORMED',
        twilioError: 20106,
        message: `The ${key} grant is ${describe(grants[key], 'value')}, not an object`,
        path: `payload.grants.${key}`,
      });
    }
  }
  const grant = (key: string) => (isPlainObject(grants[key]) ? (grants[key] as Record<string, unknown>) : undefined);
  for (const [key, field, prefix, label] of GRANT_SIDS) {
    const g = grant(key);
    if (g === undefined || (g[field] === undefined && !REQUIRED_SIDS.has(`${key}.${field}`))) continue;
    if (isSid(g[field], prefix)) continue;
    const messaging = key === 'chat' && isSid(g[field], 'MG');
    add({
      severity: 'error',
      code: 'GRANT_MALFORMED',
      twilioError: 20106,
      message: messaging
        ? 'chat.service_sid is a Messaging Service SID (MG...); Conversations needs the Conversations Service SID (IS...)'
        : `${key}.${field} is ${describe(g[field], 'sid')}; expected ${label} (${prefix} followed by 32 hex digits)`,
      path: `payload.grants.${key}.${field}`,
    });
  }
  checkVoice(grant('voice'), add);
  const video = grant('video');
  if (video?.room !== undefined && (typeof video.room !== 'string' || video.room === '')) {
    add({
      severity: 'error',
      code: 'GRANT_MALFORMED',
      twilioError: 20106,
      message: `video.room is ${describe(video.room, 'value')}; expected a Room name or RM SID, or no room for every Room`,
      path: 'payload.grants.video.room',
    });
  }
  if ('player' in grants) {
    add({
      severity: 'warning',
      code: 'GRANT_LEGACY_PLAYBACK',
      message: 'The player grant is for Twilio Live, which reached end of life on 2023-11-30',
      path: 'payload.grants.player',
    });
  }
  checkRegion(header.twr, known, add);
}

function checkVoice(voice: Record<string, unknown> | undefined, add: Add): void {
  if (voice === undefined) return;
  const malformed = (message: string, path: string) =>
    add({
      severity: 'error',
      code: 'GRANT_MALFORMED',
      twilioError: 20106,
      message,
      path: `payload.grants.voice${path}`,
    });
  const { incoming, outgoing } = voice;
  if (incoming !== undefined && !(isPlainObject(incoming) && incoming.allow === true)) {
    malformed(
      `voice.incoming is ${describe(isPlainObject(incoming) ? incoming.allow : incoming, 'value')}; it must be { "allow": true } (a string "true" does not count)`,
      '.incoming.allow',
    );
  }
  if (outgoing !== undefined) {
    const sid = isPlainObject(outgoing) ? outgoing.application_sid : undefined;
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
  const served = typeof region === 'string' ? REGION_PRODUCTS[region] : undefined;
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
      message: `${PRODUCT_NAMES[product]} is not served in ${String(region).toUpperCase()}; mint this grant with a US1 API Key and no region`,
      path: `payload.grants.${product}`,
    });
  }
}

function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/** A duration in words: "59 min", "3 h". */
export function ago(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
