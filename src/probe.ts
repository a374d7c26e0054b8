/**
 * Asks Twilio whether credentials are right: the key and its secret, the Region the key lives in,
 * whether it is a Main, Standard or Restricted key, the clock, and, given a token, its Region and
 * every SID its grants name. The only part of this package that uses the network; fetch-based, so it
 * runs in any runtime with `fetch`.
 *
 * ```ts
 * import { probeCredentials } from 'twilio-access-token/probe';
 * ```
 *
 * @module twilio-access-token/probe
 */

import type { ProbeOptions } from './probe/options.js';
import { type ProbeReport, runProbe, SYSTEM_CLOCK } from './probe/probe.js';
import type { Credentials } from './token/credentials.js';
import type { Keyring } from './token/keyring/core.js';

export type { ApnsCredentials, PushCredentialMap } from './grants/push-credentials.js';
export {
  type Finding,
  type FindingCode,
  PROBE_FINDINGS,
  type ProbeFindingCode,
} from './inspect/diagnose/finding.js';
export type { ProbeOptions } from './probe/options.js';
export type { ProbeReport } from './probe/probe.js';
export type { ProbeFinding } from './probe/probe-findings.js';
export type { PushCredentialReport } from './probe/push-credentials.js';
export type { Credentials } from './token/credentials.js';
export type { Keyring } from './token/keyring/core.js';

/**
 * Asks Twilio whether credentials (or a keyring) are right, and, given a token, whether what it
 * names exists. Requests go only to Twilio's hosts (`https://api.twilio.com`,
 * `https://api.dublin.ie1.twilio.com`, `https://api.sydney.au1.twilio.com` and the product hosts of
 * the same pattern); the secret goes only into their `Authorization` header and into no finding.
 *
 * - The key is tried Region by Region (`GET /2010-04-01/Accounts/{AC}/Applications.json`) until one
 *   accepts it: 401 (20003) everywhere is `CREDENTIALS_REJECTED`, 403 (70051) `KEY_RESTRICTED`.
 * - `GET /2010-04-01/Accounts/{AC}.json` tells a Main key (a `MAIN_KEY` warning) from a Standard one.
 * - With `token`: its region (`twr`) against the key's (`REGION_MISMATCH`), and each SID its grants
 *   name fetched from its product in that Region (`RESOURCE_NOT_FOUND` at the grant's path on a 404;
 *   a push credential's type and sandbox flag, in `pushCredentials`). A Video room is not fetched:
 *   a room that does not exist yet is created when someone joins it.
 * - With `expectPush` (`{ ios?, android? }`, the map `pushCredentialFor` takes): each push
 *   credential fetched; an APNs one under `android` or an FCM one under `ios` is
 *   `PUSH_CREDENTIAL_WRONG_TYPE` (52003), a sandbox one under `production` or a production one
 *   under `sandbox` `PUSH_CREDENTIAL_WRONG_ENVIRONMENT` (52134), at its path (`push.ios.production`).
 * - A keyring: the key that signed `token` when the keyring holds it, else the key that signs now,
 *   is probed in full; every other key is authenticated too (findings at `keyring.keys[i]`, in
 *   `describe()` order), so a pending key with a wrong secret or another Region shows before it signs.
 * - The clock from a response's `Date` header: over 60 s off is a `CLOCK_SKEW` warning.
 * - A 429 is retried once after its `Retry-After` (at most 5 s); no answer within `timeout`, a
 *   network failure or an unexpected answer is `PROBE_INCONCLUSIVE`: the probe could not decide.
 *
 * @param credentials - The Account SID, API Key SID and secret, or a keyring.
 * @param options - A token to check too, the fetch, the Regions to try and the timeout.
 * @returns What Twilio said, as findings; it rejects only for bad input, never for Twilio's answers.
 * @throws `AccessTokenError` `ERR_INVALID_CREDENTIALS` (as a rejection) for malformed
 *   credentials, or a keyring whose keys are all pending.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` (as a rejection) for an unknown option, a
 *   key present with the value `undefined`, a `token` that is not a non-empty string, a `fetch` that
 *   is not a function, a `regions` that is not a non-empty array of `us1`, `ie1`, `au1` without
 *   repeats, a `timeout` that is not an integer from 100 to 60000 (milliseconds), or an
 *   `expectPush` that `pushCredentials` refuses (at `options.expectPush...`).
 *
 * @example
 * ```ts
 * import { credentialsFromEnv } from 'twilio-access-token';
 * import { probeCredentials } from 'twilio-access-token/probe';
 *
 * const report = await probeCredentials(credentialsFromEnv(), { regions: ['us1', 'ie1'] });
 * for (const f of report.findings) console.log(f.severity, f.code, f.path ?? '', f.message);
 * console.log(report.ok ? `ok: a ${report.keyType} key in ${report.region}` : 'not ok');
 * ```
 */
export function probeCredentials(credentials: Credentials | Keyring, options?: ProbeOptions): Promise<ProbeReport> {
  return runProbe(credentials, options, SYSTEM_CLOCK);
}
