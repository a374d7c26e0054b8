import type { Keyring } from './core.js';
import { ttlCheckOf } from './own.js';

// retireAt is a key's successor's signFrom plus maxTtl: it holds only while no token minted through
// the keyring lives longer than maxTtl. So a longer ttl is refused, not trusted (fail closed: an
// operator who deletes the old key at retireAt must not cut off live sessions). The check itself is
// the keyring's own (build.ts registers it), so its message is bundled only with createKeyring.

/**
 * Refuses a ttl longer than the keyring's `maxTtl` when minting through a keyring; internal, used
 * by minting, minters (their overrides too) and the handlers, which pass the keyring they found.
 *
 * @throws {@link AccessTokenError} `ERR_INVALID_OPTION` at `path` for a longer ttl.
 */
export function assertTtlWithinKeyring(keyring: Keyring | undefined, ttl: number, path: string): void {
  if (keyring !== undefined) ttlCheckOf(keyring)?.(ttl, path);
}
