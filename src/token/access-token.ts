import { assertIdentity, assertOptions } from '../base/validate.js';
import { failure, type Settled, type Signer } from '../crypto/signer.js';
import { grantsJson } from '../grants/grant-list.js';
import type { Grant } from '../grants/index.js';
import { headerJson, payloadJson } from './claims.js';
import { assertCredentials, type Credentials } from './credentials.js';
import { assertNotGrantAsIdentity } from './grant-slip.js';
import { keyringOf, resolveCredentials } from './keyring/adopt.js';
import { isKeyring, type Keyring } from './keyring/core.js';
import { envSigningSource } from './keyring/env.js';
import { assertTtlWithinKeyring } from './keyring/ttl.js';
import {
  type AccessTokenOptions,
  type Algorithm,
  assertNbfBeforeExp,
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

type AnySigner = Signer<string | Promise<string>, boolean | Promise<boolean>>;

// Minting, top to bottom: validate the options into a plan, build the claims, sign. Platform
// neutral: each entry passes its Signer (crypto/node-signer.ts or crypto/web-signer.ts) to the factories below.

/** Everything fixed for a minter, validated. */
interface MintPlan {
  readonly credentials: Credentials;
  /** The HMAC under the plan's algorithm and secret. */
  readonly hmac: (input: string) => string | Promise<string>;
  /** The encoded header segment. */
  readonly header: string;
  readonly ttl: number;
  readonly nbf: number | undefined;
  /** The keyring the credentials came from, whose maxTtl an override must keep to. */
  readonly keyring?: Keyring;
}

/** A signed token and its `exp` claim, as the handlers need both. */
export interface Minted {
  /** The signed JWT. */
  readonly token: string;
  /** The `exp` claim, epoch seconds. */
  readonly exp: number;
}

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
  const source = o.credentials === undefined ? envSigningSource() : o.credentials;
  // Credentials read from the environment are validated already; a keyring is resolved to its signing key.
  const s = settings(o, source === o.credentials || isKeyring(source) ? resolveCredentials(source, now) : source);
  assertTtlWithinKeyring(source, s.ttl, 'options.ttl');
  return s;
}

/** Reads mint options once, and checks that this runtime may mint with them. */
function mintOptions(options: unknown, signer?: Pick<AnySigner, 'assertRuntime'>): Partial<AccessTokenOptions> {
  const o = assertOptions<AccessTokenOptions>(options, OPTION_KEYS, 'options', 'ERR_INVALID_OPTION');
  signer?.assertRuntime(resolveAllowBrowser(o.dangerouslyAllowBrowser, 'options.dangerouslyAllowBrowser'));
  return o;
}

function settings(o: Partial<AccessTokenOptions>, credentials: Credentials): TokenSettings {
  return {
    credentials,
    algorithm: resolveAlgorithm(o.algorithm, 'options.algorithm'),
    region: resolveRegion(o.region, 'options.region'),
    ttl: resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl'),
    nbf: resolveNbf(o.nbf, 'options.nbf'),
  };
}

// Encoded headers by JSON: a handful of algorithm and region pairs in practice, and bounded by the
// region pattern in theory, so createAccessToken does not re-encode the same header every call.
const headers = new Map<string, string>();

/** Prepares what signing needs: the encoded header and the HMAC under the settings' key. */
function planMint(s: TokenSettings, signer: AnySigner): MintPlan {
  const json = headerJson(s.algorithm, s.region);
  let header = headers.get(json);
  if (header === undefined) {
    header = signer.encode(json);
    headers.set(json, header);
  }
  return {
    credentials: s.credentials,
    hmac: signer.hmac(s.algorithm, s.credentials.apiKeySecret),
    header,
    ttl: s.ttl,
    nbf: s.nbf,
  };
}

/** Validates one token's identity and grants and builds `header.payload`, the signing input. */
function signingInput(
  plan: MintPlan,
  identity: string,
  grants: Grant | readonly Grant[],
  encode: (text: string) => string,
  now: number,
) {
  assertNotGrantAsIdentity(identity);
  const checkedIdentity = assertIdentity(identity);
  const grantMembers = grantsJson(grants);
  // `now` is the token's one clock read: jti and iat agree, and with the key a keyring picked (an
  // old key never signs a token issued after its successor's signFrom, so exp stays before retireAt).
  const iat = Math.floor(now);
  const exp = iat + plan.ttl;
  assertNbfBeforeExp(plan.nbf, exp, 'options.nbf');
  const { apiKeySid, accountSid } = plan.credentials;
  const payload = payloadJson({
    apiKeySid,
    accountSid,
    identity: checkedIdentity,
    grants: grantMembers,
    nbf: plan.nbf,
    iat,
    exp,
  });
  return { input: `${plan.header}.${encode(payload)}`, exp };
}

/** Makes `createAccessToken` for a platform. */
export function makeCreateAccessToken<S extends string | Promise<string>>(
  signer: Signer<S, boolean | Promise<boolean>>,
) {
  return (identity: string, grants: Grant | readonly Grant[], options?: AccessTokenOptions): S => {
    try {
      assertNotGrantAsIdentity(identity);
      // One clock read per token: the key a keyring picks and the token's iat agree.
      const now = Date.now() / 1000;
      const plan = planMint(resolveTokenOptions(options, signer, now), signer);
      const { input } = signingInput(plan, identity, grants, signer.encode, now);
      const signature = plan.hmac(input);
      // S is exactly string or Promise<string>, as plan.hmac returns for this signer; no closure
      // on the synchronous path.
      return (typeof signature === 'string' ? `${input}.${signature}` : signature.then((s) => `${input}.${s}`)) as S;
    } catch (error) {
      return failure<S>(signer, error);
    }
  };
}

/** Makes the minter the handlers use, which also returns each token's `exp`. */
export function makeDetailedMinter<S extends string | Promise<string>>(signer: Signer<S, boolean | Promise<boolean>>) {
  return (
    options: TokenMinterOptions,
  ): ((identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => Settled<S, Minted>) => {
    // A minter signs many tokens with its credentials: they are required, never read from the environment.
    const planFor = minterPlans(mintOptions(options, signer), signer);
    return (identity, grants, overrides) => {
      let input: string;
      let exp: number;
      let plan: MintPlan;
      try {
        const now = Date.now() / 1000;
        plan = planFor(now);
        ({ input, exp } = signingInput(withOverrides(plan, overrides), identity, grants, signer.encode, now));
      } catch (error) {
        return failure<Settled<S, Minted>>(signer, error);
      }
      const signature = plan.hmac(input);
      // The servers' hot path: no closure on the synchronous (node:crypto) path.
      return (
        typeof signature === 'string'
          ? { token: `${input}.${signature}`, exp }
          : signature.then((s) => ({ token: `${input}.${s}`, exp }))
      ) as Settled<S, Minted>;
    };
  };
}

/**
 * A minter's plan for each token: fixed for credentials; for a keyring, the signing key's plan,
 * prepared once per key (cached by SID), so switching keys at a `signFrom` costs nothing later.
 */
function minterPlans(o: Partial<AccessTokenOptions>, signer: AnySigner): (now: number) => MintPlan {
  const source = keyringOf(o.credentials);
  if (source === undefined) {
    const plan = planMint(settings(o, assertCredentials(o.credentials)), signer);
    return () => plan;
  }
  // The options are validated now, once; the credentials (set per key below) on each key's first use.
  const base = settings(o, undefined as unknown as Credentials);
  assertTtlWithinKeyring(source, base.ttl, 'options.ttl');
  const plans = new Map<string, { readonly from: Credentials; readonly plan: MintPlan }>();
  return (now) => {
    const credentials = source.signing(now);
    const hit = plans.get(credentials.apiKeySid);
    if (hit !== undefined && hit.from === credentials) return hit.plan;
    const plan = { ...planMint({ ...base, credentials: assertCredentials(credentials) }, signer), keyring: source };
    plans.set(credentials.apiKeySid, { from: credentials, plan });
    return plan;
  };
}

/** Makes `createTokenMinter` for a platform. */
export function makeTokenMinter<S extends string | Promise<string>>(signer: Signer<S, boolean | Promise<boolean>>) {
  const detailed = makeDetailedMinter(signer);
  return (
    options: TokenMinterOptions,
  ): ((identity: string, grants: Grant | readonly Grant[], overrides?: TokenMinterOverrides) => S) => {
    const mint = detailed(options);
    return (identity, grants, overrides) => {
      const minted: Minted | Promise<Minted> = mint(identity, grants, overrides);
      // No closure on the synchronous path: this is the servers' minting loop.
      return (minted instanceof Promise ? minted.then((m) => m.token) : minted.token) as S;
    };
  };
}

/** The plan with a minter's per-token ttl and nbf; the plan itself when there are none. */
function withOverrides(plan: MintPlan, overrides: TokenMinterOverrides | undefined): MintPlan {
  if (overrides === undefined) return plan;
  const o = assertOptions<TokenMinterOverrides>(overrides, OVERRIDE_KEYS, 'options', 'ERR_INVALID_OPTION');
  const ttl = resolveTtl(o.ttl, plan.ttl, 'options.ttl');
  assertTtlWithinKeyring(plan.keyring, ttl, 'options.ttl');
  return {
    ...plan,
    ttl,
    nbf: o.nbf === undefined ? plan.nbf : resolveNbf(o.nbf, 'options.nbf'),
  };
}
