import { decodeText } from './base64url.js';
import { describe, fail } from './errors.js';
import type {
  ChatGrantPayload,
  PlaybackGrantPayload,
  SyncGrantPayload,
  TaskRouterGrantPayload,
  VideoGrantPayload,
  VoiceGrantPayload,
} from './grants/index.js';
import { MILLISECONDS } from './options.js';
import { isPlainObject } from './validate.js';

/** The JOSE header of a Twilio Access Token. */
export interface AccessTokenHeader {
  /** The signing algorithm; this library writes HS256, HS384 or HS512 (verify refuses a missing one). */
  readonly alg?: string;
  /** Always `'JWT'`. */
  readonly typ?: string;
  /** Always `'twilio-fpa;v=1'`. */
  readonly cty?: string;
  /** The Twilio region, when one was set. */
  readonly twr?: string;
}

/** The `grants` claim, keyed by wire key. */
export interface AccessTokenGrants {
  /** The identity the token is for. */
  readonly identity?: string;
  /** Programmable Video. */
  readonly video?: VideoGrantPayload;
  /** Conversations / Chat. */
  readonly chat?: ChatGrantPayload;
  /** Programmable Voice. */
  readonly voice?: VoiceGrantPayload;
  /** Sync. */
  readonly data_sync?: SyncGrantPayload;
  /** TaskRouter. */
  readonly task_router?: TaskRouterGrantPayload;
  /** Twilio Live playback. */
  readonly player?: PlaybackGrantPayload;
}

/**
 * The claims of a Twilio Access Token, with their wire names. Decoding checks that `grants` is an
 * object and `exp` a number; the other claims are typed optional because a token from elsewhere
 * may lack them (when present they have the types shown). Every token this library mints has all.
 */
export interface AccessTokenPayload {
  /** `<apiKeySid>-<iat>`. */
  readonly jti?: string;
  /** The identity and the grants. */
  readonly grants: AccessTokenGrants;
  /** Not before, epoch seconds. */
  readonly nbf?: number;
  /** Issued at, epoch seconds. */
  readonly iat?: number;
  /** Expires at, epoch seconds. */
  readonly exp: number;
  /** The API Key SID that signed it. */
  readonly iss?: string;
  /** The Account SID. */
  readonly sub?: string;
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

function malformed(why: string): never {
  fail({ code: 'ERR_MALFORMED_TOKEN', path: 'token', expected: 'a Twilio Access Token JWT', receivedText: why });
}

/** A segment's JSON object, or why it is not one. */
function parseSegment(segment: string, name: string): Record<string, unknown> | string {
  const text = decodeText(segment);
  if (text === undefined) return `a ${name} that is not base64url UTF-8`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `a ${name} that is not JSON`;
  }
  return isPlainObject(value) ? value : `a ${name} that is not a JSON object`;
}

/** A token split into JSON header and payload, before any claim is checked. */
export interface TokenParts {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** `header.payload`, what the signature covers. */
  readonly input: string;
  readonly signature: string;
}

/**
 * Reads a token's structure: three base64url segments, JSON-object header and payload, at most
 * 64 KiB. Returns why it is not one instead of throwing; shared by decode and diagnose.
 */
export function readToken(token: unknown): TokenParts | string {
  if (typeof token !== 'string') return describe(token);
  if (token.length > MAX_TOKEN_LENGTH) return `a string of ${token.length} characters (at most ${MAX_TOKEN_LENGTH})`;
  // A whole token endpoint response pasted in place of the token is a common slip; say so.
  if (token.trimStart().startsWith('{') && token.includes('"token"'))
    return 'a JSON object (that looks like a token endpoint response: pass its "token" field)';
  const parts = token.trim().split('.');
  if (parts.length !== 3) return `${parts.length} ${parts.length === 1 ? 'segment' : 'segments'}`;
  const [h, p, signature] = parts as [string, string, string];
  const header = parseSegment(h, 'header');
  if (typeof header === 'string') return header;
  const payload = parseSegment(p, 'payload');
  if (typeof payload === 'string') return payload;
  return { header, payload, input: `${h}.${p}`, signature };
}

/** Tokens longer than this are refused before they are parsed: a real one is under 8 KiB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

/** Splits and parses a token; internal, shared by decode, both verifies and diagnose. */
export function decodeParts(token: unknown): DecodedParts {
  const parts = readToken(token);
  if (typeof parts === 'string') malformed(parts);
  const { header, payload, input, signature } = parts;
  // A critical extension this library does not implement must make the token unacceptable (RFC 7515).
  if ('crit' in header) malformed('a header with crit (critical extensions are not supported)');
  if (!isHeader(header)) malformed('a header whose typ, cty or twr is not a string');
  assertPayload(payload);
  return { header, payload, input, signature };
}

/** Checks every claim the payload type promises: a grants object, a numeric exp, and the types of the rest when present. */
function assertPayload(
  payload: Record<string, unknown>,
): asserts payload is Record<string, unknown> & AccessTokenPayload {
  if (!isPlainObject(payload.grants)) malformed('a payload without a grants object');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) malformed('a payload without a numeric exp');
  for (const claim of ['nbf', 'iat'] as const) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
      malformed(`a payload whose ${claim} is not a number`);
  }
  for (const claim of ['exp', 'iat', 'nbf'] as const) {
    if ((payload[claim] as number | undefined) !== undefined && (payload[claim] as number) >= MILLISECONDS)
      malformed(`a payload whose ${claim} is in milliseconds (${payload[claim]}); claims are epoch seconds`);
  }
  for (const claim of ['jti', 'iss', 'sub'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string')
      malformed(`a payload whose ${claim} is not a string`);
  }
}

function isHeader(header: Record<string, unknown>): header is Record<string, unknown> & AccessTokenHeader {
  // alg is left to verify, which answers ERR_UNSUPPORTED_ALGORITHM for a missing or odd one.
  return ['typ', 'cty', 'twr'].every((k) => header[k] === undefined || typeof header[k] === 'string');
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
