import { assertIdentity, grantsJson, headerJson, payloadJson } from './claims.js';
import { assertCredentials, type Credentials, credentialsFromEnv } from './credentials.js';
import type { Grant } from './grants/index.js';
import {
  type AccessTokenOptions,
  type Algorithm,
  assertNbfBeforeExp,
  DEFAULT_TTL,
  OPTION_KEYS,
  OVERRIDE_KEYS,
  resolveAlgorithm,
  resolveNbf,
  resolveRegion,
  resolveTtl,
  type TokenMinterOverrides,
} from './options.js';
import { assertOptions } from './validate.js';

// Platform-neutral minting: validate once into a plan, then per token build `header.payload`.
// create-access-token.ts (node:crypto) and web.ts (WebCrypto) only add the signature.

/** Encodes a string's UTF-8 bytes as base64url without padding. */
export type Encode = (text: string) => string;

/** Everything fixed for a minter, validated. */
export interface MintPlan {
  readonly credentials: Credentials;
  readonly algorithm: Algorithm;
  /** The encoded header segment. */
  readonly header: string;
  readonly ttl: number;
  readonly nbf: number | undefined;
}

/** A token before its signature, and its expiry. */
export interface Unsigned {
  /** `header.payload`, the signing input. */
  readonly input: string;
  /** The `exp` claim, epoch seconds. */
  readonly exp: number;
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

/** Validates options into a plan; credentials default to the environment unless `requireCredentials`. */
export function planMint(
  options: AccessTokenOptions | undefined,
  encode: Encode,
  requireCredentials: boolean,
): MintPlan {
  const o = assertOptions<AccessTokenOptions>(options, OPTION_KEYS, 'options', 'ERR_INVALID_OPTION');
  const credentials =
    o.credentials === undefined && !requireCredentials ? credentialsFromEnv() : assertCredentials(o.credentials);
  const algorithm = resolveAlgorithm(o.algorithm, 'options.algorithm');
  return {
    credentials,
    algorithm,
    header: encodedHeader(headerJson(algorithm, resolveRegion(o.region, 'options.region')), encode),
    ttl: resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl'),
    nbf: resolveNbf(o.nbf, 'options.nbf'),
  };
}

/** Validates one token's identity, grants and overrides and builds its signing input. */
export function unsignedToken(
  plan: MintPlan,
  identity: string,
  grants: Grant | readonly Grant[],
  overrides: TokenMinterOverrides | undefined,
  encode: Encode,
): Unsigned {
  let { ttl, nbf } = plan;
  if (overrides !== undefined) {
    const o = assertOptions<TokenMinterOverrides>(overrides, OVERRIDE_KEYS, 'options', 'ERR_INVALID_OPTION');
    ttl = resolveTtl(o.ttl, ttl, 'options.ttl');
    if (o.nbf !== undefined) nbf = resolveNbf(o.nbf, 'options.nbf');
  }
  const grantsPart = grantsJson(grants);
  // One clock read per token: jti and iat always agree.
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ttl;
  assertNbfBeforeExp(nbf, exp, 'options.nbf');
  const { apiKeySid, accountSid } = plan.credentials;
  const payload = payloadJson({
    apiKeySid,
    accountSid,
    identity: assertIdentity(identity),
    grants: grantsPart,
    nbf,
    iat,
    exp,
  });
  return { input: `${plan.header}.${encode(payload)}`, exp };
}

function encodedHeader(json: string, encode: Encode): string {
  let header = headers.get(json);
  if (header === undefined) {
    header = encode(json);
    headers.set(json, header);
  }
  return header;
}
