import { fail } from '../../base/errors.js';
import { assertInteger, assertOptions } from '../../base/validate.js';
import { DEFAULT_TTL, resolveRegion, resolveTtl } from '../../token/options.js';
import { type ResolvedCors, resolveCors } from './cors.js';
import { type ResolvedGrants, resolveGrants } from './grant-set.js';
import { logError } from './log-error.js';
import { type ResolvedRateLimit, resolveRateLimit } from './rate-limit.js';
import { type ResolvedCredentials, resolveCredentials } from './signing.js';
import type { TokenHandlerOptions, TokenRequest } from './types.js';

// Handler options, each read once when the handler is created, by its one reader: a bad static
// configuration throws there, at deploy time, not on the first request. The readers of the options
// with a life after creation live beside their use: cors.ts, rate-limit.ts, signing.ts (credentials)
// and grant-set.ts.

/** Handler options after validation. */
export interface ResolvedOptions {
  readonly identify: (request: TokenRequest) => unknown;
  readonly grants: ResolvedGrants;
  readonly credentials: ResolvedCredentials;
  readonly ttl: number;
  readonly region: string | undefined;
  readonly cors: ResolvedCors | false;
  readonly bodyTimeout: number;
  readonly hookTimeout: number;
  readonly rateLimit: ResolvedRateLimit | undefined;
  readonly onError: (error: unknown, request: TokenRequest | undefined) => unknown;
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
  const identify = hook(o.identify, 'identify', 'a function (request) => identity');
  const onError = optionalHook(o.onError, 'onError', 'a function (error, request) => void');
  const onIssued = optionalHook(o.onIssued, 'onIssued', 'a function (event) => void | Promise<void>');
  const onDenied = optionalHook(o.onDenied, 'onDenied', 'a function (event) => void');
  const ttl = resolveTtl(o.ttl, DEFAULT_TTL, 'options.ttl');
  return {
    identify,
    grants: resolveGrants(o.grants),
    credentials: resolveCredentials(o.credentials, ttl),
    ttl,
    region: resolveRegion(o.region, 'options.region'),
    cors: resolveCors(o.cors),
    bodyTimeout: timeout(o.bodyTimeout, 'options.bodyTimeout'),
    hookTimeout: timeout(o.hookTimeout, 'options.hookTimeout'),
    rateLimit: resolveRateLimit(o.rateLimit, o.rateLimitTimeout),
    onError: onError ?? logError,
    onIssued,
    onDenied,
  };
}

/** A hook the handler needs: a function, else `ERR_INVALID_OPTION` at its path. */
function hook<F>(value: F | undefined, key: string, expected: string): F {
  if (typeof value !== 'function')
    fail({ code: 'ERR_INVALID_OPTION', path: `options.${key}`, expected, received: value });
  return value;
}

/** An optional hook: absent, or a function. */
function optionalHook<F>(value: F | undefined, key: string, expected: string): F | undefined {
  return value === undefined ? undefined : hook(value, key, expected);
}

/** `bodyTimeout` and `hookTimeout`: whole milliseconds, 10 s by default. */
function timeout(value: unknown, path: string): number {
  return value === undefined ? 10_000 : assertInteger(value, { path, min: 1, max: MAX_TIMEOUT });
}
