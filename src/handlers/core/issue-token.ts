import { isThenable } from '../../base/thenable.js';
import { isoSeconds } from '../../base/time.js';
import { assertIdentity } from '../../base/validate.js';
import type { GuardPlatform } from '../../platform/guard-platform.js';
import type { EnvironmentVariables } from '../../token/credentials.js';
import type { SignedBy } from '../../token/validated-minter.js';
import { issuedEvent } from './audit.js';
import { builtGrants, type GrantSet } from './grant-set.js';
import { askLimiter } from './rate-limit.js';
import type { ResolvedOptions } from './resolve-options.js';
import { HttpError, jsonResponse } from './response.js';
import { type Minter, type MinterFactory, mintersFor } from './signing.js';
import { hookDeadline, timed } from './steps.js';
import type { CoreResponse, IssuedEvent, TokenRequest } from './types.js';

// From what `identify` returned to the 200: the identity checked against the hook-outcome table,
// the rate limit asked, the grants built and checked, the credentials resolved, the token signed,
// the audit told. Synchronous when every hook and the signer are; a Promise from any of them makes
// the rest async.

/** One request's values, as the steps after `identify` carry them. */
export interface TokenCall {
  /** The request the hooks see. */
  readonly request: TokenRequest;
  /** Where credentials come from when none were given (see `RawRequest.env`). */
  readonly env: EnvironmentVariables | Error | undefined;
  /** The CORS headers every answer to it carries. */
  readonly cors: Readonly<Record<string, string>>;
  /** The request's headers (for the audit events). */
  readonly headers: Readonly<Record<string, string>>;
  /** The peer's address, when the platform knows it. */
  readonly ip: string | undefined;
  /** Set once `identify` returned an identity, so a later refusal can name it. */
  identity: string | undefined;
}

/** A call whose identity is known. */
interface Issuing extends TokenCall {
  identity: string;
}

/** Records the identity on the call, so every later step (and a refusal's event) knows it. */
function identified(call: TokenCall, identity: string): asserts call is Issuing {
  call.identity = identity;
}

const UNAUTHORIZED = new HttpError('ERR_UNAUTHORIZED', 'Not authorized to get a token');

/** The steps after `identify`, made once per handler: a request allocates only its own objects. */
export function issueToken(o: ResolvedOptions, minterFactory: MinterFactory, platform: GuardPlatform) {
  const minterOf = mintersFor(o, minterFactory);
  const building = hookDeadline('grants', o.hookTimeout);

  // Each step takes the request's context and what the previous step produced, and returns a
  // response or a promise of one.
  const minted = (c: Issuing, { token, exp }: SignedBy) =>
    // The token is base64url and the date ISO, so only the identity needs JSON escaping.
    jsonResponse(
      200,
      c.cors,
      `{"token":"${token}","identity":${JSON.stringify(c.identity)},"ttl":${o.ttl},"expiresAt":"${expiresAt(exp)}"}`,
    );
  const issued = announcer(o, platform, minted);
  const sign = (c: Issuing, set: GrantSet, mint: Minter) => {
    const result = mint(c.identity, set.grants);
    return isThenable(result) ? result.then((m) => issued(c, set, m)) : issued(c, set, result);
  };
  const withGrants = (c: Issuing, set: GrantSet): CoreResponse | Promise<CoreResponse> => {
    const mint = minterOf(c);
    return isThenable(mint) ? mint.then((m) => sign(c, set, m)) : sign(c, set, mint);
  };
  const allowed = (c: Issuing): CoreResponse | Promise<CoreResponse> => {
    // Fixed grants were validated when the handler was created; built ones are checked here.
    const { grants } = o;
    if (typeof grants !== 'function') return withGrants(c, grants);
    const built = timed(grants(c.request, c.identity), building);
    return isThenable(built) ? built.then((g) => withGrants(c, builtGrants(g))) : withGrants(c, builtGrants(built));
  };
  const withIdentity = (value: unknown, call: TokenCall): CoreResponse | Promise<CoreResponse> => {
    const checked = checkIdentity(value);
    const { rateLimit } = o;
    // The limiter, and the events of its 429, see only an identity a token could carry: one with a
    // newline or 300 characters is the 400 it would be without a limiter, never a limiter key.
    if (rateLimit !== undefined) assertIdentity(checked);
    identified(call, checked);
    if (rateLimit === undefined) return allowed(call);
    const asked = askLimiter(rateLimit, call);
    return isThenable(asked) ? asked.then(() => allowed(call)) : allowed(call);
  };

  return withIdentity;
}

/**
 * The audit step after signing: with no `onIssued` and no channel subscriber, straight to the 200;
 * else the event is built, `onIssued` awaited, the channel told, then the 200.
 */
function announcer(
  o: ResolvedOptions,
  platform: GuardPlatform,
  minted: (c: Issuing, m: SignedBy) => CoreResponse,
): (c: Issuing, set: GrantSet, m: SignedBy) => CoreResponse | Promise<CoreResponse> {
  const { onIssued } = o;
  const hearing = hookDeadline('onIssued', o.hookTimeout);
  return (c, set, m) => {
    const channel = platform.channels()?.issued;
    if (onIssued === undefined && channel?.hasSubscribers !== true) return minted(c, m);
    // Someone listens: the event is built, `onIssued` awaited, the channel told, then the 200.
    const announce = (event: IssuedEvent) => {
      const done = () => {
        if (channel?.hasSubscribers === true) channel.publish(event);
        return minted(c, m);
      };
      if (onIssued === undefined) return done();
      const heard = timed(onIssued(event), hearing);
      return isThenable(heard) ? heard.then(done) : done();
    };
    const t = {
      token: m.token,
      apiKeySid: m.apiKeySid,
      products: set.products,
      ttl: o.ttl,
      expiresAt: expiresAt(m.exp),
      region: o.region,
    };
    const event = issuedEvent(platform, c, t);
    return isThenable(event) ? event.then(announce) : announce(event);
  };
}

/** The hook-outcome table: a non-empty string proceeds; nothing (`null`, `undefined`, `false`, `''`) is a 401. */
function checkIdentity(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value;
  if (value === null || value === undefined || value === false || value === '') throw UNAUTHORIZED;
  throw new TypeError(
    `identify returned ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}; return the identity string, or null for 401`,
  );
}

let lastExp = Number.NaN;
let lastIso = '';
/** {@link isoSeconds}, cached: exp changes once a second under load. */
function expiresAt(exp: number): string {
  if (exp !== lastExp) {
    lastIso = isoSeconds(exp);
    lastExp = exp;
  }
  return lastIso;
}
