import { describe, fail, isThenable } from '../base/errors.js';
import { isPlainObject } from '../base/known-keys.js';
import { decodeText } from '../crypto/base64url.js';
import type { GrantProduct } from '../grants/grant.js';
import type { ProductTables } from '../grants/products.js';
import type { DecodedFields, FieldUnion, WireOf } from '../grants/spec.js';
import { claimsProblem } from './claim-checks.js';

/** The JOSE header of a Twilio Access Token; decoding checks that `alg`, `typ` and `cty` are strings. */
export interface AccessTokenHeader {
  /** The signing algorithm; this library writes HS256, HS384 or HS512 (verify refuses others). */
  readonly alg: string;
  /** `'JWT'` in every token Twilio accepts. */
  readonly typ: string;
  /** `'twilio-fpa;v=1'` in every token Twilio accepts. */
  readonly cty: string;
  /** The Twilio region, when one was set. */
  readonly twr?: string;
}

/**
 * A product's grant as decoding checks it, derived from the product's table in src/grants/: its wire
 * fields, each optional and of its kind's type (a nested wire path such as `outgoing.params` nests).
 */
type DecodedGrant<P extends GrantProduct> = {
  readonly [A in keyof DecodedFields<FieldUnion<ProductTables[P]>>]: DecodedFields<FieldUnion<ProductTables[P]>>[A];
};

// Keyed by wire key; a table whose one field is the whole payload (playback) is any JSON object.
type DecodedGrants = {
  readonly [P in GrantProduct as ProductTables[P]['key']]?: '' extends WireOf<FieldUnion<ProductTables[P]>>
    ? Readonly<Record<string, unknown>>
    : DecodedGrant<P>;
};

/**
 * The `grants` claim, keyed by wire key (`video`, `chat`, `voice`, `data_sync`, `task_router`,
 * `player`). Decoding checks that `identity`, when present, is a string, and that each product's
 * grant is an object whose fields (the wire fields of the product's table), when present, are
 * strings (SIDs, names, ids), booleans (`voice.incoming.allow`) or objects (`voice.outgoing.params`,
 * the whole `player` grant); anything else in the claim (another product, another field) is not
 * checked and is `unknown`.
 *
 * @property video - Programmable Video.
 * @property chat - Conversations / Chat.
 * @property voice - Programmable Voice.
 * @property data_sync - Sync.
 * @property task_router - TaskRouter.
 * @property player - Twilio Live playback: the PlaybackGrant as Twilio's API returned it.
 */
export interface AccessTokenGrants extends DecodedGrants {
  /** The identity the token is for. */
  readonly identity?: string;
  /** Any other grant: not checked. */
  readonly [key: string]: unknown;
}

/**
 * The claims of a Twilio Access Token, with their wire names. Decoding checks every claim Twilio
 * requires: `jti`, `iss` and `sub` strings, `iat` and `exp` integers (epoch seconds), `grants` an
 * object, and `nbf`, when present, an integer.
 */
export interface AccessTokenPayload {
  /** `<apiKeySid>-<iat>`. */
  readonly jti: string;
  /** The identity and the grants. */
  readonly grants: AccessTokenGrants;
  /** Not before, epoch seconds. */
  readonly nbf?: number;
  /** Issued at, epoch seconds. */
  readonly iat: number;
  /** Expires at, epoch seconds. */
  readonly exp: number;
  /** The API Key SID that signed it. */
  readonly iss: string;
  /** The Account SID. */
  readonly sub: string;
}

/** A token's header and payload, as {@link decodeAccessToken} returns them. */
export interface DecodedAccessToken {
  /** The JOSE header. */
  readonly header: AccessTokenHeader;
  /** The claims. */
  readonly payload: AccessTokenPayload;
}

/** A token split into its parts, for verification. */
export interface DecodedParts {
  readonly header: AccessTokenHeader;
  readonly payload: AccessTokenPayload;
  /** `header.payload`, what the signature covers. */
  readonly input: string;
  readonly signature: string;
}

/** A segment's UTF-8 text, or `undefined` when it is not canonical base64url of UTF-8. */
export type SegmentDecoder = (segment: string) => string | undefined;

/** A segment's JSON object, or why it is not one. */
function parseSegment(segment: string, name: string, decode: SegmentDecoder): Record<string, unknown> | string {
  const text = decode(segment);
  if (text === undefined) return `a ${name} that is not base64url UTF-8`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `a ${name} that is not JSON`;
  }
  return isPlainObject(value) ? value : `a ${name} that is not a JSON object`;
}

// Every token one key mints (one algorithm, one region) has the same header segment, so the last
// header decoded is kept, frozen, with its segment: the same string is not decoded and parsed again.
// Only the decoding is kept; every check runs on every token. Headers are always frozen, so a header
// from the cache and a fresh one cannot be told apart; one holding an object (which a caller could
// change) is not kept.
let lastHeader: { readonly segment: string; readonly header: Record<string, unknown> } | undefined;
function parseHeader(segment: string, decode: SegmentDecoder): Record<string, unknown> | string {
  if (lastHeader !== undefined && lastHeader.segment === segment) return lastHeader.header;
  const header = parseSegment(segment, 'header', decode);
  if (typeof header === 'string') return header;
  Object.freeze(header);
  if (Object.values(header).every((value) => typeof value !== 'object' || value === null))
    lastHeader = { segment, header };
  return header;
}

/** A token split into JSON header and payload, before any claim is checked. */
export interface TokenParts {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** `header.payload`, what the signature covers. */
  readonly input: string;
  readonly signature: string;
}

/** What a value in the token's place is instead, with the usual slip named. Never throws. */
function notAString(token: unknown): string {
  try {
    if (!isThenable(token) && isPlainObject(token) && Object.hasOwn(token, 'token'))
      return 'an object with a token field (a token endpoint response: pass its token)';
  } catch {
    // A Proxy whose traps throw is only described.
  }
  return describe(token);
}

/**
 * Reads a token's structure: three base64url segments, JSON-object header and payload, at most
 * 64 KiB. Returns why it is not one instead of throwing; shared by decode, verify and diagnose.
 *
 * @param decode - The platform's segment decoder (Buffer on Node); every one gives the same answer.
 */
export function readToken(token: unknown, decode: SegmentDecoder = decodeText): TokenParts | string {
  if (typeof token !== 'string') return notAString(token);
  if (token.length > MAX_TOKEN_LENGTH) return `a string of ${token.length} characters (at most ${MAX_TOKEN_LENGTH})`;
  // A whole token endpoint response pasted in place of the token is a common slip; say so.
  if (token.trimStart().startsWith('{') && token.includes('"token"'))
    return 'a JSON object (that looks like a token endpoint response: pass its "token" field)';
  const t = token.trim();
  // Sliced, not split and joined again: the signed input is then a flat slice of the token.
  const first = t.indexOf('.');
  const second = first === -1 ? -1 : t.indexOf('.', first + 1);
  if (second === -1 || t.includes('.', second + 1)) {
    const count = t.split('.').length;
    return `${count} ${count === 1 ? 'segment' : 'segments'}`;
  }
  const header = parseHeader(t.slice(0, first), decode);
  if (typeof header === 'string') return header;
  const payload = parseSegment(t.slice(first + 1, second), 'payload', decode);
  if (typeof payload === 'string') return payload;
  return { header, payload, input: t.slice(0, second), signature: t.slice(second + 1) };
}

/** Tokens longer than this are refused before they are parsed: a real one is under 8 KiB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

/** Splits and parses a token; internal, shared by decode, both verifies and diagnose. */
export function decodeParts(token: unknown, decode: SegmentDecoder = decodeText): DecodedParts {
  const parts = readToken(token, decode);
  if (typeof parts === 'string') malformed(parts);
  assertTwilioToken(parts);
  return parts;
}

function malformed(why: string): never {
  fail({ code: 'ERR_MALFORMED_TOKEN', path: 'token', expected: 'a Twilio Access Token JWT', receivedText: why });
}

/** Checks every claim and header field the types promise. */
function assertTwilioToken(parts: TokenParts): asserts parts is TokenParts & DecodedParts {
  const why = tokenProblem(parts);
  if (why !== undefined) malformed(why);
}

/** Whether a token's parts are a Twilio Access Token as decoding types it; internal, for diagnose. */
export function isTwilioToken(parts: TokenParts): parts is TokenParts & DecodedParts {
  return tokenProblem(parts) === undefined;
}

/** Why a token's parts are not a Twilio Access Token, as decoding types it; `undefined` when they are one. */
function tokenProblem({ header, payload }: TokenParts): string | undefined {
  // A critical extension this library does not implement must make the token unacceptable (RFC 7515).
  if (Object.hasOwn(header, 'crit')) return 'a header with crit (critical extensions are not supported)';
  return claimsProblem(header, payload);
}

/**
 * Decodes a token WITHOUT verifying it: for display and debugging. To trust a token, use
 * {@link verifyAccessToken}.
 *
 * @param token - A Twilio Access Token JWT.
 * @returns Its header and payload.
 * @throws {@link AccessTokenError} `ERR_MALFORMED_TOKEN` when `token` is not three base64url
 *   segments with JSON-object header and payload, a `grants` object and a numeric `exp`.
 *
 * @example
 * ```ts
 * import { decodeAccessToken } from 'twilio-access-token';
 *
 * declare const token: string;
 * const { payload } = decodeAccessToken(token);
 * console.log(payload.grants.identity, new Date(payload.exp * 1000));
 * ```
 */
export function decodeAccessToken(token: string): DecodedAccessToken {
  const { header, payload } = decodeParts(token);
  return { header, payload };
}
