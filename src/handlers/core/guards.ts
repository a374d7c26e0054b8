import { describe } from '../../base/errors.js';
import { isPlainObject, readKnownKeys } from '../../base/known-keys.js';
import { isThenable } from '../../base/thenable.js';
import { decodeText } from '../../crypto/base64url.js';
import type { GrantProduct } from '../../grants/index.js';
import { BY_KEY } from '../../grants/products.js';
import type { GuardPlatform } from '../../platform/guard-platform.js';
import type { HttpErrorCode } from './http-errors.js';
import { HttpError } from './response.js';
import type { DeniedEvent, IssuedEvent, TokenRequest } from './types.js';

// The guards around issuing: the rate-limit verdict, and the audit events (`onIssued`, `onDenied`
// and, on Node, the diagnostics channels). Nothing here runs for a handler without hooks and
// without a channel subscriber: the events are built only when someone listens.

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
export function retryAfterOf(verdict: unknown): number | undefined {
  if (verdict === true) return undefined;
  if (verdict === false) return DEFAULT_RETRY_AFTER;
  if (typeof verdict !== 'object' || verdict === null)
    throw new TypeError(`rateLimit returned ${describe(verdict)}; ${EXPECTED}`);
  if (!isPlainObject(verdict)) return msBeforeNextOf((verdict as { msBeforeNext?: unknown }).msBeforeNext);
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
export function rateLimited(seconds: number, cors: Readonly<Record<string, string>>): HttpError {
  const headers: Record<string, string> = { 'retry-after': String(seconds) };
  if (cors['access-control-allow-origin'] !== undefined) headers['access-control-expose-headers'] = 'Retry-After';
  return new HttpError('ERR_RATE_LIMITED', `Too many token requests; retry in ${seconds} s`, headers);
}

/** What the events need of a request, whichever step it reached. */
export interface Caller {
  readonly headers: Readonly<Record<string, string>>;
  readonly ip?: string | undefined;
  /** Set once `identify` returned a usable identity. */
  identity?: string | undefined;
}

/** The fields both events take from the request: ip, origin, user agent, each only when known. */
function callerFields(caller: Caller, into: Record<string, unknown>): void {
  if (typeof caller.ip === 'string') into.ip = caller.ip;
  // Own header values only: a polluted Object.prototype must not write into audit events.
  const { headers } = caller;
  const origin = Object.hasOwn(headers, 'origin') ? headers.origin : undefined;
  const userAgent = Object.hasOwn(headers, 'user-agent') ? headers['user-agent'] : undefined;
  if (typeof origin === 'string') into.origin = origin;
  if (typeof userAgent === 'string') into.userAgent = userAgent;
}

/** The issued token's facts read back from its payload: the key that signed it, the products. */
function signedFacts(token: string): { apiKeySid: string; products: GrantProduct[] } {
  const payload = JSON.parse(decodeText(token.split('.')[1] ?? '') ?? 'null') as {
    iss?: unknown;
    grants?: Record<string, unknown>;
  };
  const products: GrantProduct[] = [];
  for (const key of Object.keys(payload.grants ?? {})) {
    const product = BY_KEY.get(key)?.product;
    if (product !== undefined) products.push(product);
  }
  if (typeof payload.iss !== 'string') throw new TypeError('the signed token has no issuer');
  return { apiKeySid: payload.iss, products };
}

/** The token's values the issued event reports. */
export interface IssuedToken {
  readonly token: string;
  readonly ttl: number;
  readonly expiresAt: string;
  readonly region: string | undefined;
}

/** Builds the issued event: synchronously where the digest is (node:crypto). */
export function issuedEvent(
  platform: GuardPlatform,
  caller: Caller & { readonly identity: string },
  t: IssuedToken,
): IssuedEvent | Promise<IssuedEvent> {
  const facts = signedFacts(t.token);
  const build = (tokenId: string): IssuedEvent => {
    const event: Record<string, unknown> = { identity: caller.identity, products: facts.products };
    event.apiKeySid = facts.apiKeySid;
    if (t.region !== undefined) event.region = t.region;
    Object.assign(event, { ttl: t.ttl, expiresAt: t.expiresAt, tokenId });
    callerFields(caller, event);
    Object.freeze(facts.products);
    return Object.freeze(event) as unknown as IssuedEvent;
  };
  const digest = platform.sha256(t.token.slice(t.token.lastIndexOf('.') + 1));
  return isThenable(digest) ? digest.then(build) : build(digest);
}

/** Who hears of a refusal: the operator's `onDenied`, the platform's `denied` channel, and `report` for a failing `onDenied`. */
export interface DeniedAudience {
  readonly onDenied: ((event: DeniedEvent) => void) | undefined;
  readonly platform: GuardPlatform;
  readonly report: (error: unknown, request: TokenRequest | undefined) => void;
}

/** One refusal: who asked, the answer, and the request when it was read. */
export interface Refusal {
  readonly caller: Caller;
  readonly denial: { readonly status: number; readonly code: HttpErrorCode };
  readonly request: TokenRequest | undefined;
}

/**
 * Reports a refusal to `onDenied` and the `denied` channel, when either listens. Never throws: a
 * failing `onDenied` goes to `report` (the operator's `onError`) and the answer stays as it is.
 */
export function announceDenied(
  { onDenied, platform, report }: DeniedAudience,
  { caller, denial, request }: Refusal,
): void {
  const channel = platform.channels()?.denied;
  if (onDenied === undefined && channel?.hasSubscribers !== true) return;
  const event: Record<string, unknown> = { status: denial.status, code: denial.code };
  if (caller.identity !== undefined && denial.code !== 'ERR_INVALID_IDENTITY') event.identity = caller.identity;
  callerFields(caller, event);
  Object.freeze(event);
  if (channel?.hasSubscribers === true) channel.publish(event);
  if (onDenied === undefined) return;
  try {
    const result: unknown = onDenied(event as unknown as DeniedEvent);
    if (isThenable(result)) result.then(undefined, (error: unknown) => report(error, request));
  } catch (error) {
    report(error, request);
  }
}
