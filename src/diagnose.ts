import { beginDiagnosis, type DiagnoseOptions, type Diagnosis, finishDiagnosis } from './diagnosis.js';
import { signatureMatches } from './sign-node.js';

/**
 * Says why Twilio would reject a token, without calling Twilio: malformed JWTs, expiry, a ttl over
 * 24 hours, an Account SID as issuer, a signature that does not match the secret, grants with the
 * wrong SIDs, products a region does not serve, and more. Each finding names the Twilio error code
 * the client would see where one applies. Never throws for a string.
 *
 * @param token - The token, as the client got it.
 * @param options - `apiKeySecret` to check the signature too; `now` (epoch seconds or a Date).
 * @returns `{ ok, header?, payload?, findings }`; `ok` is true when no finding is an error.
 *
 * @example
 * ```ts
 * import { diagnoseAccessToken } from 'twilio-access-token';
 *
 * declare const token: string;
 * const { ok, findings } = diagnoseAccessToken(token, { apiKeySecret: process.env.TWILIO_API_KEY_SECRET });
 * for (const f of findings) console.log(f.severity, f.code, f.twilioError ?? '', f.message);
 * ```
 */
export function diagnoseAccessToken(token: string, options?: DiagnoseOptions): Diagnosis {
  const state = beginDiagnosis(token, options);
  const s = state.signature;
  return finishDiagnosis(
    state,
    s === undefined ? undefined : signatureMatches(s.algorithm, s.secret, s.input, s.signature),
  );
}
