import { isoSeconds, MILLISECONDS } from '../../base/time.js';
import { isSid } from '../../base/validate.js';
import { ALGORITHMS, MAX_TTL } from '../../token/options.js';
import { own } from '../claim-checks.js';
import { type Finding, finding } from './finding.js';

// The checks behind diagnoseAccessToken, one function per part of a token. Each adds findings; none
// throws. Token content is read through `own` (own properties only: a claim or grant named like an
// Object.prototype member, `constructor` or `__proto__`, is data, not the prototype's) and shown
// by the one builder, finding() (a string of at most 8 characters, like every message of this library).

/** Adds one finding. */
export type Add = (finding: Finding) => void;

/** The SIDs `twilio-token --demo` signs with: well formed, but no such Account or API Key exists. */
const DEMO_SIDS: ReadonlySet<unknown> = new Set([`AC${'0'.repeat(32)}`, `SK${'0'.repeat(32)}`]);

const REQUIRED = 'as Twilio requires';

/** Adds the findings about this part of the token. */
export function checkHeader(header: Record<string, unknown>, add: Add): void {
  const alg = own(header, 'alg');
  const cty = own(header, 'cty');
  const typ = own(header, 'typ');
  if (typeof alg !== 'string' || !ALGORITHMS.includes(alg))
    add(finding('UNSUPPORTED_ALGORITHM', { path: 'header.alg', received: alg, expected: `HS256, ${REQUIRED}` }));
  else if (alg !== 'HS256')
    add(
      finding('ALGORITHM_NOT_HS256', {
        path: 'header.alg',
        received: alg,
        expected: 'HS256, which Twilio documents',
        hint: 'Mint with the default algorithm',
      }),
    );
  if (cty !== 'twilio-fpa;v=1')
    add(
      finding('CONTENT_TYPE_WRONG', { path: 'header.cty', received: cty, expected: `"twilio-fpa;v=1", ${REQUIRED}` }),
    );
  if (typ !== undefined && typ !== 'JWT')
    add(finding('TYPE_WRONG', { path: 'header.typ', received: typ, expected: `"JWT", ${REQUIRED}` }));
  if (Object.hasOwn(header, 'crit'))
    add(
      finding('CRITICAL_HEADER', {
        path: 'header.crit',
        receivedText: 'present',
        expected: 'none: Twilio implements no critical extension',
      }),
    );
}

/** Adds the findings about this part of the token. */
export function checkTimes(payload: Record<string, unknown>, now: number, add: Add): void {
  const { exp, iat, nbf } = readTimes(payload, add);
  if (own(payload, 'exp') === undefined)
    add(
      finding('EXPIRY_MISSING', { path: 'payload.exp', receivedText: 'missing', expected: 'a time within 24 hours' }),
    );
  if (exp !== undefined && now >= exp)
    add(
      finding('TOKEN_EXPIRED', {
        path: 'payload.exp',
        receivedText: `${isoSeconds(exp)}, ${ago(now - exp)} ago`,
        expected: 'a later time',
        hint: 'Fetch a new token before exp (see the client refresh guide)',
      }),
    );
  if (exp !== undefined && iat !== undefined && exp - iat > MAX_TTL)
    add(
      finding('TTL_TOO_LONG', {
        path: 'payload.exp',
        what: 'lifetime (exp - iat)',
        receivedText: `${exp - iat} s`,
        expected: `at most ${MAX_TTL} (24 h)`,
        hint: `Mint with a ttl of at most ${MAX_TTL}, in seconds`,
      }),
    );
  if (exp !== undefined && iat !== undefined && exp <= iat)
    add(
      finding('EXPIRES_BEFORE_ISSUED', {
        path: 'payload.exp',
        receivedText: 'not after iat',
        expected: 'a time after iat',
      }),
    );
  if (nbf !== undefined && nbf > now)
    add(
      finding('TOKEN_NOT_YET_VALID', {
        path: 'payload.nbf',
        receivedText: `${isoSeconds(nbf)}, ${ago(nbf - now)} from now`,
        expected: 'now or earlier',
        hint: 'Drop nbf, or mint it so',
      }),
    );
  if (iat !== undefined && iat > now + 1)
    add(
      finding('ISSUED_IN_THE_FUTURE', {
        path: 'payload.iat',
        receivedText: `${ago(iat - now)} in the future`,
        expected: "now or earlier: the minting server's clock runs ahead",
        hint: 'Sync it (NTP)',
      }),
    );
}

/** The time claims that are usable epoch seconds; a finding for each that is not. */
function readTimes(payload: Record<string, unknown>, add: Add) {
  const number = (claim: 'exp' | 'iat' | 'nbf'): number | undefined => {
    const value = own(payload, claim);
    const path = `payload.${claim}`;
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value < MILLISECONDS) return value;
    if (typeof value !== 'number' || !Number.isFinite(value))
      // The table's 20101, except for exp: Twilio names a bad exp 20104.
      add({
        ...finding('CLAIM_NOT_A_NUMBER', { path, received: value, expected: 'epoch seconds' }),
        twilioError: claim === 'exp' ? 20104 : 20101,
      });
    else
      add(
        finding('TIME_IN_MILLISECONDS', {
          path,
          receivedText: `${value}, in milliseconds`,
          expected: 'epoch seconds, Math.floor(Date.now() / 1000)',
        }),
      );
    return undefined;
  };
  return { exp: number('exp'), iat: number('iat'), nbf: number('nbf') };
}

/** Adds the findings about this part of the token. */
export function checkIssuer(payload: Record<string, unknown>, add: Add): void {
  const [iss, sub, jti, iat] = ['iss', 'sub', 'jti', 'iat'].map((claim) => own(payload, claim));
  const apiKey = 'an API Key SID (SK followed by 32 hex digits)';
  if (isSid(iss, 'AC'))
    add(
      finding('ISSUER_IS_ACCOUNT_SID', {
        path: 'payload.iss',
        receivedText: 'an Account SID',
        expected: `${apiKey}: an API Key issues Access Tokens`,
        hint: 'Sign with an API Key SID and its secret',
      }),
    );
  else if (!isSid(iss, 'SK'))
    add(finding('ISSUER_NOT_API_KEY', { path: 'payload.iss', received: iss, show: 'sid', expected: apiKey }));
  if (!isSid(sub, 'AC'))
    add(
      finding('SUBJECT_NOT_ACCOUNT_SID', {
        path: 'payload.sub',
        received: sub,
        show: 'sid',
        expected: 'the Account SID (AC followed by 32 hex digits) of the API Key',
      }),
    );
  if (DEMO_SIDS.has(iss) || DEMO_SIDS.has(sub))
    add(
      finding('DEMO_CREDENTIALS', {
        path: DEMO_SIDS.has(iss) ? 'payload.iss' : 'payload.sub',
        what: 'token',
        receivedText:
          'signed with demo credentials (SIDs of all zeros, as twilio-token --demo writes): no such Account or API Key exists',
        expected: 'real ones',
        hint: 'Mint with your Account SID and an API Key',
      }),
    );
  if (typeof iss === 'string' && typeof iat === 'number' && jti !== `${iss}-${iat}`)
    add(
      finding('JTI_UNUSUAL', {
        path: 'payload.jti',
        receivedText: 'not "<iss>-<iat>"',
        expected: "that, as Twilio's helper libraries and this one write it",
      }),
    );
}

/** Adds the findings about the secret the caller gave (never shown: only its shape is described). */
export function checkSecret(secret: string, add: Add): void {
  const fails = 'an API Key secret: a token signed with it fails';
  if (/^[0-9a-f]{32}$/.test(secret))
    add(
      finding('SECRET_LOOKS_LIKE_AUTH_TOKEN', {
        what: 'secret',
        receivedText: "32 lower-case hex digits, an Account Auth Token's shape",
        expected: `${fails} if it is the Auth Token`,
      }),
    );
  if (secret.trim() !== secret)
    add(
      finding('SECRET_HAS_WHITESPACE', {
        what: 'secret',
        receivedText: 'padded with whitespace (a newline from a file or a paste?)',
        expected: `${fails} with the padding`,
        hint: 'Trim it where it is read',
      }),
    );
}

/** A duration in words: "59 min", "3 h". */
export function ago(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
