import { isPlainObject } from '../base/known-keys.js';
import { isSid } from '../base/validate.js';
import { wireValue } from '../grants/build.js';
import { PRODUCTS } from '../grants/products.js';
import { RESOURCES } from '../grants/resources.js';
import type { GrantField, GrantSpec, SidResource } from '../grants/spec.js';
import type { AccessTokenGrants } from '../inspect/decode.js';
import type { Credentials } from '../token/credentials.js';
import { type ProbeRegion, twilioUrl } from './hosts.js';
import { isStatus, why } from './key-standing.js';
import type { AddFinding } from './probe-findings.js';
import type { PushCredentialReport } from './push-credentials.js';
import { getTwilio, ownField, type ProbeContext, withFields } from './request.js';

// Each SID a token's grants name, fetched from the product that serves it, in the key's Region:
// a 404 means the account has no such resource there (another account's or Region's SID, a deleted
// one). Everything is read from the products' tables and their resources (src/grants/).

/** Fetches every resource the grants name; adds a finding for each one that is missing or undecided. */
export async function checkGrantResources(
  ctx: ProbeContext,
  key: Credentials,
  region: ProbeRegion,
  grants: AccessTokenGrants,
  add: AddFinding,
  pushed: PushCredentialReport[],
): Promise<void> {
  for (const spec of PRODUCTS) {
    const grant = Object.hasOwn(grants, spec.key) ? grants[spec.key] : undefined;
    // A product the Region does not serve: diagnose reports it (REGION_UNSUPPORTED), nothing to fetch.
    if (!isPlainObject(grant) || !spec.regions.includes(region)) continue;
    const resources = RESOURCES[spec.product];
    for (const field of spec.fields) {
      const resource = Object.hasOwn(resources, field.option) ? resources[field.option] : undefined;
      if (resource === undefined || field.kind !== 'sid') continue;
      const path = resourcePath(resource, field, grant, key.accountSid);
      // A malformed SID is diagnose's finding (INVALID_GRANT); it is never put in a URL.
      if (path === undefined) continue;
      await checkOne(ctx, key, { region, spec, field, resource, path, grant }, add, pushed);
    }
  }
}

interface Target {
  readonly region: ProbeRegion;
  readonly spec: GrantSpec;
  readonly field: GrantField;
  readonly resource: SidResource;
  readonly path: string;
  readonly grant: Record<string, unknown>;
}

async function checkOne(
  ctx: ProbeContext,
  key: Credentials,
  t: Target,
  add: AddFinding,
  pushed: PushCredentialReport[],
): Promise<void> {
  const at = `payload.grants.${t.spec.key}.${t.field.wire}`;
  // A resource of Twilio's names its SID: a 200 without one decides nothing.
  const answer = withFields(
    await getTwilio(ctx, key, twilioUrl(t.resource.host, t.region, t.path)),
    (body) => typeof ownField(body, 'sid') === 'string',
  );
  const where = `${t.region.toUpperCase()} for this account`;
  if (isStatus(answer, 404)) {
    add(
      'RESOURCE_NOT_FOUND',
      `Twilio has no ${t.resource.name} with this SID in ${where} (404): the SID is from another account or Region, was deleted, or is mistyped`,
      at,
    );
  } else if (isStatus(answer, 200)) {
    if (t.resource.push === true && answer.kind === 'answered') {
      checkPush(answer.body, at, add);
      const sid = wireValue(t.grant, t.field.wire) as string;
      const type = ownField(answer.body, 'type');
      const sandbox = ownField(answer.body, 'sandbox');
      if (typeof type === 'string')
        pushed.push({ path: at, sid, type, sandbox: sandbox === 'true' || sandbox === true });
    }
  } else {
    add('PROBE_INCONCLUSIVE', `Could not check the ${t.resource.name} in ${where}: ${why(answer)}`, at);
  }
}

/** A push credential's type and sandbox flag (Twilio writes `sandbox` as the string `"true"`). */
function checkPush(body: Record<string, unknown> | undefined, at: string, add: AddFinding): void {
  const type = ownField(body, 'type');
  const sandbox = ownField(body, 'sandbox');
  if (type === 'gcm')
    add(
      'PUSH_CREDENTIAL_GCM',
      'The push credential is a GCM credential; Google shut GCM down, so Android devices get no notifications: create an FCM credential and use its SID',
      at,
    );
  if (type === 'apn' && (sandbox === 'true' || sandbox === true))
    add(
      'PUSH_CREDENTIAL_SANDBOX',
      'The push credential is for sandbox APNs: only development builds of the iOS app get notifications; App Store and TestFlight builds need a production credential',
      at,
    );
}

const ANY_SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

/** The resource's path with the grant's SIDs filled in; `undefined` when one of them is not a SID. */
function resourcePath(
  resource: SidResource,
  field: GrantField,
  grant: Record<string, unknown>,
  accountSid: string,
): string | undefined {
  const own = wireValue(grant, field.wire);
  if (!isSid(own, field.prefix as string)) return undefined;
  let complete = true;
  const path = resource.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = name === 'sid' ? own : name === 'account' ? accountSid : wireValue(grant, name);
    if (typeof value === 'string' && ANY_SID.test(value)) return value;
    complete = false;
    return '';
  });
  return complete ? path : undefined;
}
