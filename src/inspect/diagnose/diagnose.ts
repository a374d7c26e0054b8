import { isPlainObject } from '../../base/known-keys.js';
import { afterSigning, failure, type Settled, type Signer } from '../../crypto/signer.js';
import type { Keyring } from '../../token/keyring/core.js';
import { ALGORITHMS, type Algorithm } from '../../token/options.js';
import { own } from '../claim-checks.js';
import {
  type AccessTokenHeader,
  type AccessTokenPayload,
  isTwilioToken,
  readToken,
  type TokenParts,
} from '../decode.js';
import { type Finding, finding } from './finding.js';
import { checkGrants, checkIdentity } from './grant-checks.js';
import { checkKeyring } from './keyring-checks.js';
import { type ResolvedDiagnoseOptions, readDiagnoseOptions } from './options.js';
import { checkHeader, checkIssuer, checkSecret, checkTimes } from './token-checks.js';

// Why Twilio would reject a token: every check a token alone can reveal, as findings. Platform
// neutral: the signature check is the platform's Signer, passed to makeDiagnoseAccessToken.

/** What {@link diagnoseAccessToken} found. */
export interface Diagnosis {
  /** No finding of severity `'error'`. */
  readonly ok: boolean;
  /** The header, when the token could be decoded. */
  readonly header?: AccessTokenHeader;
  /** The payload, when the token could be decoded. */
  readonly payload?: AccessTokenPayload;
  /** Everything found, errors first. */
  readonly findings: readonly Finding[];
}

/** Options of {@link diagnoseAccessToken}. Any other key is `ERR_INVALID_OPTION`. */
export interface DiagnoseOptions {
  /**
   * The API Key secret, a non-empty string: when given, the signature is checked too (a mismatch
   * is Twilio error 20107). Leave the key out to skip that check; `undefined` is refused.
   */
  apiKeySecret?: string;
  /**
   * A keyring, in place of `apiKeySecret`: the token's `iss` picks the key whose secret checks the
   * signature; findings for a key it does not hold (`UNKNOWN_KEY`), another account
   * (`ACCOUNT_MISMATCH`) and a key past its `retireAt` (`KEY_PAST_RETIREMENT`).
   */
  keyring?: Keyring;
  /**
   * The time to check against: epoch SECONDS when a number (milliseconds are refused), or a Date.
   * @defaultValue `Date.now()`
   */
  now?: number | Date;
  /**
   * Lets `twilio-access-token/web` check a signature where `document` exists (a browser page): the
   * check needs the API Key secret, which must not ship to a browser. Without a secret, diagnosing
   * needs no permission. See `AccessTokenOptions`.
   * @defaultValue `false`
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Makes `diagnoseAccessToken` for a platform. */
export function makeDiagnoseAccessToken<M extends boolean | Promise<boolean>>(
  signer: Signer<string | Promise<string>, M>,
) {
  return (token: string, options?: DiagnoseOptions): Settled<M, Diagnosis> => {
    let state: DiagnosisState;
    try {
      // The only throw: a bad options object is the caller's mistake, not the token's.
      state = beginDiagnosis(token, readDiagnoseOptions(options, signer));
    } catch (error) {
      return failure<Settled<M, Diagnosis>>(signer, error);
    }
    const s = state.signature;
    if (s === undefined) return signer.settle(finishDiagnosis(state, undefined)) as Settled<M, Diagnosis>;
    return afterSigning(signer.matches(s.algorithm, s.secret, s.input, s.signature), (matches) =>
      finishDiagnosis(state, matches),
    ) as Settled<M, Diagnosis>;
  };
}

/** A token split for diagnosis: what could be read, and the signature check to run. */
interface DiagnosisState {
  readonly findings: Finding[];
  readonly header?: AccessTokenHeader;
  readonly payload?: AccessTokenPayload;
  /** Set when a secret was given and the token is signed with a supported algorithm. */
  readonly signature?: {
    readonly algorithm: Algorithm;
    readonly secret: string;
    readonly input: string;
    readonly signature: string;
  };
}

/** Runs every check that needs no signature; never throws for a string token. */
function beginDiagnosis(token: string, options: ResolvedDiagnoseOptions): DiagnosisState {
  const findings: Finding[] = [];
  const add = (finding: Finding) => findings.push(finding);
  const { keyring, now } = options;
  let secret = options.secret;
  if (secret !== undefined) checkSecret(secret, add);

  const parts = split(token, add);
  if (parts === undefined) return { findings };
  const { header, payload, input, signature } = parts;

  checkHeader(header, add);
  checkTimes(payload, now, add);
  checkIssuer(payload, add);
  if (keyring !== undefined) secret = checkKeyring(payload, keyring, now, add);
  const grants = own(payload, 'grants');
  if (isPlainObject(grants)) {
    checkIdentity(grants, add);
    checkGrants(grants, header, add);
  } else
    add(finding('GRANTS_MISSING', { path: 'payload.grants', received: grants, expected: 'an object with a grant' }));
  const alg = own(header, 'alg');
  // The header and payload are reported only when decodeAccessToken accepts them, so their types hold.
  const typed = isTwilioToken(parts) ? { header: parts.header, payload: parts.payload } : {};
  if (secret === undefined || typeof alg !== 'string' || !ALGORITHMS.includes(alg)) return { findings, ...typed };
  return { findings, ...typed, signature: { algorithm: alg as Algorithm, secret, input, signature } };
}

/** Adds the signature's outcome (when it was checked) and returns the diagnosis, errors first. */
function finishDiagnosis(state: DiagnosisState, signatureMatches: boolean | undefined): Diagnosis {
  const findings = [...state.findings];
  if (signatureMatches === false)
    findings.push(
      finding('INVALID_SIGNATURE', {
        path: 'signature',
        receivedText: 'not by this API Key secret',
        expected:
          'one by it: another secret signed the token (another key, the Auth Token, a secret with stray whitespace), or it was altered',
      }),
    );
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const ok = !findings.some((f) => f.severity === 'error');
  return state.header === undefined || state.payload === undefined
    ? { ok, findings }
    : { ok, header: state.header, payload: state.payload, findings };
}

/** The token's structure, or a MALFORMED_TOKEN finding (20101) saying why it has none. */
function split(token: unknown, add: (f: Finding) => void): TokenParts | undefined {
  const parts = readToken(token);
  if (typeof parts !== 'string') return parts;
  add(finding('MALFORMED_TOKEN', { path: 'token', receivedText: parts, expected: 'a Twilio Access Token JWT' }));
  return undefined;
}
