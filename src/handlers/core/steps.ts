import { isThenable } from '../../base/thenable.js';

// What the request steps share: telling a Promise from a plain value, so synchronous hooks stay
// synchronous, and a deadline for hooks that return one.

/** How long a hook may take, and the option that says so (named in the message `onError` gets). */
export interface Deadline {
  readonly hook: string;
  readonly ms: number;
  readonly option: 'hookTimeout' | 'rateLimitTimeout';
}

/** The deadline of a hook bounded by `hookTimeout`; made once per handler. */
export function hookDeadline(hook: string, ms: number): Deadline {
  return { hook, ms, option: 'hookTimeout' };
}

/** A hook's promise, rejected when it has not settled by its deadline; a plain value passes through. */
export function timed<T>(value: T | Promise<T>, { hook, ms, option }: Deadline): T | Promise<T> {
  if (!isThenable(value)) return value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${hook} hook did not settle within ${ms} ms (${option})`)), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}
