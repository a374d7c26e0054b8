import { describe, fail } from '../../base/errors.js';
import { isPlainObject, readKnownKeys } from '../../base/known-keys.js';
import { isThenable } from '../../base/thenable.js';
import { assertInteger } from '../../base/validate.js';
import { HttpError } from './response.js';
import { type Deadline, timed } from './steps.js';
import type { RateLimitSubject, TokenHandlerOptions, TokenRequest } from './types.js';

// The `rateLimit` option, all of it: validated once when the handler is created (with
// `rateLimitTimeout`), asked once per request after `identify`, its verdict read by one table, and
// a refusal answered with the 429. Fail closed: anything but a verdict in the table is a 500.

/** The `rateLimit` and `rateLimitTimeout` options, validated. */
export interface ResolvedRateLimit {
  readonly limit: (subject: RateLimitSubject) => unknown;
  /** How long the limiter may take: `rateLimitTimeout`. */
  readonly deadline: Deadline;
}

/** Validates `rateLimit` and `rateLimitTimeout` (validated even without a limiter: a typo throws). */
export function resolveRateLimit(
  limit: TokenHandlerOptions['rateLimit'] | undefined,
  timeout: unknown,
): ResolvedRateLimit | undefined {
  const ms =
    timeout === undefined ? 1000 : assertInteger(timeout, { path: 'options.rateLimitTimeout', min: 1, max: 60_000 });
  if (limit === undefined) return undefined;
  if (typeof limit !== 'function')
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.rateLimit',
      expected: 'a function ({ identity, ip, request }) => boolean | { retryAfter } | { msBeforeNext }',
      received: limit,
    });
  return { limit, deadline: { hook: 'rateLimit', ms, option: 'rateLimitTimeout' } };
}

/** Who asks: an identity a token could carry, the peer's address, the request, its CORS headers. */
export interface Asking {
  readonly identity: string;
  readonly ip: string | undefined;
  readonly request: TokenRequest;
  readonly cors: Readonly<Record<string, string>>;
}

/** Asks the limiter: `undefined` (or its promise) to proceed; a refusal throws the 429. */
export function askLimiter(r: ResolvedRateLimit, asking: Asking): undefined | Promise<undefined> {
  const { identity, ip, request, cors } = asking;
  const subject = ip === undefined ? { identity, request } : { identity, ip, request };
  const verdict = timed(r.limit(subject), r.deadline);
  return isThenable(verdict) ? verdict.then((v) => judge(v, cors)) : judge(verdict, cors);
}

function judge(verdict: unknown, cors: Readonly<Record<string, string>>): undefined {
  const wait = retryAfterOf(verdict);
  if (wait !== undefined) throw rateLimited(wait, cors);
  return undefined;
}

/** The wait `false` means, in seconds. */
const DEFAULT_RETRY_AFTER = 60;
/** The longest wait: a day, in seconds. */
const MAX_RETRY_AFTER = 86_400;
const VERDICT_KEYS = ['retryAfter', 'msBeforeNext'] as const;
const EXPECTED =
  'return true to proceed, false, { retryAfter: whole seconds } or { msBeforeNext: milliseconds } to refuse';

/**
 * The verdict table: `true` proceeds (`undefined`); `false`, `{ retryAfter }` (whole seconds, 1 to
 * 86400) or rate-limiter-flexible's rejection `{ msBeforeNext }` (milliseconds, 0 to 86400000,
 * rounded up to whole seconds, at least 1) is the wait in seconds; anything else (a fractional or
 * out-of-range `retryAfter`, both keys, other keys) is a server bug (thrown: 500 and `onError`),
 * never a pass. A class instance (rate-limiter-flexible's `RateLimiterRes`) is read through its
 * `msBeforeNext` alone, once.
 */
function retryAfterOf(verdict: unknown): number | undefined {
  if (verdict === true) return undefined;
  if (verdict === false) return DEFAULT_RETRY_AFTER;
  if (typeof verdict !== 'object' || verdict === null)
    throw new TypeError(`rateLimit returned ${describe(verdict)}; ${EXPECTED}`);
  if (!isPlainObject(verdict)) return msBeforeNextOf(Reflect.get(verdict, 'msBeforeNext'));
  const read = readKnownKeys<{ retryAfter: unknown; msBeforeNext: unknown }>(
    verdict,
    VERDICT_KEYS,
    'rateLimit()',
    'ERR_INVALID_OPTION',
  );
  // Every known key of a snapshot is present: a value of undefined is an absent one.
  const hasRetryAfter = read.retryAfter !== undefined;
  if (hasRetryAfter === (read.msBeforeNext !== undefined))
    throw new TypeError(
      `rateLimit returned an object with ${hasRetryAfter ? 'both' : 'neither'} retryAfter and msBeforeNext; ${EXPECTED}`,
    );
  if (!hasRetryAfter) return msBeforeNextOf(read.msBeforeNext);
  const { retryAfter } = read;
  if (
    typeof retryAfter === 'number' &&
    Number.isInteger(retryAfter) &&
    retryAfter >= 1 &&
    retryAfter <= MAX_RETRY_AFTER
  )
    return retryAfter;
  throw new TypeError(
    `rateLimit returned a retryAfter that is ${describe(retryAfter)}; expected whole seconds from 1 to ${MAX_RETRY_AFTER} (or return { msBeforeNext } in milliseconds)`,
  );
}

/** Milliseconds to the whole seconds of `Retry-After`, at least 1; anything else throws. */
function msBeforeNextOf(ms: unknown): number {
  if (typeof ms === 'number' && ms >= 0 && ms <= MAX_RETRY_AFTER * 1000) return Math.max(1, Math.ceil(ms / 1000));
  throw new TypeError(
    `rateLimit returned a msBeforeNext that is ${describe(ms)}; expected milliseconds from 0 to ${MAX_RETRY_AFTER * 1000}; ${EXPECTED}`,
  );
}

/** The 429, with `Retry-After` (exposed to scripts of an allowed origin). */
function rateLimited(seconds: number, cors: Readonly<Record<string, string>>): HttpError {
  const headers: Record<string, string> = { 'retry-after': String(seconds) };
  if (cors['access-control-allow-origin'] !== undefined) headers['access-control-expose-headers'] = 'Retry-After';
  return new HttpError('ERR_RATE_LIMITED', `Too many token requests; retry in ${seconds} s`, headers);
}
