import { type AccessTokenPayload, type DecodedParts, decodeParts } from './decode.js';
import { AccessTokenError, describe, fail } from './errors.js';
import type { Algorithm } from './options.js';
import { assertOptions } from './validate.js';

// Platform-neutral halves of verification; verify.ts and web.ts add the HMAC in between.

/** Options of {@link verifyAccessToken}. */
export interface VerifyOptions {
  /** The API Key secret the token was signed with. */
  apiKeySecret: string;
  /**
   * The time to check against: epoch SECONDS when a number (like the claims), or a Date.
   * @defaultValue `Date.now()`
   */
  now?: number | Date;
  /**
   * Seconds of clock skew to allow on `exp` and `nbf`.
   * @defaultValue 0
   */
  clockTolerance?: number;
}

const ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];

/** A token ready for its signature check. */
export interface Verification extends DecodedParts {
  readonly algorithm: Algorithm;
  readonly secret: string;
  readonly now: number;
  readonly tolerance: number;
}

/** Decodes the token, validates the options and checks the algorithm, before any signature check. */
export function beginVerification(token: string, options: VerifyOptions): Verification {
  const parts = decodeParts(token);
  const o = assertOptions<VerifyOptions>(
    options,
    ['apiKeySecret', 'now', 'clockTolerance'],
    'options',
    'ERR_INVALID_OPTION',
  );
  if (typeof o.apiKeySecret !== 'string' || o.apiKeySecret.length === 0) {
    fail(
      'ERR_INVALID_CREDENTIALS',
      'options.apiKeySecret',
      'the API Key secret, a non-empty string',
      o.apiKeySecret,
      'length',
    );
  }
  const tolerance = o.clockTolerance ?? 0;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    fail('ERR_INVALID_OPTION', 'options.clockTolerance', 'seconds, a finite number, 0 or more', tolerance);
  }
  const now = o.now === undefined ? Date.now() / 1000 : o.now instanceof Date ? o.now.getTime() / 1000 : o.now;
  if (typeof now !== 'number' || !Number.isFinite(now))
    fail('ERR_INVALID_OPTION', 'options.now', 'epoch seconds or a valid Date', o.now);
  const alg = parts.header.alg;
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg)) {
    throw new AccessTokenError(
      'ERR_UNSUPPORTED_ALGORITHM',
      `Invalid token header alg: expected 'HS256', 'HS384' or 'HS512', received ${describe(alg)}`,
      'header.alg',
    );
  }
  return { ...parts, algorithm: alg as Algorithm, secret: o.apiKeySecret, now, tolerance };
}

/** Finishes verification once the signature is known to match or not. */
export function finishVerification(v: Verification, signatureMatches: boolean): AccessTokenPayload {
  if (!signatureMatches) {
    throw new AccessTokenError(
      'ERR_INVALID_SIGNATURE',
      'Invalid token signature: it was not signed with this API Key secret, or it was altered',
      'signature',
    );
  }
  const { exp, nbf } = v.payload;
  if (!(v.now < exp + v.tolerance)) {
    throw new AccessTokenError(
      'ERR_TOKEN_EXPIRED',
      `Invalid token: it expired at ${isoTime(exp)} (exp ${exp}), before ${isoTime(v.now)}`,
      'payload.exp',
    );
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf))
      throw new AccessTokenError('ERR_MALFORMED_TOKEN', 'Invalid token: its nbf is not a number', 'payload.nbf');
    if (v.now < nbf - v.tolerance) {
      throw new AccessTokenError(
        'ERR_TOKEN_NOT_YET_VALID',
        `Invalid token: it is not valid before ${isoTime(nbf)} (nbf ${nbf}), and it is ${isoTime(v.now)}`,
        'payload.nbf',
      );
    }
  }
  return v.payload;
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}
