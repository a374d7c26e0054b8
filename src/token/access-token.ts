import { assertOptions } from '../base/validate.js';
import { failure, type Settled, type Signer } from '../crypto/signer.js';
import type { Grant } from '../grants/index.js';
import { assertCredentials, type Credentials } from './credentials.js';
import { defaultCredentials } from './default-credentials.js';
import { assertNotGrantAsIdentity } from './grant-slip.js';
import type { Keyring } from './keyring/core.js';
import { keyringOf } from './keyring/own.js';
import { assertTtlWithinKeyring } from './keyring/ttl.js';
import {
  type AccessTokenOptions,
  type Algorithm,
  DEFAULT_TTL,
  OPTION_KEYS,
  OVERRIDE_KEYS,
  resolveAlgorithm,
  resolveAllowBrowser,
  resolveNbf,
  resolveRegion,
  resolveTtl,
  type TokenMinterOptions,
  type TokenMinterOverrides,
} from './options.js';
import { keyPlans, type Lifetime, type Minted, sign, tokenOf } from './sign-token.js';

export type { Minted } from './sign-token.js';

type AnySigner = Signer<string | Promise<string>, boolean | Promise<boolean>>;

// Minting, top to bottom: validate the options into a key plan and a lifetime, then sign (sign-token.ts). Platform
// neutral: each entry passes its Signer (crypto/node-signer.ts or crypto/web-signer.ts) to the factories below.

/** A token's options, validated; credentials resolved. */
export interface TokenSettings {
  readonly credentials: Credentials;
  readonly algorithm: Algorithm;
  readonly region: string | undefined;
  readonly ttl: number;
  readonly nbf: number | undefined;
}

/**
 * Validates options for one token: the runtime first (a browser page must not hold the secret),
 * then credentials from the options, else from the environment.
 */
export function resolveTokenOptions(
  options: unknown,
  signer?: Pick<AnySigner, 'assertRuntime'>,
  now: number = Date.now() / 1000,
): TokenSettings {
  const o = mintOptions(options, signer);
  // A keyring's signing key now; without credentials, the single-key variables (validated already),
  // never TWILIO_API_KEYS.
  const source = o.credentials;
  const keyring = keyringOf(source);
  const credentials =
    keyring?.signing(now) ?? (source === undefined ? defaultCredentials() : assertCredentials(source));
  const s = settings(o, credentials);
  assertTtlWithinKeyring(keyring, s.ttl, 'options.ttl');
  return s;
}

/** Reads mint options once, and checks that this runtime may mint with them. */
function mintOptions(options: unknown, signer?: Pick<AnySigner, 'assertRuntime'>): Partial<AccessTokenOptions> {
  const o = assertOptions<AccessTokenOptions>(options, OPTION_KEYS, 'options', 'ERR_INVALID_OPTION');
  signer?.assertRuntime(resolveAllowBrowser(o.dangerouslyAllowBrowser, 'options.dangerouslyAllowBrowser'));
  return o;
}

/** The options other than credentials, validated. */
function settings<C extends Credentials | undefined>(
  o: Partial<AccessTokenOptions>,
  credentials: C,
): Omit<TokenSettings, 'credentials'> & { readonly credentials: C } {
  return {
    credentials,
    algorithm: resolveAlgorithm(o.algorithm, 'options.algorithm'),
    region: resolveRegion(o.region, 'options.region'),
    ttl: resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl'),
    nbf: resolveNbf(o.nbf, 'options.nbf'),
  };
}

/** Makes `createAccessToken` for a platform. */
export function makeCreateAccessToken<S extends string | Promise<string>>(
  signer: Signer<S, boolean | Promise<boolean>>,
) {
  const planFor = keyPlans(signer);
  return (identity: string, grants: Grant | readonly Grant[], options?: AccessTokenOptions): S => {
    try {
      // A grant passed as the identity is named before the options are read.
      assertNotGrantAsIdentity(identity);
      // One clock read per token: the key a keyring picks and the token's iat agree.
      const now = Date.now() / 1000;
      const s = resolveTokenOptions(options, signer, now);
      return tokenOf<S>(
        sign(signer, { plan: planFor(s.credentials, s.algorithm, s.region), lifetime: s, identity, grants, now }),
      );
    } catch (error) {
      return failure<S>(signer, error);
    }
  };
}

/** Makes a minter that also returns each token's `exp` (settled when the signer is async). */
function makeDetailedMinter<S extends string | Promise<string>>(signer: Signer<S, boolean | Promise<boolean>>) {
  const planFor = keyPlans(signer);
  return (
    options: TokenMinterOptions,
  ): ((identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => Settled<S, Minted>) => {
    // A minter signs many tokens with its credentials: they are required, never read from the
    // environment. Everything else is validated now, once.
    const o = mintOptions(options, signer);
    // A keyring's signing key is resolved per token (a pending key takes over at its signFrom);
    // fixed credentials are validated now, before the other options.
    const keyring = keyringOf(o.credentials);
    const credentials = keyring === undefined ? assertCredentials(o.credentials) : undefined;
    const s = settings(o, undefined);
    const fixed = credentials === undefined ? undefined : planFor(credentials, s.algorithm, s.region);
    assertTtlWithinKeyring(keyring, s.ttl, 'options.ttl');
    const base: Lifetime = { ttl: s.ttl, nbf: s.nbf, keyring };
    return (identity, grants, overrides) => {
      try {
        const now = Date.now() / 1000;
        // A key seen before is answered from assertCredentials' cache (a keyring's entries are frozen,
        // the same object each time), so each key's plan is made once, at its first token.
        const plan = fixed ?? planFor(assertCredentials((keyring as Keyring).signing(now)), s.algorithm, s.region);
        return sign(signer, { plan, lifetime: withOverrides(base, overrides), identity, grants, now });
      } catch (error) {
        return failure<Settled<S, Minted>>(signer, error);
      }
    };
  };
}

/** Makes `createTokenMinter` for a platform. */
export function makeTokenMinter<S extends string | Promise<string>>(signer: Signer<S, boolean | Promise<boolean>>) {
  const detailed = makeDetailedMinter(signer);
  return (
    options: TokenMinterOptions,
  ): ((identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => S) => {
    const mint = detailed(options);
    return (identity, grants, overrides) => tokenOf<S>(mint(identity, grants, overrides));
  };
}

/** A minter's lifetime with its per-token ttl and nbf; the lifetime itself when there are none. */
function withOverrides(base: Lifetime, overrides: TokenMinterOverrides | undefined): Lifetime {
  if (overrides === undefined) return base;
  const o = assertOptions<TokenMinterOverrides>(overrides, OVERRIDE_KEYS, 'options', 'ERR_INVALID_OPTION');
  const ttl = resolveTtl(o.ttl, base.ttl, 'options.ttl');
  assertTtlWithinKeyring(base.keyring, ttl, 'options.ttl');
  return { ttl, nbf: o.nbf === undefined ? base.nbf : resolveNbf(o.nbf, 'options.nbf'), keyring: base.keyring };
}
