import { isThenable } from '../../base/thenable.js';
import type { GrantProduct } from '../../grants/index.js';
import type { GuardPlatform } from '../../platform/guard-platform.js';
import type { HttpErrorCode } from './http-errors.js';
import type { DeniedEvent, IssuedEvent, TokenRequest } from './types.js';

// The audit events: `onIssued`, `onDenied` and, on Node, the diagnostics channels. Nothing here
// runs for a handler without hooks and without a channel subscriber: the events are built only
// when someone listens.

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What the events need of a request, whichever step it reached. */
export interface Caller {
  readonly headers: Readonly<Record<string, string>>;
  readonly ip?: string | undefined;
  /** Set once `identify` returned a usable identity. */
  identity?: string | undefined;
}

/** The fields both events take from the request: ip, origin, user agent, each only when known. */
function callerFields(caller: Caller, into: Writable<Pick<DeniedEvent, 'ip' | 'origin' | 'userAgent'>>): void {
  if (typeof caller.ip === 'string') into.ip = caller.ip;
  // Own header values only: a polluted Object.prototype must not write into audit events.
  const { headers } = caller;
  const origin = Object.hasOwn(headers, 'origin') ? headers.origin : undefined;
  const userAgent = Object.hasOwn(headers, 'user-agent') ? headers['user-agent'] : undefined;
  if (typeof origin === 'string') into.origin = origin;
  if (typeof userAgent === 'string') into.userAgent = userAgent;
}

/** The issued token's facts: the token, what signed it and what it grants, as the mint returned them. */
export interface IssuedToken {
  readonly token: string;
  /** The key that signed it (a keyring's key at mint time), from the mint itself. */
  readonly apiKeySid: string;
  /** The products of the grants it was signed with, frozen. */
  readonly products: readonly GrantProduct[];
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
  const build = (tokenId: string): IssuedEvent => {
    const event: Writable<IssuedEvent> = {
      identity: caller.identity,
      products: t.products,
      apiKeySid: t.apiKeySid,
      ...(t.region === undefined ? {} : { region: t.region }),
      ttl: t.ttl,
      expiresAt: t.expiresAt,
      tokenId,
    };
    callerFields(caller, event);
    return Object.freeze(event);
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
  const event: Writable<DeniedEvent> = { status: denial.status, code: denial.code };
  if (caller.identity !== undefined && denial.code !== 'ERR_INVALID_IDENTITY') event.identity = caller.identity;
  callerFields(caller, event);
  Object.freeze(event);
  if (channel?.hasSubscribers === true) channel.publish(event);
  if (onDenied === undefined) return;
  try {
    const result: unknown = onDenied(event);
    if (isThenable(result)) result.then(undefined, (error: unknown) => report(error, request));
  } catch (error) {
    report(error, request);
  }
}
