import { isThenable } from '../../base/thenable.js';
import { isoSeconds } from '../../base/time.js';
import { grantMember } from '../../grants/grant-list.js';
import type { Minted } from '../../token/access-token.js';
import { assertCredentials, type Credentials, credentialsFromEnv } from '../../token/credentials.js';
import type { ResolvedOptions } from './resolve-options.js';
import { HttpError, jsonResponse } from './response.js';
import { timed } from './steps.js';
import type { CoreResponse, GrantsResult, RawRequest, TokenRequest } from './types.js';

// From what `identify` returned to the 200: the identity checked against the hook-outcome table,
// the grants built and checked, the credentials resolved, the token signed. Synchronous when every
// hook and the signer are; a Promise from any of them makes the rest async.

/** A signing backend: node:crypto for most adapters, WebCrypto for fetch. */
export type MinterFactory = (options: {
  credentials: Credentials;
  ttl: number;
  region?: string;
}) => (identity: string, grants: GrantsResult) => Minted | Promise<Minted>;

const UNAUTHORIZED = new HttpError('ERR_UNAUTHORIZED', 'Not authorized to get a token');

/** The steps after `identify`, made once per handler: a request allocates only its own objects. */
export function issueToken(o: ResolvedOptions, minterFactory: MinterFactory) {
  const minterFor = cachedMinter(minterFactory, o);
  const fixedMinter = typeof o.credentials === 'object' ? minterFor(o.credentials) : undefined;

  // Each step takes what the previous one produced and returns a response or a promise of one.
  const minted = (identity: string, { token, exp }: Minted, cors: Readonly<Record<string, string>>) =>
    // The token is base64url and the date ISO, so only the identity needs JSON escaping.
    jsonResponse(
      200,
      cors,
      `{"token":"${token}","identity":${JSON.stringify(identity)},"ttl":${o.ttl},"expiresAt":"${expiresAt(exp)}"}`,
    );
  const sign = (
    identity: string,
    grants: GrantsResult,
    mint: ReturnType<MinterFactory>,
    cors: Readonly<Record<string, string>>,
  ) => {
    const result = mint(identity, grants);
    return isThenable(result) ? result.then((m) => minted(identity, m, cors)) : minted(identity, result, cors);
  };
  const withGrants = (
    identity: string,
    grants: GrantsResult,
    request: TokenRequest,
    raw: RawRequest,
    cors: Readonly<Record<string, string>>,
  ): CoreResponse | Promise<CoreResponse> => {
    if (fixedMinter !== undefined) return sign(identity, grants, fixedMinter, cors);
    if (typeof o.credentials !== 'function')
      return sign(identity, grants, minterFor(credentialsFromEnv(raw.env)), cors);
    const given = timed(o.credentials(request), o.hookTimeout, 'credentials');
    return isThenable(given)
      ? given.then((c) => sign(identity, grants, minterFor(c), cors))
      : sign(identity, grants, minterFor(given), cors);
  };
  const withIdentity = (
    value: unknown,
    request: TokenRequest,
    raw: RawRequest,
    cors: Readonly<Record<string, string>>,
  ): CoreResponse | Promise<CoreResponse> => {
    const identity = checkIdentity(value);
    // Fixed grants were validated when the handler was created; built ones are checked here.
    if (typeof o.grants !== 'function') return withGrants(identity, o.grants, request, raw, cors);
    const built = timed(o.grants(request, identity), o.hookTimeout, 'grants');
    return isThenable(built)
      ? built.then((g) => withGrants(identity, assertGrantsResult(g), request, raw, cors))
      : withGrants(identity, assertGrantsResult(built), request, raw, cors);
  };

  return withIdentity;
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
  const ok = Array.isArray(value) ? value.every((g) => grantMember(g) !== undefined) : grantMember(value) !== undefined;
  if (!ok) throw new TypeError('the grants function returned something that is not a grant or an array of grants');
  return value as GrantsResult;
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
  let last: { key: string; mint: ReturnType<MinterFactory> } | undefined;
  return (given: unknown): ReturnType<MinterFactory> => {
    const credentials = assertCredentials(given);
    const key = `${credentials.accountSid}\n${credentials.apiKeySid}\n${credentials.apiKeySecret}`;
    if (last?.key !== key)
      last = {
        key,
        mint: factory({ credentials, ttl: o.ttl, ...(o.region === undefined ? {} : { region: o.region }) }),
      };
    return last.mint;
  };
}
