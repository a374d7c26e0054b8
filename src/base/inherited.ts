// A prototype-polluting merge (`{"__proto__": {"ip": ...}}`) puts its keys on Object.prototype,
// where every object inherits them. Where a platform's value may be an own property or come from
// its class (Express's `req.ip` getter, workerd's `request.cf`), it is read unless it comes from
// Object.prototype.

/**
 * The value of `key` on `value`, or `undefined` when the object and its classes lack it and only
 * Object.prototype has it; internal.
 *
 * @param value - A platform's object (a request).
 * @param key - The property to read.
 * @returns The property's value, not one a polluted Object.prototype supplies.
 */
export function platformProperty(value: object, key: string): unknown {
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o))
    if (Object.hasOwn(o, key)) return (value as Record<string, unknown>)[key];
  return undefined;
}
