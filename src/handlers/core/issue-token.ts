import { isThenable } from '../../base/thenable.js';
import { isoSeconds } from '../../base/time.js';
import { assertIdentity } from '../../base/validate.js';
import { grantEntries, grantMember } from '../../grants/grant-list.js';
import type { Channel, GuardPlatform } from '../../platform/guard-platform.js';
import type { Minted } from '../../token/access-token.js';
import { assertCredentials, type Credentials, type EnvironmentVariables } from '../../token/credentials.js';
import type { Keyring } from '../../token/keyring/core.js';
import { envSigningSource } from '../../token/keyring/env.js';
import { keyringOf } from '../../token/keyring/own.js';
import { issuedEvent, rateLimited, retryAfterOf } from './guards.js';
import type { ResolvedOptions } from './resolve-options.js';
import { HttpError, jsonResponse } from './response.js';
import { timed } from './steps.js';
import type { CoreResponse, GrantsResult, IssuedEvent, TokenRequest } from './types.js';

// From what `identify` returned to the 200: the identity checked against the hook-outcome table,
// the rate limit asked, the grants built and checked, the credentials resolved, the token signed,
// the audit told. Synchronous when every hook and the signer are; a Promise from any of them makes
// the rest async.

/** A signing backend: node:crypto, or for fetch node:crypto where it loads and WebCrypto elsewhere. */
export type MinterFactory = (options: {
  credentials: Credentials | Keyring;
  ttl: number;
  region?: string;
}) => (identity: string, grants: GrantsResult) => Minted | Promise<Minted>;

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

const UNAUTHORIZED = new HttpError('ERR_UNAUTHORIZED', 'Not authorized to get a token');

/** The steps after `identify`, made once per handler: a request allocates only its own objects. */
export function issueToken(o: ResolvedOptions, minterFactory: MinterFactory, platform: GuardPlatform) {
  const minterFor = cachedMinter(minterFactory, o);
  const fixedMinter = typeof o.credentials === 'object' ? minterFor(o.credentials) : undefined;

  // Each step takes the request's context and what the previous step produced, and returns a
  // response or a promise of one.
  const minted = (c: Issuing, { token, exp }: Minted) =>
    // The token is base64url and the date ISO, so only the identity needs JSON escaping.
    jsonResponse(
      200,
      c.cors,
      `{"token":"${token}","identity":${JSON.stringify(c.identity)},"ttl":${o.ttl},"expiresAt":"${expiresAt(exp)}"}`,
    );
  const issued = announcer(o, platform, minted);
  const sign = (c: Issuing, grants: GrantsResult, mint: ReturnType<MinterFactory>) => {
    const result = mint(c.identity, grants);
    return isThenable(result) ? result.then((m) => issued(c, m)) : issued(c, result);
  };
  const withGrants = (c: Issuing, grants: GrantsResult): CoreResponse | Promise<CoreResponse> => {
    if (fixedMinter !== undefined) return sign(c, grants, fixedMinter);
    if (typeof o.credentials !== 'function') {
      if (c.env instanceof Error) throw c.env;
      return sign(c, grants, minterFor(envSigningSource(c.env)));
    }
    const given = timed(o.credentials(c.request), o.hookTimeout, 'credentials');
    return isThenable(given)
      ? given.then((credentials) => sign(c, grants, minterFor(credentials)))
      : sign(c, grants, minterFor(given));
  };
  const allowed = (c: Issuing): CoreResponse | Promise<CoreResponse> => {
    // Fixed grants were validated when the handler was created; built ones are checked here.
    if (typeof o.grants !== 'function') return withGrants(c, o.grants);
    const built = timed(o.grants(c.request, c.identity), o.hookTimeout, 'grants');
    return isThenable(built)
      ? built.then((g) => withGrants(c, assertGrantsResult(g)))
      : withGrants(c, assertGrantsResult(built));
  };
  const judged = (c: Issuing, verdict: unknown) => {
    const wait = retryAfterOf(verdict);
    if (wait !== undefined) throw rateLimited(wait, c.cors);
    return allowed(c);
  };
  const withIdentity = (value: unknown, call: TokenCall): CoreResponse | Promise<CoreResponse> => {
    const checked = checkIdentity(value);
    // The limiter, and the events of its 429, see only an identity a token could carry: one with a
    // newline or 300 characters is the 400 it would be without a limiter, never a limiter key.
    if (o.rateLimit !== undefined) assertIdentity(checked);
    call.identity = checked;
    const c = call as Issuing;
    if (o.rateLimit === undefined) return allowed(c);
    const { identity, request } = c;
    const subject = c.ip === undefined ? { identity, request } : { identity, ip: c.ip, request };
    const verdict = timed(o.rateLimit(subject), o.rateLimitTimeout, 'rateLimit', 'rateLimitTimeout');
    return isThenable(verdict) ? verdict.then((v) => judged(c, v)) : judged(c, verdict);
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
  minted: (c: Issuing, m: Minted) => CoreResponse,
): (c: Issuing, m: Minted) => CoreResponse | Promise<CoreResponse> {
  const announce = (c: Issuing, m: Minted, event: IssuedEvent, channel: Channel | undefined) => {
    const done = () => {
      if (channel?.hasSubscribers === true) channel.publish(event);
      return minted(c, m);
    };
    if (o.onIssued === undefined) return done();
    const heard = timed(o.onIssued(event), o.hookTimeout, 'onIssued');
    return isThenable(heard) ? heard.then(done) : done();
  };
  return (c, m) => {
    const channel = platform.channels()?.issued;
    if (o.onIssued === undefined && channel?.hasSubscribers !== true) return minted(c, m);
    const t = { token: m.token, ttl: o.ttl, expiresAt: expiresAt(m.exp), region: o.region };
    const event = issuedEvent(platform, c, t);
    return isThenable(event) ? event.then((e) => announce(c, m, e, channel)) : announce(c, m, event, channel);
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

/** A `grants` function must return a grant or an array of grants; anything else is a server bug (500). */
function assertGrantsResult(value: unknown): GrantsResult {
  const member = (g: unknown) => grantMember(g) !== undefined;
  const ok = Array.isArray(value) ? value.every(member) : member(value);
  if (!ok) throw new TypeError('the grants function returned something that is not a grant or an array of grants');
  // Fresh entries of this copy's grants: another copy's grant is refused (one copy per process).
  return grantEntries(value).map((entry) => entry.grant) as unknown as GrantsResult;
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

/** Minters by credentials, rebuilt only when the values change (environment, or a function's result). */
function cachedMinter(factory: MinterFactory, o: ResolvedOptions) {
  let last: { key: string | Keyring; mint: ReturnType<MinterFactory> } | undefined;
  return (given: unknown): ReturnType<MinterFactory> => {
    // A keyring is its own key: its minter picks the signing key per token (another copy's: refused).
    const keyring = keyringOf(given);
    let credentials: Credentials | Keyring;
    let key: string | Keyring;
    if (keyring === undefined) {
      const c = assertCredentials(given);
      credentials = c;
      key = `${c.accountSid}\n${c.apiKeySid}\n${c.apiKeySecret}`;
    } else {
      credentials = key = keyring;
    }
    if (last?.key !== key)
      last = {
        key,
        mint: factory({ credentials, ttl: o.ttl, ...(o.region === undefined ? {} : { region: o.region }) }),
      };
    return last.mint;
  };
}
