import type { Credentials } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import type { ProbeRegion } from './hosts.js';
import { locateKey, reportUnlocated, restricted } from './key-standing.js';
import type { AddFinding } from './probe-findings.js';
import type { ProbeContext } from './request.js';

// A keyring's other keys: each one is authenticated too, so a pending key with a wrong secret, or
// one created in another Region, shows up before it takes over signing, not after.

/** How many of a keyring's keys are probed at once: a keyring of 100 keys must not open 100 requests. */
const AT_ONCE = 4;

/**
 * Authenticates every key of the keyring but the one already probed, at most {@link AT_ONCE} at a
 * time; findings at `keyring.keys[i]`, in the keyring's order.
 */
export async function checkKeyring(
  ctx: ProbeContext,
  keyring: Keyring,
  probed: Credentials,
  region: ProbeRegion | undefined,
  regions: readonly ProbeRegion[],
  add: AddFinding,
): Promise<void> {
  const described = keyring.describe();
  const found: Parameters<AddFinding>[][] = described.map(() => []);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < described.length; i = next++) {
      const d = described[i] as (typeof described)[number];
      if (d.apiKeySid === probed.apiKeySid) continue;
      const mine: AddFinding = (...finding) => void (found[i] as Parameters<AddFinding>[]).push(finding);
      await checkOne(ctx, keyring.get(d.apiKeySid) as Credentials, { i, role: d.role, region, regions }, mine);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, described.length) }, worker));
  for (const list of found) for (const finding of list) add(...finding);
}

async function checkOne(
  ctx: ProbeContext,
  key: Credentials,
  k: { i: number; role: string; region: ProbeRegion | undefined; regions: readonly ProbeRegion[] },
  add: AddFinding,
): Promise<void> {
  const at = `keyring.keys[${k.i}]`;
  const subject = `The ${k.role} key ${k.i + 1} of the keyring (oldest first)`;
  const standing = await locateKey(ctx, key, k.regions);
  if (standing.region === undefined) reportUnlocated(standing, add, at, subject);
  else if (standing.restricted) restricted(standing.region, add, at);
  else if (k.region !== undefined && standing.region !== k.region)
    add(
      'REGION_MISMATCH',
      `${subject} lives in ${standing.region.toUpperCase()}, the key probed in ${k.region.toUpperCase()}: tokens signed by one of them are read in the wrong Region`,
      at,
    );
}
