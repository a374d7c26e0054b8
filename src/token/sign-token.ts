import { assertIdentity } from '../base/validate.js';
import type { Algorithm } from '../crypto/algorithms.js';
import type { Settled, Signer } from '../crypto/signer.js';

import { grantsJson } from '../grants/grant-list.js';
import type { Grant } from '../grants/index.js';
import { headerJson, payloadJson } from './claims.js';
import type { Credentials } from './credentials.js';
import { assertNotGrantAsIdentity } from './grant-slip.js';
import type { Keyring } from './keyring/core.js';
import { assertNbfBeforeExp } from './options.js';

type AnySigner = Signer<string | Promise<string>, boolean | Promise<boolean>>;

// Signing one token, the one place a token is put together: its key plan (the key, algorithm and
// region, prepared once and reused), its lifetime, and the identity and grants validated into claims.

/** What signing with one key, algorithm and region needs: fixed, so made once and reused. */
export interface KeyPlan {
  readonly credentials: Credentials;
  /** The HMAC under the plan's algorithm and secret. */
  readonly hmac: (input: string) => string | Promise<string>;
  /** The encoded header segment. */
  readonly header: string;
}

/** A token's lifetime: its ttl and nbf, validated. */
export interface Lifetime {
  readonly ttl: number;
  readonly nbf: number | undefined;
  /** The keyring the credentials came from, whose maxTtl an override must keep to. */
  readonly keyring?: Keyring | undefined;
}

/** A signed token and its `exp` claim, as the handlers need both. */
export interface Minted {
  /** The signed JWT. */
  readonly token: string;
  /** The `exp` claim, epoch seconds. */
  readonly exp: number;
}

/**
 * Key plans by validated credentials (assertCredentials returns the same frozen object for the same
 * values), then algorithm and region: createAccessToken called with the same credentials prepares
 * its key and header once, as a minter does. One table per signer (node:crypto or WebCrypto).
 */
export function keyPlans(signer: AnySigner) {
  const plans = new WeakMap<Credentials, Map<string, KeyPlan>>();
  return (credentials: Credentials, algorithm: Algorithm, region: string | undefined): KeyPlan => {
    let byHeader = plans.get(credentials);
    if (byHeader === undefined) {
      byHeader = new Map();
      plans.set(credentials, byHeader);
    }
    // Keyed by the algorithm (a string whose hash V8 keeps) without a region: no header JSON is
    // built per token; a region's plan is keyed by both.
    const key = region === undefined ? algorithm : `${algorithm} ${region}`;
    let plan = byHeader.get(key);
    if (plan === undefined) {
      const json = headerJson(algorithm, region);
      plan = { credentials, hmac: signer.hmac(algorithm, credentials.apiKeySecret), header: signer.encode(json) };
      byHeader.set(key, plan);
    }
    return plan;
  };
}

/** One token to sign: its key plan, lifetime, identity and grants, and the clock read it is minted at. */
export interface Signing {
  readonly plan: KeyPlan;
  readonly lifetime: Lifetime;
  readonly identity: string;
  readonly grants: Grant | readonly Grant[];
  readonly now: number;
}

/**
 * Validates one token's identity and grants, builds the claims and signs them: the one place a
 * token is put together. `now` is the token's one clock read: jti and iat agree, and with the key a
 * keyring picked (an old key never signs a token issued after its successor's signFrom, so exp
 * stays before retireAt). Throws; the callers report a failure the signer's way.
 */
export function sign<S extends string | Promise<string>>(
  signer: Signer<S, boolean | Promise<boolean>>,
  { plan, lifetime, identity, grants, now }: Signing,
): Settled<S, Minted> {
  assertNotGrantAsIdentity(identity);
  const iat = Math.floor(now);
  const exp = iat + lifetime.ttl;
  const payload = payloadJson({
    apiKeySid: plan.credentials.apiKeySid,
    accountSid: plan.credentials.accountSid,
    identity: assertIdentity(identity),
    grants: grantsJson(grants),
    nbf: lifetime.nbf,
    iat,
    exp,
  });
  // Checked after the identity and grants, so their errors come first (as always).
  assertNbfBeforeExp(lifetime.nbf, exp, 'options.nbf');
  const input = `${plan.header}.${signer.encode(payload)}`;
  const signature = plan.hmac(input);
  // The servers' hot path: no closure on the synchronous (node:crypto) path. The cast is exact: a
  // signer's hmac returns a string exactly when S is string.
  return (
    typeof signature === 'string'
      ? { token: `${input}.${signature}`, exp }
      : signature.then((s) => ({ token: `${input}.${s}`, exp }))
  ) as Settled<S, Minted>;
}

/** The token of a signed result, synchronous or not. */
export function tokenOf<S extends string | Promise<string>>(minted: Minted | Promise<Minted>): S {
  // No closure on the synchronous path: this is the servers' minting loop.
  return (minted instanceof Promise ? minted.then((m) => m.token) : minted.token) as S;
}
