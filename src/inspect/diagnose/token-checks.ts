import { describe } from '../../base/errors.js';
import { isoSeconds, MILLISECONDS } from '../../base/time.js';
import { isSid } from '../../base/validate.js';
import { ALGORITHMS, MAX_TTL } from '../../token/options.js';
import { type Finding, finding } from './finding.js';

// The checks behind diagnoseAccessToken, one function per part of a token. Each adds findings; none
// throws. Token content is read through `own` (own properties only: a claim or grant named like an
// Object.prototype member, `constructor` or `__proto__`, is data, not the prototype's) and shown
// through the one `describe` (a string of at most 8 characters, like every message of this library).

/** Adds one finding. */
export type Add = (finding: Finding) => void;

/** An own property of a parsed JSON object, or `undefined`: never one inherited from Object.prototype. */
export function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The SIDs `twilio-token --demo` signs with: well formed, but no such Account or API Key exists. */
const DEMO_SIDS: ReadonlySet<unknown> = new Set([`AC${'0'.repeat(32)}`, `SK${'0'.repeat(32)}`]);

/** Adds the findings about this part of the token. */
export function checkHeader(header: Record<string, unknown>, add: Add): void {
  const alg = own(header, 'alg');
  const cty = own(header, 'cty');
  const typ = own(header, 'typ');
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg)) {
    add(
      finding(
        'UNSUPPORTED_ALGORITHM',
        `The header's alg is ${describe(alg, 'value')}; Twilio Access Tokens are signed with HS256`,
        'header.alg',
      ),
    );
  } else if (alg !== 'HS256') {
    add(
      finding(
        'ALGORITHM_NOT_HS256',
        `The token is signed with ${alg}; Twilio documents HS256 for Access Tokens. Mint with the default algorithm`,
        'header.alg',
      ),
    );
  }
  if (cty !== 'twilio-fpa;v=1') {
    add(
      finding(
        'CONTENT_TYPE_WRONG',
        `The header's cty is ${describe(cty, 'value')}; Twilio requires "twilio-fpa;v=1"`,
        'header.cty',
      ),
    );
  }
  if (typ !== undefined && typ !== 'JWT') {
    add(finding('TYPE_WRONG', `The header's typ is ${describe(typ, 'value')}; Twilio requires "JWT"`, 'header.typ'));
  }
  if (Object.hasOwn(header, 'crit')) {
    add(
      finding(
        'CRITICAL_HEADER',
        'The header has crit (critical extensions), which Twilio does not implement',
        'header.crit',
      ),
    );
  }
}

/** Adds the findings about this part of the token. */
export function checkTimes(payload: Record<string, unknown>, now: number, add: Add): void {
  const { exp, iat, nbf } = readTimes(payload, add);
  if (own(payload, 'exp') === undefined)
    add(
      finding(
        'EXPIRY_MISSING',
        'The payload has no exp: every Access Token must expire, within 24 hours',
        'payload.exp',
      ),
    );
  if (exp !== undefined && now >= exp) {
    const message = `The token expired at ${isoSeconds(exp)}, ${ago(now - exp)} ago; fetch a new one before exp (see the client refresh guide)`;
    add(finding('TOKEN_EXPIRED', message, 'payload.exp'));
  }
  if (exp !== undefined && iat !== undefined && exp - iat > MAX_TTL) {
    const message = `The token lives ${exp - iat} s (exp - iat); Twilio allows at most 86400 (24 h). Mint with a ttl of 86400 or less, in seconds`;
    add(finding('TTL_TOO_LONG', message, 'payload.exp'));
  }
  if (exp !== undefined && iat !== undefined && exp <= iat) {
    const message = 'The token expires before (or when) it was issued: exp must be after iat';
    add(finding('EXPIRES_BEFORE_ISSUED', message, 'payload.exp'));
  }
  if (nbf !== undefined && nbf > now) {
    const message = `The token is not valid before ${isoSeconds(nbf)}, ${ago(nbf - now)} from now; drop nbf or set it to now or earlier`;
    add(finding('TOKEN_NOT_YET_VALID', message, 'payload.nbf'));
  }
  if (iat !== undefined && iat > now + 1) {
    const message = `The token was issued ${ago(iat - now)} in the future: the minting server's clock runs ahead. Sync it (NTP)`;
    add(finding('ISSUED_IN_THE_FUTURE', message, 'payload.iat'));
  }
}

/** The time claims that are usable epoch seconds; a finding for each that is not. */
function readTimes(payload: Record<string, unknown>, add: Add) {
  const number = (claim: 'exp' | 'iat' | 'nbf'): number | undefined => {
    const value = own(payload, claim);
    if (value === undefined) return undefined;
    const path = `payload.${claim}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const message = `The ${claim} claim is ${describe(value, 'value')}; it must be epoch seconds`;
      // The table's 20101, except for exp: Twilio names a bad exp 20104.
      add({ ...finding('CLAIM_NOT_A_NUMBER', message, path), twilioError: claim === 'exp' ? 20104 : 20101 });
      return undefined;
    }
    if (value >= MILLISECONDS) {
      const message = `The ${claim} claim, ${value}, is in milliseconds; JWT times are epoch seconds (Math.floor(Date.now() / 1000))`;
      add(finding('TIME_IN_MILLISECONDS', message, path));
      return undefined;
    }
    return value;
  };
  return { exp: number('exp'), iat: number('iat'), nbf: number('nbf') };
}

/** Adds the findings about this part of the token. */
export function checkIssuer(payload: Record<string, unknown>, add: Add): void {
  const [iss, sub, jti, iat] = ['iss', 'sub', 'jti', 'iat'].map((claim) => own(payload, claim));
  if (isSid(iss, 'AC')) {
    add(
      finding(
        'ISSUER_IS_ACCOUNT_SID',
        'The issuer (iss) is an Account SID; Access Tokens are issued by an API Key: sign with an API Key SID (SK...) and its secret',
        'payload.iss',
      ),
    );
  } else if (!isSid(iss, 'SK')) {
    add(
      finding(
        'ISSUER_NOT_API_KEY',
        `The issuer (iss) is ${describe(iss, 'sid')}; it must be the API Key SID (SK followed by 32 hex digits)`,
        'payload.iss',
      ),
    );
  }
  if (!isSid(sub, 'AC')) {
    add(
      finding(
        'SUBJECT_NOT_ACCOUNT_SID',
        `The subject (sub) is ${describe(sub, 'sid')}; it must be the Account SID (AC followed by 32 hex digits) the API Key belongs to`,
        'payload.sub',
      ),
    );
  }
  if (DEMO_SIDS.has(iss) || DEMO_SIDS.has(sub)) {
    add(
      finding(
        'DEMO_CREDENTIALS',
        'The token is signed with demo credentials (SIDs of all zeros, as twilio-token --demo writes them): no such Account or API Key exists, so Twilio rejects it. Mint with your Account SID and an API Key',
        DEMO_SIDS.has(iss) ? 'payload.iss' : 'payload.sub',
      ),
    );
  }
  if (typeof iss === 'string' && typeof iat === 'number' && jti !== `${iss}-${iat}`) {
    add(
      finding(
        'JTI_UNUSUAL',
        'The jti is not "<iss>-<iat>", as Twilio\'s helper libraries write it: the token was not minted by them or this library',
        'payload.jti',
      ),
    );
  }
}

/** Adds the findings about the secret the caller gave (never shown: only its shape is described). */
export function checkSecret(secret: string, add: Add): void {
  if (/^[0-9a-f]{32}$/.test(secret)) {
    add(
      finding(
        'SECRET_LOOKS_LIKE_AUTH_TOKEN',
        'The secret is 32 lower-case hex digits, the shape of an Account Auth Token. Access Tokens are signed with an API Key secret; a token signed with the Auth Token fails with 20107',
      ),
    );
  }
  if (secret.trim() !== secret) {
    add(
      finding(
        'SECRET_HAS_WHITESPACE',
        'The secret starts or ends with whitespace (a newline from a file or a paste?): a token signed with it fails with 20107. Trim it where it is read',
      ),
    );
  }
}

/** A duration in words: "59 min", "3 h". */
export function ago(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
