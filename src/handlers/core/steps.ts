// What the request steps share: telling a Promise from a plain value, so synchronous hooks stay
// synchronous, and a deadline for hooks that return one.

/** Whether a value is a promise (any thenable). */
export function isPromise<T>(value: T | PromiseLike<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A hook's promise, rejected when it has not settled within `ms`; a plain value passes through. */
export function timed<T>(value: T | Promise<T>, ms: number, hook: string): T | Promise<T> {
  if (!isPromise(value)) return value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${hook} hook did not settle within ${ms} ms (hookTimeout)`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}
