import { fail } from './errors.js';
import { resolveNow } from './now.js';
import { isPlainObject } from './validate.js';

// The options of diagnoseAccessToken, the one thing it throws for: a bad options object is the
// caller's mistake, and silently skipping it (`{ secret }` for `{ apiKeySecret }`) would report a
// token as fine without the check the caller asked for.

const KNOWN = ['apiKeySecret', 'now'] as const;

/** The options, checked: the secret when one was given, and the time in epoch seconds. */
export interface ResolvedDiagnoseOptions {
  readonly secret?: string;
  readonly now: number;
}

/** Checks diagnose's options; each property is read once, from its descriptor (no getter runs). */
export function readDiagnoseOptions(options: unknown): ResolvedDiagnoseOptions {
  if (options === undefined) return { now: resolveNow(undefined, 'options.now') };
  if (!isPlainObject(options)) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options',
      expected: 'an options object { apiKeySecret?, now? }',
      ...(isThenable(options) ? { receivedText: 'a Promise: missing await?' } : { received: options }),
    });
  }
  const descriptors = Object.getOwnPropertyDescriptors(options);
  for (const key of Reflect.ownKeys(descriptors)) {
    if (typeof key !== 'string' || !(KNOWN as readonly string[]).includes(key)) unknownOption(key);
  }
  // A key present with the value undefined is refused: `{ apiKeySecret: process.env.UNSET }` must
  // not skip the signature check the caller asked for.
  const value = (key: (typeof KNOWN)[number], expected: string): unknown => {
    if (!Object.hasOwn(descriptors, key)) return undefined;
    const d = descriptors[key] as PropertyDescriptor;
    const path = `options.${key}`;
    if (!('value' in d))
      fail({ code: 'ERR_INVALID_OPTION', path, expected: 'a data property', receivedText: 'an accessor' });
    if (d.value === undefined) fail({ code: 'ERR_INVALID_OPTION', path, expected, received: undefined });
    return d.value;
  };
  const expected = 'the API Key secret, a non-empty string (leave the key out to skip the signature check)';
  const secret = value('apiKeySecret', expected);
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    fail({ code: 'ERR_INVALID_OPTION', path: 'options.apiKeySecret', expected, received: secret });
  const now = resolveNow(
    value('now', 'epoch seconds or a valid Date (leave the key out for the current time)'),
    'options.now',
  );
  return secret === undefined ? { now } : { secret, now };
}

/** Whether a value is a Promise or like one; never throws, whatever its `then` does. */
export function isThenable(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

/**
 * Throws for an unknown option. The key is named only when it is at most 24 characters and close
 * to a known one (a typo): any other key may be a secret pasted in the wrong place.
 */
function unknownOption(key: string | symbol): never {
  const near = typeof key === 'string' ? suggestion(key) : undefined;
  fail({
    code: 'ERR_INVALID_OPTION',
    path: 'options',
    expected: `only ${KNOWN.join(' and ')}`,
    receivedText:
      near === undefined
        ? `an unknown option (${typeof key === 'string' ? `a key of ${key.length} characters` : 'a symbol key'})`
        : `unknown option ${JSON.stringify(key)} (did you mean ${JSON.stringify(near)}?)`,
  });
}

function suggestion(key: string): string | undefined {
  if (key.length > 24) return undefined;
  const k = key.toLowerCase();
  return KNOWN.find((known) => {
    const n = known.toLowerCase();
    return k.startsWith(n) || (k.length >= 4 && n.endsWith(k)) || distance(k, n) <= 3;
  });
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] as number;
}
