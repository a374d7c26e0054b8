// Symbol.for: a grant made by the ESM copy of this package is recognised by the CJS copy (and by
// any other copy), which then checks it as it would any foreign value: see foreign.ts.
const GRANT = Symbol.for('twilio-access-token.grant');

/** The product names, one per grant factory. */
export type GrantProduct = 'video' | 'chat' | 'voice' | 'sync' | 'taskRouter' | 'playback';

/** Each product's key under `grants` in the token payload: the one place wire keys are named. */
export const WIRE_KEYS = Object.freeze({
  video: 'video',
  chat: 'chat',
  voice: 'voice',
  sync: 'data_sync',
  taskRouter: 'task_router',
  playback: 'player',
} as const satisfies Record<GrantProduct, string>);

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

/** What minting needs of a grant: computed once, when the grant is made or first checked. */
export interface GrantEntry {
  readonly product: GrantProduct;
  /** The `"key":{...}` member the grant adds to the `grants` claim. */
  readonly member: string;
  /** A grant made by this copy with this content: the grant itself, or this copy's twin of a foreign one. */
  readonly grant: GrantOf<GrantProduct, string, object>;
}

// The members of grants this copy made, keyed by the grant object. Module-private: nothing outside
// this file can add an entry or change one, so a grant's JSON cannot be forged or altered, and the
// lookup is one WeakMap read per grant per token.
const made = new WeakMap<object, GrantEntry>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds a frozen grant and records its JSON; internal to the factories, whose payloads hold only
 * fresh plain data (strings, booleans and copies of JSON given by the caller).
 */
export function makeGrant<P extends GrantProduct, T extends object>(
  product: P,
  payload: T,
): GrantOf<P, WireKey<P>, Readonly<T>> {
  const key = WIRE_KEYS[product];
  const grant = { product, key, payload: deepFreeze(payload) };
  // The brand only tells other copies that this claims to be a grant; they check it themselves.
  Object.defineProperty(grant, GRANT, { value: true });
  Object.freeze(grant);
  made.set(grant, Object.freeze({ product, member: `"${key}":${JSON.stringify(payload)}`, grant }));
  return grant;
}

/** The entry of a grant this copy made, or `undefined` for anything else. */
export function madeEntry(value: unknown): GrantEntry | undefined {
  return typeof value === 'object' && value !== null ? made.get(value) : undefined;
}

/**
 * Whether a value carries the brand as an own data property: a grant of this or another copy, or a
 * forgery. Never throws, also for a hostile Proxy.
 */
export function hasBrand(value: object): boolean {
  if (made.has(value)) return true;
  try {
    const d = Object.getOwnPropertyDescriptor(value, GRANT);
    return d !== undefined && 'value' in d;
  } catch {
    return false;
  }
}
