// Symbol.for: a grant made by the ESM copy of this package is recognised by the CJS copy (and by
// any other copy), which refuses it: only grants a copy made itself are accepted (grant-list.ts).
const GRANT = Symbol.for('twilio-access-token.grant');

/** The product names, one per grant factory. */
export type GrantProduct = 'video' | 'chat' | 'voice' | 'sync' | 'taskRouter' | 'playback';

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

/** What minting needs of a grant: computed once, when the grant is made or first checked. */
export interface GrantEntry {
  readonly product: GrantProduct;
  /** The `"key":{...}` member the grant adds to the `grants` claim. */
  readonly member: string;
  /** A grant made by this copy with this content: the grant itself. */
  readonly grant: GrantOf<GrantProduct, string, object>;
}

// Only this module can make a grant: the constructor wants this module-private capability, so
// `new (grant.constructor)(...)` fails. The grant's JSON lives in a private field: nothing outside
// this class can read it from another object or change it, so it cannot be forged or altered, and
// minting reads it with one brand check (`#member in value`, which a Proxy does not pass and
// which calls no getter), without a WeakMap entry per grant (that cost the garbage collector more
// than the rest of minting).
const CAPABILITY = Object.freeze({});

/** A grant this copy made: frozen plain data (`product`, `key`, `payload`) and its JSON, private. */
class MadeGrant {
  // Declared, not defined as class fields: the constructor makes them, in this order.
  declare readonly product: GrantProduct;
  declare readonly key: string;
  declare readonly payload: object;
  readonly #member: string;

  constructor(capability: object, product: GrantProduct, key: string, payload: object, json: string) {
    if (capability !== CAPABILITY) throw new TypeError('Grants are made by the grant factories');
    this.product = product;
    this.key = key;
    this.payload = payload;
    this.#member = `"${key}":${json}`;
    Object.freeze(this);
  }

  /** The `"key":{...}` member of a grant this copy made, or `undefined` for any other value. */
  static memberOf(value: unknown): string | undefined {
    return typeof value === 'object' && value !== null && #member in value ? (value as MadeGrant).#member : undefined;
  }
}
// Other copies see the brand as a claim to be a grant, and check the grant themselves. It sits on the
// prototype, not on each grant: a property defined per instance cost a quarter of a factory call.
Object.defineProperty(MadeGrant.prototype, GRANT, { value: true });
Object.freeze(MadeGrant.prototype);
Object.freeze(MadeGrant);

/**
 * Builds a frozen grant and records its JSON; internal to the table interpreter (build.ts), whose payloads hold only
 * fresh plain data (strings, booleans, frozen copies of the caller's JSON), and which passes `json`,
 * the payload's `JSON.stringify`, taken before the payload is frozen.
 */
export function makeGrant<P extends GrantProduct, T extends object>(
  spec: { readonly product: P; readonly key: string },
  payload: T,
  json: string,
): GrantOf<P, string, Readonly<T>> {
  return new MadeGrant(CAPABILITY, spec.product, spec.key, Object.freeze(payload), json) as unknown as GrantOf<
    P,
    string,
    Readonly<T>
  >;
}

/** The `"key":{...}` member of a grant this copy made, or `undefined` for anything else. Never throws. */
export const memberOf: (value: unknown) => string | undefined = MadeGrant.memberOf;

/** The entry of a grant this copy made, or `undefined` for anything else. Never throws. */
export function madeEntry(value: unknown): GrantEntry | undefined {
  const member = memberOf(value);
  if (member === undefined) return undefined;
  const grant = value as MadeGrant;
  return { product: grant.product, member, grant: grant as GrantOf<GrantProduct, string, object> };
}

/**
 * Whether a value carries the brand as a data property, its own or its prototype's: a grant of
 * this or another copy, or a forgery. Never throws, also for a hostile Proxy.
 */
export function hasBrand(value: object): boolean {
  // Own or on the prototype (this copy's grants carry it there), as a data property: a getter is
  // no brand. Descriptors call no getter; a Proxy whose traps throw is no grant.
  try {
    for (let o: object | null = value; o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, GRANT);
      if (d !== undefined) return 'value' in d;
    }
    return false;
  } catch {
    return false;
  }
}
