import { fail } from '../base/errors.js';
import { isoSeconds } from '../base/time.js';
import { assertOptions } from '../base/validate.js';
import { decodeText } from '../crypto/base64url.js';
import { afterSigning, failure, type Settled, type Signer } from '../crypto/signer.js';
import { warnIfAuthTokenShaped } from '../token/auth-token.js';
import { assertSecret } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import { ALGORITHMS, type Algorithm } from '../token/options.js';
import { type AccessTokenPayload, type DecodedParts, decodeParts, type SegmentDecoder } from './decode.js';
import { keyringKey, readSecretSource } from './keyring-secret.js';

// Verification, top to bottom: decode, check the options and the algorithm, pick the key (a
// keyring's by iss), then the signature (the platform's Signer), then the lifetime (exp - iat,
// the key's retireAt), exp and nbf. Platform neutral: each entry passes its Signer.

/**
 * Makes `verifyAccessToken` for a platform: its Signer, and its segment decoder (Buffer on Node;
 * every decoder gives the portable one's answers).
 */
export function makeVerifyAccessToken<M extends boolean | Promise<boolean>>(
  signer: Signer<string | Promise<string>, M>,
  decode: SegmentDecoder = decodeText,
) {
  return (token: string, options: VerifyOptions): Settled<M, AccessTokenPayload> => {
    try {
      const v = beginVerification(token, options, signer, decode);
      const matches = signer.matches(v.algorithm, v.secret, v.input, v.signature);
      // No closure on the synchronous (node:crypto) path.
      return (
        typeof matches === 'boolean'
          ? finishVerification(v, matches)
          : afterSigning(matches, (m) => finishVerification(v, m))
      ) as Settled<M, AccessTokenPayload>;
    } catch (error) {
      return failure<Settled<M, AccessTokenPayload>>(signer, error);
    }
  };
}

/**
 * Options of {@link verifyAccessToken}: the secret the token was signed with, or a keyring that
 * picks it by the token's `iss` (exactly one of the two).
 */
export type VerifyOptions = VerifyCommonOptions &
  (
    | {
        /** The API Key secret the token was signed with. */
        apiKeySecret: string;
        /** Not with `apiKeySecret`. */
        keyring?: never;
      }
    | {
        /**
         * A keyring: the token's `iss` picks the key. An `iss` it does not hold, or a `sub` that is
         * not its account, is `ERR_UNKNOWN_KEY`; for a key with a `retireAt`, an `iat` at or after it
         * or an `exp` after it (beyond `clockTolerance`) is `ERR_KEY_RETIRED`; an `exp - iat` over the keyring's `maxTtl` is
         * `ERR_TOKEN_TOO_LONG`.
         */
        keyring: Keyring;
        /** Not with `keyring`. */
        apiKeySecret?: never;
      }
  );

/** What every {@link VerifyOptions} may hold beside the secret or keyring. */
export interface VerifyCommonOptions {
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
  /**
   * Lets `twilio-access-token/web` verify where `document` exists (a browser page): verifying needs
   * the API Key secret too, which must not ship to a browser. See `AccessTokenOptions`.
   * @defaultValue `false`
   */
  dangerouslyAllowBrowser?: boolean;
}

const VERIFY_KEYS: readonly string[] = ['apiKeySecret', 'keyring', 'now', 'clockTolerance', 'dangerouslyAllowBrowser'];

/** A token ready for its signature check. */
interface Verification extends DecodedParts {
  readonly algorithm: Algorithm;
  readonly secret: string;
  readonly now: number;
  readonly tolerance: number;
  /** The longest `exp - iat` accepted: 86400 (Twilio's), or the keyring's `maxTtl`. */
  readonly maxTtl: number;
  /** With a keyring: when the token's key retired (epoch seconds); `undefined` while it has no successor. */
  readonly retireAt: number | undefined;
}

/** The longest lifetime Twilio accepts (error 20157 beyond it). */
const TWILIO_MAX_TTL = 86400;

/** Decodes the token, validates the options and checks the algorithm, before any signature check. */
function beginVerification(
  token: string,
  options: VerifyOptions,
  signer: Pick<Signer<string | Promise<string>, boolean | Promise<boolean>>, 'assertRuntime'>,
  decode: SegmentDecoder,
): Verification {
  const parts = decodeParts(token, decode);
  if (typeof options === 'string') {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options',
      expected: 'an options object',
      received: options,
      hint: 'Pass the secret as { apiKeySecret }',
    });
  }
  const o = assertOptions<VerifyOptions>(options, VERIFY_KEYS, 'options', 'ERR_INVALID_OPTION');
  if (o.keyring === undefined) {
    assertSecret(o.apiKeySecret, 'options.apiKeySecret');
    warnIfAuthTokenShaped(o.apiKeySecret);
  }
  const { keyring, now } = readSecretSource(o, signer);
  const tolerance = clockTolerance(o.clockTolerance);
  const alg = parts.header.alg;
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg))
    fail({
      code: 'ERR_UNSUPPORTED_ALGORITHM',
      path: 'header.alg',
      expected: "'HS256', 'HS384' or 'HS512'",
      received: alg,
      show: 'value',
    });
  // The key only after the algorithm: `alg: none` is refused as such, whatever its `iss` names.
  const key = keyring === undefined ? undefined : keyringKey(keyring, parts.payload);
  const secret = key === undefined ? (o.apiKeySecret as string) : key.secret;
  const maxTtl = keyring === undefined ? TWILIO_MAX_TTL : Math.min(TWILIO_MAX_TTL, keyring.maxTtl);
  // Named fields, not a spread of `parts`: copying by spread cost a sixth of a verification.
  const { header, payload, input, signature } = parts;
  return {
    header,
    payload,
    input,
    signature,
    algorithm: alg as Algorithm,
    secret,
    now,
    tolerance,
    maxTtl,
    retireAt: key?.retireAt,
  };
}

/** `clockTolerance`: seconds, finite, 0 or more; 0 when absent. */
function clockTolerance(value: unknown): number {
  const tolerance = value ?? 0;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.clockTolerance',
      expected: 'seconds, a finite number, 0 or more',
      received: tolerance,
    });
  return tolerance;
}

/** Finishes verification once the signature is known to match or not. */
function finishVerification(v: Verification, signatureMatches: boolean): AccessTokenPayload {
  if (!signatureMatches)
    fail({
      code: 'ERR_INVALID_SIGNATURE',
      path: 'signature',
      expected: 'a signature by this API Key secret',
      receivedText: 'one that does not match',
    });
  const { exp } = v.payload;
  checkLifetime(v);
  // An own claim only: an `nbf` a polluted Object.prototype supplies is no claim of this token.
  const nbf = Object.hasOwn(v.payload, 'nbf') ? v.payload.nbf : undefined;
  if (!(v.now < exp + v.tolerance))
    fail({
      code: 'ERR_TOKEN_EXPIRED',
      path: 'payload.exp',
      expected: `a time after ${isoSeconds(v.now)}`,
      receivedText: `${exp} (${isoSeconds(exp)})`,
    });
  if (nbf !== undefined && !(v.now >= nbf - v.tolerance)) {
    fail({
      code: 'ERR_TOKEN_NOT_YET_VALID',
      path: 'payload.nbf',
      expected: `a time before ${isoSeconds(v.now)}`,
      receivedText: `${nbf} (${isoSeconds(nbf)})`,
    });
  }
  return v.payload;
}

/**
 * The token's lifetime against the limits a signature cannot vouch for: Twilio refuses more than
 * 86400 s (20157), a keyring's `retireAt` counts on its `maxTtl`, and a key retired at `retireAt`
 * signs nothing the app accepts (whoever kept its secret cannot mint): neither a token issued at or
 * after `retireAt` nor one that expires after it.
 */
function checkLifetime(v: Verification): void {
  const { exp, iat } = v.payload;
  if (exp - iat > v.maxTtl)
    fail({
      code: 'ERR_TOKEN_TOO_LONG',
      path: 'payload.exp',
      expected: `at most ${v.maxTtl} seconds after iat${v.maxTtl < TWILIO_MAX_TTL ? " (the keyring's maxTtl)" : ' (Twilio error 20157)'}`,
      receivedText: `${exp - iat} seconds`,
    });
  if (v.retireAt !== undefined && iat >= v.retireAt + v.tolerance)
    fail({
      code: 'ERR_KEY_RETIRED',
      path: 'payload.iat',
      expected: `a time before its key's retireAt, ${isoSeconds(v.retireAt)}`,
      receivedText: `${iat} (${isoSeconds(iat)})`,
      hint: "A retired key signed it: delete that key in Twilio, and mint with the keyring's signing key",
    });
  // The keyring mints with a key only before its successor's signFrom, for at most maxTtl, so every
  // token it mints with that key expires by retireAt. A later exp was minted outside the keyring: an
  // iat the minter chose cannot bring a retired secret back (iat just before retireAt, exp a day on).
  if (v.retireAt !== undefined && exp > v.retireAt + v.tolerance)
    fail({
      code: 'ERR_KEY_RETIRED',
      path: 'payload.exp',
      expected: `a time at or before its key's retireAt, ${isoSeconds(v.retireAt)}`,
      receivedText: `${exp} (${isoSeconds(exp)})`,
      hint: "The keyring never mints a token with this key that outlives its retireAt: a retired key's secret signed it",
    });
}
