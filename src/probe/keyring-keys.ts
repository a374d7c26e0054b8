import type { Credentials } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import type { ProbeRegion } from './hosts.js';
import { locateKey, reportUnlocated, restricted } from './key-standing.js';
import type { AddFinding } from './probe-findings.js';
import type { ProbeContext } from './request.js';

// A keyring's other keys: each one is authenticated too, so a pending key with a wrong secret, or
// one created in another Region, shows up before it takes over signing, not after.

/** Authenticates every key of the keyring but the one already probed; findings at `keyring.keys[i]`. */
export async function checkKeyring(
  ctx: ProbeContext,
  keyring: Keyring,
  probed: Credentials,
  region: ProbeRegion | undefined,
  regions: readonly ProbeRegion[],
  add: AddFinding,
): Promise<void> {
  for (const [i, described] of keyring.describe().entries()) {
    if (described.apiKeySid === probed.apiKeySid) continue;
    const key = keyring.get(described.apiKeySid) as Credentials;
    const at = `keyring.keys[${i}]`;
    const subject = `The ${described.role} key ${i + 1} of the keyring (oldest first)`;
    const standing = await locateKey(ctx, key, regions);
    if (standing.region === undefined) reportUnlocated(standing, add, at, subject);
    else if (standing.restricted) restricted(standing.region, add, at);
    else if (region !== undefined && standing.region !== region)
      add(
        'REGION_MISMATCH',
        `${subject} lives in ${standing.region.toUpperCase()}, the key probed in ${region.toUpperCase()}: tokens signed by one of them are read in the wrong Region`,
        at,
      );
  }
}
