import type { Credentials } from '../token/credentials.js';
import { type ProbeRegion, twilioUrl } from './hosts.js';
import type { AddFinding } from './probe-findings.js';
import { type Answer, getTwilio, ownField, type ProbeContext, withFields } from './request.js';

// Where a key authenticates and what kind of key it is. An API Key exists in one Region only, so
// the key is tried Region by Region until Twilio accepts it.

/** What Twilio said about a key across the Regions probed. */
export interface KeyStanding {
  /** The Region that accepted the key (200), or answered that it is restricted (403, 70051). */
  readonly region?: ProbeRegion;
  /** The key is a Restricted API Key. */
  readonly restricted: boolean;
  /** Regions that answered 401 with Twilio code 20003. */
  readonly rejectedIn: readonly ProbeRegion[];
  /** Regions where the probe could not decide, and why. */
  readonly undecided: readonly { readonly region: ProbeRegion; readonly reason: string }[];
}

/** Finds the Region that accepts the key: `GET /2010-04-01/Accounts/{AC}/Applications.json?PageSize=1`. */
export async function locateKey(
  ctx: ProbeContext,
  key: Credentials,
  regions: readonly ProbeRegion[],
): Promise<KeyStanding> {
  const rejectedIn: ProbeRegion[] = [];
  const undecided: { region: ProbeRegion; reason: string }[] = [];
  for (const region of regions) {
    const url = twilioUrl('api', region, `/2010-04-01/Accounts/${key.accountSid}/Applications.json?PageSize=1`);
    // Twilio's list of Applications: a 200 without it is no answer of Twilio's.
    const answer = withFields(await getTwilio(ctx, key, url), (body) => Array.isArray(ownField(body, 'applications')));
    if (isStatus(answer, 200)) return { region, restricted: false, rejectedIn, undecided };
    if (isRestricted(answer)) return { region, restricted: true, rejectedIn, undecided };
    if (isStatus(answer, 401, 20003)) rejectedIn.push(region);
    else undecided.push({ region, reason: why(answer) });
  }
  return { restricted: false, rejectedIn, undecided };
}

/** What a key may do: `GET /2010-04-01/Accounts/{AC}.json` answers a Main key only. */
export async function keyKind(
  ctx: ProbeContext,
  key: Credentials,
  region: ProbeRegion,
): Promise<'main' | 'standard' | 'restricted' | { readonly undecided: string }> {
  const url = twilioUrl('api', region, `/2010-04-01/Accounts/${key.accountSid}.json`);
  // The Account itself: a 200 for another SID, or without one, says nothing about this key.
  const answer = withFields(await getTwilio(ctx, key, url), (body) => ownField(body, 'sid') === key.accountSid);
  if (isStatus(answer, 200)) return 'main';
  if (isRestricted(answer)) return 'restricted';
  if (isStatus(answer, 401)) return 'standard';
  return { undecided: why(answer) };
}

/** Twilio answered with this status (and this Twilio error code, when one is given). */
export function isStatus(answer: Answer, status: number, code?: number): boolean {
  return answer.kind === 'answered' && answer.status === status && (code === undefined || answer.code === code);
}

function isRestricted(answer: Answer): boolean {
  return isStatus(answer, 403, 70051);
}

/** Why an answer decides nothing, for a message: the status and Twilio code only, never the body. */
export function why(answer: Answer): string {
  if (answer.kind === 'failed') return answer.reason;
  const code = answer.code === undefined ? '' : `, Twilio ${answer.code}`;
  return `Twilio answered an unexpected ${answer.status}${code}`;
}

/** Findings for a key no Region accepted: rejected everywhere, or some Regions could not be asked. */
export function reportUnlocated(standing: KeyStanding, add: AddFinding, at: string, subject: string): void {
  const rejected = standing.rejectedIn.map((r) => r.toUpperCase()).join(', ');
  if (standing.undecided.length === 0) {
    add(
      'CREDENTIALS_REJECTED',
      `${subject} was rejected in ${rejected} (401, Twilio 20003): the secret is not this key's, the key was deleted, or it belongs to another account (or to a Region not probed)`,
      at,
    );
    return;
  }
  for (const { region, reason } of standing.undecided) {
    const elsewhere = rejected === '' ? '' : `; rejected in ${rejected}`;
    add(
      'PROBE_INCONCLUSIVE',
      `Could not tell whether ${region.toUpperCase()} accepts ${subject.toLowerCase()}: ${reason}${elsewhere}`,
      at,
    );
  }
}

/** A Restricted API Key: the finding; returns `'restricted'`. */
export function restricted(region: ProbeRegion, add: AddFinding, at: string): 'restricted' {
  add(
    'KEY_RESTRICTED',
    `Twilio answered 403 (70051) in ${region.toUpperCase()}: this is a Restricted API Key, which cannot sign Access Tokens; create a Standard API Key`,
    at,
  );
  return 'restricted';
}
