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
import { isPlainObject } from './validate.js';

/** The JOSE header of a Twilio Access Token. */
export interface AccessTokenHeader {
  /** The signing algorithm; this library writes HS256, HS384 or HS512. */
  readonly alg: string;
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

/** The claims of a Twilio Access Token, with their wire names. */
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

function malformed(why: string): never {
  fail('ERR_MALFORMED_TOKEN', 'token', 'a Twilio Access Token JWT', why, 'raw');
}

function parseSegment(segment: string, name: string): Record<string, unknown> {
  const text = decodeText(segment);
  if (text === undefined) malformed(`a ${name} that is not base64url UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    malformed(`a ${name} that is not JSON`);
  }
  if (!isPlainObject(value)) malformed(`a ${name} that is not a JSON object`);
  return value;
}

/** Splits and parses a token; internal, shared by decode and both verifies. */
export function decodeParts(token: unknown): DecodedParts {
  if (typeof token !== 'string') malformed(describe(token));
  const parts = token.trim().split('.');
  if (parts.length !== 3) malformed(`${parts.length} segments`);
  const [h, p, signature] = parts as [string, string, string];
  const header = parseSegment(h, 'header');
  const payload = parseSegment(p, 'payload');
  if (!isPlainObject(payload.grants)) malformed('a payload without a grants object');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) malformed('a payload without a numeric exp');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || !Number.isFinite(payload.nbf))) {
    malformed('a payload whose nbf is not a number');
  }
  return {
    header: header as unknown as AccessTokenHeader,
    payload: payload as unknown as AccessTokenPayload,
    input: `${h}.${p}`,
    signature,
  };
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
