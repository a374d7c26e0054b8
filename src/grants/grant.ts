import { fail } from '../errors.js';
import { assertOptions } from '../validate.js';

// Symbol.for: a grant made by the ESM copy of this package is recognised by the CJS copy. The
// brand's value holds the grant payload's JSON and its `"key":{...}` member, computed once so
// minting only concatenates.
const GRANT = Symbol.for('twilio-access-token.grant');

/** A brand made by this copy: `instanceof` proves origin, so its member is used as it is. */
class Brand {
  constructor(
    readonly json: string,
    readonly member: string,
  ) {}
}

/** The product names, one per grant factory. */
export type GrantProduct = 'video' | 'chat' | 'voice' | 'sync' | 'taskRouter' | 'playback';

/** Each product's key under `grants` in the token payload: the one place wire keys are named. */
export const WIRE_KEYS = {
  video: 'video',
  chat: 'chat',
  voice: 'voice',
  sync: 'data_sync',
  taskRouter: 'task_router',
  playback: 'player',
} as const satisfies Record<GrantProduct, string>;

/** The wire key of a product, such as `'data_sync'` for `'sync'`. */
export type WireKey<P extends GrantProduct> = (typeof WIRE_KEYS)[P];

/**
 * A validated, immutable grant as the grant factories return it: plain data, deeply frozen.
 *
 * @typeParam P - The product, such as `'video'`.
 * @typeParam K - The key this grant has under `grants` in the token payload, such as `'data_sync'`.
 * @typeParam T - The payload written under that key.
 */
export interface GrantOf<P extends GrantProduct, K extends string, T> {
  /** The product this grant is for. */
  readonly product: P;
  /** The grant's key in the token's `grants` claim, derived from the product (two grants with one key are an error). */
  readonly key: K;
  /** What is written under {@link GrantOf.key}, exactly as Twilio reads it. */
  readonly payload: T;
}

// Grants from another copy (or hand-made objects with the brand) are checked once and remembered.
const foreign = new WeakMap<object, string>();

/** Builds a frozen grant; internal to the factories. */
export function makeGrant<P extends GrantProduct, T extends object>(
  product: P,
  payload: T,
): GrantOf<P, WireKey<P>, Readonly<T>> {
  const key = WIRE_KEYS[product];
  const json = JSON.stringify(payload);
  const grant = { product, key, payload: Object.freeze(payload) };
  Object.defineProperty(grant, GRANT, { value: new Brand(json, `"${key}":${json}`) });
  return Object.freeze(grant);
}

/**
 * The `"key":{...}` member a grant adds to the `grants` claim, or `undefined` for anything that is
 * not a grant. A grant from another copy of this package (ESM beside CJS) is trusted only after its
 * JSON parses back to the same plain object and its product is known, so a hand-made object that
 * carries the brand cannot inject claims.
 */
export function grantMember(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const brand = (value as { [GRANT]?: unknown })[GRANT];
  if (brand instanceof Brand) return brand.member;
  const known = foreign.get(value);
  if (known !== undefined) return known;
  const json = typeof brand === 'object' && brand !== null ? (brand as { json?: unknown }).json : undefined;
  const product = (value as { product?: unknown }).product;
  if (typeof json !== 'string' || typeof product !== 'string' || !Object.hasOwn(WIRE_KEYS, product)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || JSON.stringify(parsed) !== json)
    return undefined;
  const member = `"${WIRE_KEYS[product as GrantProduct]}":${json}`;
  foreign.set(value, member);
  return member;
}

/**
 * Fails closed: a key present with the value `undefined` (`{ room: req.query.room }` when the client
 * sent none) would widen the grant to `widens`, so only an absent key means that.
 */
export function assertPresentIfGiven(options: object, key: string, path: string, widens: string): void {
  if (key in options && (options as Record<string, unknown>)[key] === undefined) {
    fail({
      code: 'ERR_INVALID_GRANT',
      path,
      expected: 'a value, or no such key',
      receivedText: 'undefined',
      hint: `Omit the key to mean ${widens}; an undefined value is refused so that a missing input never widens access`,
    });
  }
}

/** Validates a factory's options object: a plain object with only known keys. */
export function grantOptions<T extends object>(
  options: unknown,
  product: GrantProduct,
  known: readonly string[],
  required: boolean,
): Partial<T> {
  const path = `grants.${product}`;
  if (options === undefined && required)
    fail({ code: 'ERR_INVALID_GRANT', path, expected: 'an options object', received: options });
  return assertOptions<T>(options, known, path, 'ERR_INVALID_GRANT');
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
