import { fail } from '../errors.js';
import { assertOptions } from '../validate.js';

// Symbol.for: a grant made by the ESM copy of this package is recognised by the CJS copy. The
// brand's value is the grant payload's JSON, computed once here so minting only concatenates.
const GRANT_JSON = Symbol.for('twilio-access-token.grant');

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
  /** The grant's key in the token's `grants` claim (two grants with one key are an error). */
  readonly key: K;
  /** What is written under {@link GrantOf.key}, exactly as Twilio reads it. */
  readonly payload: T;
}

/** Builds a frozen grant; internal to the factories. */
export function makeGrant<P extends GrantProduct, K extends string, T extends object>(
  product: P,
  key: K,
  payload: T,
): GrantOf<P, K, Readonly<T>> {
  const grant = { product, key, payload: Object.freeze(payload) };
  Object.defineProperty(grant, GRANT_JSON, { value: JSON.stringify(payload) });
  return Object.freeze(grant);
}

/** The payload JSON of a grant made by a factory, or `undefined` for anything else. */
export function grantJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = (value as { [GRANT_JSON]?: unknown })[GRANT_JSON];
  return typeof json === 'string' ? json : undefined;
}

/** Validates a factory's options object: a plain object with only known keys. */
export function grantOptions<T extends object>(
  options: unknown,
  product: GrantProduct,
  known: readonly string[],
  required: boolean,
): Partial<T> {
  const path = `grants.${product}`;
  if (options === undefined && required) fail('ERR_INVALID_GRANT', path, 'an options object', options);
  return assertOptions<T>(options, known, path, 'ERR_INVALID_GRANT');
}
