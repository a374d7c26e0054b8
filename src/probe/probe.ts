import { describe } from '../base/errors.js';
import { type AccessTokenHeader, type AccessTokenPayload, decodeAccessToken } from '../inspect/decode.js';
import type { Credentials } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import { isKeyring } from '../token/keyring/own.js';
import { checkGrantResources } from './grant-resources.js';
import type { ProbeRegion } from './hosts.js';
import { keyKind, locateKey, reportUnlocated, restricted } from './key-standing.js';
import { checkKeyring } from './keyring-keys.js';
import { readProbeInput } from './options.js';
import { type AddFinding, findingList, type ProbeFinding } from './probe-findings.js';
import { checkExpectedPush, type PushCredentialReport } from './push-credentials.js';
import type { ProbeContext } from './request.js';

// The online probe: ask Twilio whether the key, its secret, its Region and what a token names are
// right. The order: decode the token (if any), pick the key, find its Region, tell its kind, then
// the token's Region and resources, a keyring's other keys, and the clock.

/** What {@link probeCredentials} found out from Twilio. */
export interface ProbeReport {
  /** No finding of severity `'error'`. */
  readonly ok: boolean;
  /** The Region where the key authenticated: `'us1'`, `'ie1'` or `'au1'`. */
  readonly region?: string;
  /** `'main'` (full account access: a warning) or `'standard'`; absent for a restricted or rejected key. */
  readonly keyType?: 'main' | 'standard';
  /** Twilio's clock minus this machine's, in seconds, from a response's `Date` header (±1 s). */
  readonly clockSkewSeconds?: number;
  /**
   * Each push credential Twilio described, from the token's grants and `expectPush`: its type
   * (`apn`, `fcm`, `gcm`) and sandbox flag, at the path that named it. Absent when none was read.
   */
  readonly pushCredentials?: readonly PushCredentialReport[];
  /** Everything found, errors first. */
  readonly findings: readonly ProbeFinding[];
}

/** The clock and the wait of a probe; tests pass their own. */
export interface ProbeClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The real clock. */
export const SYSTEM_CLOCK: ProbeClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs the probe: `probeCredentials` with an injectable clock. */
export async function runProbe(credentials: unknown, options: unknown, clock: ProbeClock): Promise<ProbeReport> {
  const { source, options: o } = readProbeInput(credentials, options);
  const ctx: ProbeContext = {
    fetch: o.fetch,
    timeout: o.timeout,
    sleep: clock.sleep,
    now: clock.now,
    deadline: o.deadline,
    deadlineAt: clock.now() + o.deadline,
  };
  const { findings, add } = findingList();
  const token = o.token === undefined ? undefined : decodeForProbe(o.token, add);
  const key = chooseKey(source, token?.payload, add);
  const standing = await locateKey(ctx, key, o.regions);
  let keyType: 'main' | 'standard' | undefined;
  const pushed: PushCredentialReport[] = [];
  if (standing.region === undefined) {
    reportUnlocated(standing, add, 'credentials', 'The key');
  } else {
    const kind = standing.restricted
      ? restricted(standing.region, add, 'credentials')
      : await classify(ctx, key, standing.region, add);
    keyType = kind === 'restricted' ? undefined : kind;
    if (token !== undefined) checkTokenRegion(token.header, standing.region, add);
    // A Restricted key may read nothing more: each fetch would only repeat 70051.
    if (token !== undefined && kind !== 'restricted')
      await checkGrantResources(ctx, key, standing.region, token.payload.grants, add, pushed);
    if (o.expectPush !== undefined && kind !== 'restricted')
      pushed.push(...(await checkExpectedPush(ctx, key, standing.region, o.expectPush, add)));
  }
  if (isKeyring(source)) await checkKeyring(ctx, source, key, standing.region, o.regions, add);
  checkClock(ctx.skew, add);
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    ok: !findings.some((f) => f.severity === 'error'),
    ...(standing.region === undefined ? {} : { region: standing.region }),
    ...(keyType === undefined ? {} : { keyType }),
    ...(ctx.skew === undefined ? {} : { clockSkewSeconds: ctx.skew }),
    ...(pushed.length === 0 ? {} : { pushCredentials: pushed }),
    findings,
  };
}

function decodeForProbe(token: string, add: AddFinding) {
  try {
    return decodeAccessToken(token);
  } catch {
    add(
      'MALFORMED_TOKEN',
      "The token could not be decoded, so only the credentials were probed: run 'twilio-token doctor' on it for why",
      'token',
    );
    return undefined;
  }
}

/** The key to probe: the credentials, or the keyring's key that signed the token (else its signing key). */
function chooseKey(
  source: Credentials | Keyring,
  payload: AccessTokenPayload | undefined,
  add: AddFinding,
): Credentials {
  if (payload !== undefined && payload.sub !== source.accountSid)
    add('ACCOUNT_MISMATCH', 'The token is for another account (sub) than the credentials probed', 'payload.sub');
  if (!isKeyring(source)) {
    if (payload !== undefined && payload.iss !== source.apiKeySid)
      add('KEY_NOT_TOKEN_ISSUER', 'The token was signed by another API Key (iss) than the one probed', 'payload.iss');
    return source;
  }
  const issuer = payload === undefined ? undefined : source.get(payload.iss);
  if (issuer !== undefined) return issuer;
  if (payload !== undefined)
    add(
      'UNKNOWN_KEY',
      "The keyring does not hold the key that signed the token (iss); the keyring's signing key was probed",
      'payload.iss',
    );
  try {
    return source.signing();
  } catch {
    // Every key is still pending: probe the first, which will sign first.
    return source.get(source.describe()[0]?.apiKeySid ?? '') as Credentials;
  }
}

async function classify(ctx: ProbeContext, key: Credentials, region: ProbeRegion, add: AddFinding) {
  const kind = await keyKind(ctx, key, region);
  if (kind === 'standard') return 'standard';
  if (kind === 'restricted') return restricted(region, add, 'credentials');
  if (kind === 'main') {
    add(
      'MAIN_KEY',
      'This is a Main API Key: it can do anything the account can, creating and deleting keys included; sign tokens with a Standard API Key',
      'credentials',
    );
    return 'main';
  }
  add('PROBE_INCONCLUSIVE', `Could not tell a Main from a Standard key: ${kind.undecided}`, 'credentials');
  return undefined;
}

/** The token's Region (`twr`; US1 when absent) must be the key's: Twilio looks the key up there. */
function checkTokenRegion(header: AccessTokenHeader, region: ProbeRegion, add: AddFinding): void {
  const twr = Object.hasOwn(header, 'twr') ? (header as { twr?: unknown }).twr : undefined;
  if ((twr ?? 'us1') === region) return;
  const said =
    twr === undefined
      ? 'has no region (twr), so Twilio reads it in US1'
      : `is for the region ${describe(twr, 'value')}`;
  add(
    'REGION_MISMATCH',
    `The token ${said}, but its key lives in ${region.toUpperCase()}: mint with region '${region}' (a key works only in the Region it was created in)`,
    'header.twr',
  );
}

function checkClock(skew: number | undefined, add: AddFinding): void {
  if (skew === undefined || Math.abs(skew) <= 60) return;
  const effect =
    skew > 0
      ? 'behind Twilio: tokens minted here expire earlier than meant (20104)'
      : 'ahead of Twilio: tokens minted here look issued in the future, and nbf not yet reached (20105)';
  add('CLOCK_SKEW', `This machine's clock is ${Math.abs(skew)} s ${effect}; synchronise it (NTP)`);
}
