import type { Algorithm } from './options.js';

// Pure: the token's header and payload JSON, in twilio-node's key order, built by concatenation.
// Every piece is already validated: a SID, an integer, JSON.stringify output, or grant members
// (`"video":{...}`) precomputed by their factories, so the result equals JSON.stringify of the
// same objects. Validation happens before: options.ts and base/validate.ts for the claims,
// grants/build.ts (each factory) and grants/grant-list.ts (the list) for the grants.

/** The header JSON: `{"alg","typ","cty"}` and `twr` last when a region is set. */
export function headerJson(algorithm: Algorithm, region: string | undefined): string {
  return `{"alg":"${algorithm}","typ":"JWT","cty":"twilio-fpa;v=1"${region === undefined ? '' : `,"twr":"${region}"`}}`;
}

/** The validated inputs of one payload. */
export interface PayloadInput {
  readonly apiKeySid: string;
  readonly accountSid: string;
  readonly identity: string;
  /** The grant members after `identity`, from `grantsJson` in grants/grant-list.ts. */
  readonly grants: string;
  readonly nbf: number | undefined;
  readonly iat: number;
  readonly exp: number;
}

/** The payload JSON: jti, grants, nbf (when set), iat, exp, iss, sub. */
export function payloadJson(p: PayloadInput): string {
  return `{"jti":"${p.apiKeySid}-${p.iat}","grants":{"identity":${JSON.stringify(p.identity)}${p.grants}}${
    p.nbf === undefined ? '' : `,"nbf":${p.nbf}`
  },"iat":${p.iat},"exp":${p.exp},"iss":"${p.apiKeySid}","sub":"${p.accountSid}"}`;
}
