import { fail } from '../../base/errors.js';
import { assertInteger, assertOptions } from '../../base/validate.js';
import { grantEntries } from '../../grants/grant-list.js';
import { assertCredentials, type Credentials } from '../../token/credentials.js';
import type { Keyring } from '../../token/keyring/core.js';
import { keyringOf } from '../../token/keyring/own.js';
import { assertTtlWithinKeyring } from '../../token/keyring/ttl.js';
import { DEFAULT_TTL, resolveRegion, resolveTtl } from '../../token/options.js';
import { type ResolvedCors, resolveCors } from './cors.js';
import { logError } from './log-error.js';
import type { GrantsResult, TokenHandlerOptions, TokenRequest } from './types.js';

// Handler options, validated once when the handler is created: a bad static configuration throws
// there, at deploy time, not on the first request.

/** Handler options after validation. */
export interface ResolvedOptions {
  readonly identify: TokenHandlerOptions['identify'];
  readonly grants: GrantsResult | ((request: TokenRequest, identity: string) => GrantsResult | Promise<GrantsResult>);
  /** Fixed credentials or a keyring, a function of the request, or `undefined` for the environment. */
  readonly credentials:
    | Credentials
    | Keyring
    | ((request: TokenRequest) => Credentials | Keyring | Promise<Credentials | Keyring>)
    | undefined;
  readonly ttl: number;
  readonly region: string | undefined;
  readonly cors: ResolvedCors | false;
  readonly bodyTimeout: number;
  readonly hookTimeout: number;
  readonly rateLimitTimeout: number;
  readonly onError: (error: unknown, request: TokenRequest | undefined) => void;
  readonly rateLimit: TokenHandlerOptions['rateLimit'];
  readonly onIssued: TokenHandlerOptions['onIssued'];
  readonly onDenied: TokenHandlerOptions['onDenied'];
}

const KEYS = [
  'identify',
  'grants',
  'credentials',
  'ttl',
  'region',
  'cors',
  'bodyTimeout',
  'hookTimeout',
  'onError',
  'rateLimit',
  'rateLimitTimeout',
  'onIssued',
  'onDenied',
] as const;
const MAX_TIMEOUT = 600_000;

/** Validates handler options. */
export function resolveHandlerOptions(options: unknown): ResolvedOptions {
  if (options === undefined)
    fail({ code: 'ERR_INVALID_OPTION', path: 'options', expected: 'an options object', received: options });
  const o = assertOptions<TokenHandlerOptions>(options, KEYS, 'options', 'ERR_INVALID_OPTION');
  const fn = (key: 'identify' | 'onError' | 'rateLimit' | 'onIssued' | 'onDenied', expected: string) => {
    if (typeof o[key] !== 'function')
      fail({ code: 'ERR_INVALID_OPTION', path: `options.${key}`, expected, received: o[key] });
  };
  fn('identify', 'a function (request) => identity');
  if (o.onError !== undefined) fn('onError', 'a function (error, request) => void');
  if (o.rateLimit !== undefined)
    fn('rateLimit', 'a function ({ identity, ip, request }) => boolean | { retryAfter } | { msBeforeNext }');
  if (o.onIssued !== undefined) fn('onIssued', 'a function (event) => void | Promise<void>');
  if (o.onDenied !== undefined) fn('onDenied', 'a function (event) => void');
  const grants = o.grants;
  const credentials = o.credentials;
  const ttl = resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl');
  // One copy per process: a keyring of another copy is refused here, at creation.
  const keyring = keyringOf(credentials);
  assertTtlWithinKeyring(keyring, ttl, 'options.ttl');
  return {
    identify: o.identify as TokenHandlerOptions['identify'],
    grants: typeof grants === 'function' ? (grants as ResolvedOptions['grants']) : fixedGrants(grants),
    credentials:
      credentials === undefined || typeof credentials === 'function'
        ? credentials
        : (keyring ?? assertCredentials(credentials)),
    ttl,
    region: resolveRegion(o.region, 'options.region'),
    cors: resolveCors(o.cors),
    bodyTimeout:
      o.bodyTimeout === undefined
        ? 10_000
        : assertInteger(o.bodyTimeout, { path: 'options.bodyTimeout', min: 1, max: MAX_TIMEOUT }),
    hookTimeout:
      o.hookTimeout === undefined
        ? 10_000
        : assertInteger(o.hookTimeout, { path: 'options.hookTimeout', min: 1, max: MAX_TIMEOUT }),
    rateLimitTimeout:
      o.rateLimitTimeout === undefined
        ? 1000
        : assertInteger(o.rateLimitTimeout, { path: 'options.rateLimitTimeout', min: 1, max: 60_000 }),
    onError: (o.onError as ResolvedOptions['onError'] | undefined) ?? logError,
    rateLimit: o.rateLimit,
    onIssued: o.onIssued,
    onDenied: o.onDenied,
  };
}

/**
 * Fixed grants, validated and captured when the handler is created: this copy's grant for each one,
 * in a fresh frozen array, so a later change to the caller's array (a grant replaced, pushed or
 * broken) changes no token.
 */
function fixedGrants(grants: unknown): GrantsResult {
  return Object.freeze(grantEntries(grants).map((entry) => entry.grant)) as unknown as GrantsResult;
}
