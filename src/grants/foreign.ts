import { buildGrant, optionsOf } from './build.js';
import { type GrantEntry, type GrantProduct, madeEntry } from './grant.js';
import { copyJsonObject } from './plain-json.js';
import { SPECS } from './products.js';

// A value with the grant brand that this copy did not make: a grant from another copy of the
// package (its CJS build beside the ESM one), or a forgery. Its payload is read once, as own data
// properties, read back into options through its product's table and built again by the same
// interpreter as this copy's factory; it is accepted only when that writes exactly the same JSON,
// and then minted from this copy's twin, so a foreign grant can add nothing that this copy's
// factory would not have made.

/** The own fields of a grant object (beside the brand, a symbol). */
const SHAPE: readonly string[] = ['product', 'key', 'payload'];

type Fields = Readonly<Record<string, unknown>>;

/** Whether a value is a Proxy, where the platform can tell; structured cloning refuses Proxies. */
function isProxy(grant: object): boolean {
  if (typeof structuredClone !== 'function') return false;
  try {
    // Only strings and plain JSON data were found in it, so cloning calls no getter: it throws for
    // a Proxy (at any depth) and for nothing else.
    structuredClone(grant);
    return false;
  } catch {
    return true;
  }
}

/**
 * Checks a branded value this copy did not make. Returns this copy's entry for it, or the reason it
 * is refused (for the `grants[i]` message). Never throws: a hostile value is refused, not obeyed.
 */
export function checkForeignGrant(value: object): GrantEntry | string {
  let product: unknown;
  let payload: Fields;
  try {
    // One read of the whole object: a Proxy is asked once, and what was checked is what is used.
    const own = Object.getOwnPropertyDescriptors(value) as Record<string, PropertyDescriptor | undefined>;
    for (const key of Object.keys(own)) if (!SHAPE.includes(key)) return 'a grant with an unknown field';
    if (!SHAPE.every((key) => own[key] !== undefined && 'value' in (own[key] as PropertyDescriptor)))
      return 'a grant whose product, key and payload are not all data properties';
    product = own.product?.value;
    if (typeof product !== 'string' || !Object.hasOwn(SPECS, product)) return 'a grant of an unknown product';
    if (own.key?.value !== SPECS[product as GrantProduct].key) return 'a grant whose key does not match its product';
    payload = copyJsonObject(own.payload?.value, 'payload', 'ERR_INVALID_GRANT');
    if (isProxy(value)) return 'a Proxy';
  } catch {
    return 'a grant whose payload is not plain JSON data';
  }
  let twin: unknown;
  try {
    const spec = SPECS[product as GrantProduct];
    twin = buildGrant(spec, optionsOf(spec, payload));
  } catch {
    return `a ${product} grant that this copy's ${product}Grant() refuses`;
  }
  const entry = madeEntry(twin);
  if (entry === undefined || entry.member !== `"${entry.grant.key}":${JSON.stringify(payload)}`)
    return `a ${product} grant that differs from what ${product}Grant() makes`;
  return entry;
}
