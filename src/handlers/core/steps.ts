import { isThenable } from '../../base/thenable.js';

// What the request steps share: telling a Promise from a plain value, so synchronous hooks stay
// synchronous, and a deadline for hooks that return one.

/**
 * A hook's promise, rejected when it has not settled within `ms`; a plain value passes through.
 * `option` names the setting that bounds it, for the message `onError` gets.
 */
export function timed<T>(value: T | Promise<T>, ms: number, hook: string, option = 'hookTimeout'): T | Promise<T> {
  if (!isThenable(value)) return value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${hook} hook did not settle within ${ms} ms (${option})`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}
