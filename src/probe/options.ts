import { fail } from '../base/errors.js';
import { assertKnownKeys } from '../base/known-keys.js';
import { assertInteger } from '../base/validate.js';
import { type PushCredentialMap, type PushCredentials, readPushCredentials } from '../grants/push-credentials.js';
import type { Credentials } from '../token/credentials.js';
import { assertCredentials } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import { keyringOf } from '../token/keyring/own.js';
import { PROBE_REGIONS, type ProbeRegion } from './hosts.js';

// probeCredentials' inputs, checked the library's one way: known keys only, each read once, a key
// present with the value undefined refused, values described by type (a token or a secret in the
// wrong place is never shown).

/** Options of `probeCredentials`. Any other key is `ERR_INVALID_OPTION`. */
export interface ProbeOptions {
  /** A token to check against Twilio too: its region (`twr`) and every SID its grants name. */
  token?: string;
  /** The fetch to send requests with. @defaultValue `globalThis.fetch` */
  fetch?: typeof globalThis.fetch;
  /** The Regions to try the key in, in order: `'us1'`, `'ie1'`, `'au1'`. @defaultValue all three */
  regions?: readonly string[];
  /** Milliseconds to wait for each request, 100 to 60000. @defaultValue 5000 */
  timeout?: number;
  /**
   * An app's push credentials by platform, as `pushCredentialFor` takes them: each SID is fetched,
   * and an APNs credential under `android`, an FCM one under `ios`, or a sandbox one under
   * `production` (or the reverse) is an error finding at its path (`push.ios.production`).
   */
  expectPush?: PushCredentialMap;
  /**
   * Milliseconds the whole probe may take, 100 to 600000: no request is sent after it, and one
   * still waiting then ends as "could not decide". @defaultValue 30000
   */
  deadline?: number;
}

/** The options, checked. */
export interface ResolvedProbeOptions {
  readonly token?: string;
  readonly fetch: typeof globalThis.fetch;
  readonly regions: readonly ProbeRegion[];
  readonly timeout: number;
  readonly expectPush?: PushCredentials;
  readonly deadline: number;
}

const KNOWN: readonly string[] = ['token', 'fetch', 'regions', 'timeout', 'deadline', 'expectPush'];

/** Checks the credentials (or keyring) and the options. */
export function readProbeInput(
  source: unknown,
  options: unknown,
): { readonly source: Credentials | Keyring; readonly options: ResolvedProbeOptions } {
  // Another copy's keyring is refused (own.ts), as createAccessToken refuses it.
  const checked = keyringOf(source) ?? assertCredentials(source);
  const o = assertKnownKeys<ProbeOptions>(options, KNOWN, 'options');
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token === ''))
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.token',
      expected: 'a token (a non-empty string)',
      received: o.token,
    });
  const fetch = o.fetch ?? (globalThis as { fetch?: typeof globalThis.fetch }).fetch;
  if (typeof fetch !== 'function')
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.fetch',
      expected: o.fetch === undefined ? 'a fetch function (this runtime has no globalThis.fetch)' : 'a fetch function',
      received: fetch,
    });
  const timeout =
    o.timeout === undefined
      ? 5000
      : assertInteger(o.timeout, { path: 'options.timeout', min: 100, max: 60_000, show: 'value' });
  const deadline =
    o.deadline === undefined
      ? 30_000
      : assertInteger(o.deadline, { path: 'options.deadline', min: 100, max: 600_000, show: 'value' });
  const regions = o.regions === undefined ? PROBE_REGIONS : readRegions(o.regions);
  const resolved: ResolvedProbeOptions = {
    fetch,
    regions,
    timeout,
    deadline,
    ...(o.token === undefined ? {} : { token: o.token }),
    ...(o.expectPush === undefined ? {} : { expectPush: readPushCredentials(o.expectPush, 'options.expectPush') }),
  };
  return { source: checked, options: resolved };
}

/** At least one Region, each one the probe knows, none twice; each element read once. */
function readRegions(value: unknown): readonly ProbeRegion[] {
  const expected = `a non-empty array of Regions without repeats, each one of ${PROBE_REGIONS.join(', ')}`;
  let length: unknown;
  try {
    length = Array.isArray(value) ? value.length : undefined;
  } catch {
    length = undefined;
  }
  if (typeof length !== 'number' || length < 1 || length > PROBE_REGIONS.length)
    fail({ code: 'ERR_INVALID_OPTION', path: 'options.regions', expected, received: value });
  const regions: ProbeRegion[] = [];
  for (let i = 0; i < length; i++) {
    let item: unknown;
    try {
      item = (value as readonly unknown[])[i];
    } catch {
      item = undefined;
    }
    const region = PROBE_REGIONS.find((r) => r === item);
    if (region === undefined || regions.includes(region))
      fail({ code: 'ERR_INVALID_OPTION', path: `options.regions[${i}]`, expected, received: item, show: 'value' });
    regions.push(region);
  }
  return regions;
}
