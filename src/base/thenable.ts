// The one test for "is this a Promise?", used wherever a value may be a Promise or a plain value:
// hooks that may be async, signers that may be async, a Promise passed where a value belongs.

/**
 * Whether a value is a Promise or another thenable (an object or function with a `then` method).
 * Never throws, even for a Proxy whose `get` throws or a `then` accessor that throws.
 *
 * @param value - A value that may be a Promise.
 * @returns `true` for a thenable.
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is Promise<T> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    // Both inside the try: `instanceof` runs a Proxy's getPrototypeOf trap, which may throw.
    return value instanceof Promise || typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}
