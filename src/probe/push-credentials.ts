import type { PushCredentials } from '../grants/push-credentials.js';
import { PUSH_CREDENTIAL_RESOURCE } from '../grants/resources.js';
import type { Credentials } from '../token/credentials.js';
import { type ProbeRegion, twilioUrl } from './hosts.js';
import { isStatus, why } from './key-standing.js';
import type { AddFinding } from './probe-findings.js';
import { getTwilio, type ProbeContext } from './request.js';

// A phone app's push credentials against Twilio: each SID of the map fetched (the Credential
// resource: `type` apn, fcm or gcm; `sandbox` "true" or "false"), and its kind held against where
// the map puts it. A wrong kind is silent at mint time and fails only when a call or message
// should ring a phone: the app sees 52003 (an APNs credential for FCM, or the reverse) or 52134
// (an APNs device token sent to the other environment).

/** A push credential as Twilio described it. */
export interface PushCredentialReport {
  /** Where it was named: `push.ios.production`, `push.android`, `payload.grants.voice.push_credential_sid`. */
  readonly path: string;
  /** The `CR` SID. */
  readonly sid: string;
  /** Twilio's `type`: `'apn'`, `'fcm'` or `'gcm'`. */
  readonly type: string;
  /** Whether it is for sandbox APNs (development builds); `false` for FCM. */
  readonly sandbox: boolean;
}

/** What a place in the map needs. */
interface Slot {
  readonly path: string;
  readonly sid: string;
  readonly type: 'apn' | 'fcm';
  readonly sandbox: boolean;
}

function slots(map: PushCredentials): Slot[] {
  const list: Slot[] = [];
  if (map.ios !== undefined) {
    list.push({ path: 'push.ios.production', sid: map.ios.production, type: 'apn', sandbox: false });
    if (map.ios.sandbox !== undefined)
      list.push({ path: 'push.ios.sandbox', sid: map.ios.sandbox, type: 'apn', sandbox: true });
  }
  if (map.android !== undefined) list.push({ path: 'push.android', sid: map.android, type: 'fcm', sandbox: false });
  return list;
}

/**
 * Fetches a push credential: its type and sandbox flag, or `undefined` after adding the finding
 * that says why not (404, or an answer the probe cannot read).
 */
export async function fetchPushCredential(
  ctx: ProbeContext,
  key: Credentials,
  target: { readonly region: ProbeRegion; readonly sid: string; readonly path: string },
  add: AddFinding,
): Promise<PushCredentialReport | undefined> {
  const resource = PUSH_CREDENTIAL_RESOURCE;
  const url = twilioUrl(resource.host, target.region, resource.path.replace('{sid}', target.sid));
  const answer = await getTwilio(ctx, key, url);
  const where = `${target.region.toUpperCase()} for this account`;
  if (isStatus(answer, 404)) {
    add(
      'RESOURCE_NOT_FOUND',
      `Twilio has no Push Credential with this SID in ${where} (404): phones would get no notifications (52002, invalid credential SID); the SID is from another account, was deleted, or is mistyped`,
      target.path,
    );
    return undefined;
  }
  const body = answer.kind === 'answered' && isStatus(answer, 200) ? answer.body : undefined;
  const own = (name: string) => (body !== undefined && Object.hasOwn(body, name) ? body[name] : undefined);
  const type = own('type');
  const sandbox = own('sandbox');
  // Twilio writes the flag as a string; FCM credentials have none.
  const flag = sandbox === 'true' || sandbox === true ? true : sandbox === 'false' || sandbox === false ? false : null;
  if ((type !== 'apn' && type !== 'fcm' && type !== 'gcm') || (type === 'apn' && flag === null)) {
    const reason = body === undefined ? why(answer) : 'its answer has no readable type and sandbox flag';
    add('PROBE_INCONCLUSIVE', `Could not check the Push Credential in ${where}: ${reason}`, target.path);
    return undefined;
  }
  return { path: target.path, sid: target.sid, type, sandbox: flag === true };
}

/**
 * Checks every SID of an app's push credential map: an APNs credential under `ios` (sandbox only
 * under `sandbox`), an FCM one under `android`.
 *
 * @returns What Twilio said of each credential it could read.
 */
export async function checkExpectedPush(
  ctx: ProbeContext,
  key: Credentials,
  region: ProbeRegion,
  map: PushCredentials,
  add: AddFinding,
): Promise<PushCredentialReport[]> {
  const reports: PushCredentialReport[] = [];
  for (const slot of slots(map)) {
    const got = await fetchPushCredential(ctx, key, { region, sid: slot.sid, path: slot.path }, add);
    if (got === undefined) continue;
    reports.push(got);
    const platform = slot.type === 'apn' ? 'iOS (APNs)' : 'Android (FCM)';
    if (got.type === 'gcm' && slot.type === 'fcm')
      add(
        'PUSH_CREDENTIAL_GCM',
        'The push credential is a GCM credential; Google shut GCM down, so Android devices get no notifications: create an FCM credential and use its SID',
        slot.path,
      );
    else if (got.type !== slot.type)
      add(
        'PUSH_CREDENTIAL_WRONG_TYPE',
        `The push credential is of type ${got.type}, but ${slot.path} is for ${platform}: Twilio refuses to send with it (52003, invalid credential type) and the phone never rings; use a credential of type ${slot.type}`,
        slot.path,
      );
    else if (got.sandbox !== slot.sandbox)
      add(
        'PUSH_CREDENTIAL_WRONG_ENVIRONMENT',
        got.sandbox
          ? `The push credential is for sandbox APNs, but ${slot.path} serves App Store and TestFlight builds: their device tokens are refused there (52134, invalid APNs device token); use a credential without sandbox`
          : `The push credential is for production APNs, but ${slot.path} serves development builds: their device tokens are refused there (52134, invalid APNs device token); use a sandbox credential`,
        slot.path,
      );
  }
  return reports;
}
