import { fail } from './errors.js';
import { grantMember } from './grants/grant.js';
import type { Algorithm } from './options.js';

// Pure: the token's header and payload JSON, in twilio-node's key order, built by concatenation.
// Every piece is either a validated SID, an integer, a grant key, JSON.stringify output or a grant
// payload JSON precomputed by its factory, so the result equals JSON.stringify of the same objects.

const MAX_IDENTITY = 256;
// C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with an identity, as the phrase a message expects; `undefined` when it is fine. */
export function identityProblem(identity: unknown): string | undefined {
  if (typeof identity !== 'string' || identity.length === 0 || identity.length > MAX_IDENTITY)
    return `a string of 1 to ${MAX_IDENTITY} characters`;
  const control = CONTROL.exec(identity);
  if (control === null) return undefined;
  const hex = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `no control characters (found U+${hex} at index ${control.index})`;
}

/** Asserts an identity: a string of 1 to 256 UTF-16 code units without control characters. */
export function assertIdentity(identity: unknown): string {
  const problem = identityProblem(identity);
  if (problem !== undefined)
    fail({ code: 'ERR_INVALID_IDENTITY', path: 'identity', expected: problem, received: identity, show: 'value' });
  return identity as string;
}

/**
 * Validates a grant list and returns the `grants` claim's members after `identity`:
 * `,"video":{...},"voice":{...}` in the order given.
 */
export function grantsJson(grants: unknown): string {
  if (!Array.isArray(grants)) {
    const member = grantMember(grants);
    if (member === undefined)
      fail({ code: 'ERR_INVALID_GRANT', path: 'grants', expected: 'a grant or an array of grants', received: grants });
    return `,${member}`;
  }
  if (grants.length === 0)
    fail({ code: 'ERR_NO_GRANTS', path: 'grants', expected: 'at least one grant', receivedText: 'an empty array' });
  let out = '';
  for (let i = 0; i < grants.length; i++) {
    const member = grantMember(grants[i]);
    if (member === undefined) {
      fail({
        code: 'ERR_INVALID_GRANT',
        path: `grants[${i}]`,
        expected: 'a grant from a factory such as videoGrant()',
        received: grants[i],
      });
    }
    // Products are trusted here: a grant's own, or checked by grantMember for another copy's.
    const product = (grants[i] as { product: string }).product;
    for (let j = 0; j < i; j++) {
      if ((grants[j] as { product: string }).product === product) {
        fail({
          code: 'ERR_DUPLICATE_GRANT',
          path: 'grants',
          expected: 'one grant per product',
          receivedText: `two ${member.slice(0, member.indexOf(':'))} grants, grants[${j}] and grants[${i}]`,
          hint: 'Combine their options into one grant',
        });
      }
    }
    out += `,${member}`;
  }
  return out;
}

/** The header JSON: `{"alg","typ","cty"}` and `twr` last when a region is set. */
export function headerJson(algorithm: Algorithm, region: string | undefined): string {
  return `{"alg":"${algorithm}","typ":"JWT","cty":"twilio-fpa;v=1"${region === undefined ? '' : `,"twr":"${region}"`}}`;
}

/** The validated inputs of one payload. */
export interface PayloadInput {
  readonly apiKeySid: string;
  readonly accountSid: string;
  readonly identity: string;
  /** From {@link grantsJson}. */
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
