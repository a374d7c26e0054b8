import { assertIdentity } from '../base/validate.js';
import type { Algorithm } from '../crypto/algorithms.js';
import { failure, type Settled, type Signer } from '../crypto/signer.js';

import { grantsJson } from '../grants/grant-list.js';
import type { Grant } from '../grants/index.js';
import { headerJson, payloadJson } from './claims.js';
import type { Credentials } from './credentials.js';
import { assertNotGrantAsIdentity } from './grant-slip.js';
import type { Keyring } from './keyring-core.js';
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

// Encoded headers by JSON: a handful of algorithm and region pairs in practice, and bounded by the
// region pattern in theory, so createAccessToken does not re-encode the same header every call.
const headers = new Map<string, string>();

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
    const json = headerJson(algorithm, region);
    let plan = byHeader.get(json);
    if (plan === undefined) {
      let header = headers.get(json);
      if (header === undefined) {
        header = signer.encode(json);
        headers.set(json, header);
      }
      plan = { credentials, hmac: signer.hmac(algorithm, credentials.apiKeySecret), header };
      byHeader.set(json, plan);
    }
    return plan;
  };
}

/**
 * Validates one token's identity and grants, builds the claims and signs them: the one place a
 * token is put together. `now` is the token's one clock read: jti and iat agree, and with the key a
 * keyring picked (an old key never signs a token issued after its successor's signFrom, so exp
 * stays before retireAt).
 */
export function sign<S extends string | Promise<string>>(
  signer: Signer<S, boolean | Promise<boolean>>,
  token: { plan: KeyPlan; lifetime: Lifetime; identity: string; grants: Grant | readonly Grant[]; now: number },
): Settled<S, Minted> {
  const { plan, lifetime } = token;
  let input: string;
  let exp: number;
  try {
    assertNotGrantAsIdentity(token.identity);
    const identity = assertIdentity(token.identity);
    const grants = grantsJson(token.grants);
    const iat = Math.floor(token.now);
    exp = iat + lifetime.ttl;
    assertNbfBeforeExp(lifetime.nbf, exp, 'options.nbf');
    const { apiKeySid, accountSid } = plan.credentials;
    const payload = payloadJson({ apiKeySid, accountSid, identity, grants, nbf: lifetime.nbf, iat, exp });
    input = `${plan.header}.${signer.encode(payload)}`;
  } catch (error) {
    return failure<Settled<S, Minted>>(signer, error);
  }
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
