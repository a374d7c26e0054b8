import { isThenable } from '../../base/thenable.js';
import { assertCredentials, type Credentials, type EnvironmentVariables } from '../../token/credentials.js';
import type { Keyring } from '../../token/keyring/core.js';
import { envSigningSource } from '../../token/keyring/env.js';
import { keyringOf } from '../../token/keyring/own.js';
import { assertTtlWithinKeyring } from '../../token/keyring/ttl.js';
import type { SignedBy, SigningSource, ValidatedMinterSettings } from '../../token/validated-minter.js';
import { hookDeadline, timed } from './steps.js';
import type { GrantsResult, TokenHandlerOptions, TokenRequest } from './types.js';

// The `credentials` option, all of it: read once when the handler is created (fixed credentials
// or a keyring validated then; a function or the environment kept for each request), and the
// minter each request signs with, made from validated settings (token/validated-minter.ts), so
// nothing is validated twice. Another copy's keyring is refused, as minting refuses it.

/** A handler's minter: a token, its `exp` and its key. */
export type Minter = (identity: string, grants: GrantsResult) => SignedBy | Promise<SignedBy>;

/** A signing backend: node:crypto, or for fetch node:crypto where it loads and WebCrypto elsewhere. */
export type MinterFactory = (settings: ValidatedMinterSettings) => Minter;

/** The `credentials` option, read: fixed and validated, a function of the request, or `undefined` for the environment. */
export type ResolvedCredentials = SigningSource | ((request: TokenRequest) => unknown) | undefined;

/** Reads the `credentials` option when the handler is created; `ttl` must fit a keyring's maxTtl. */
export function resolveCredentials(value: TokenHandlerOptions['credentials'], ttl: number): ResolvedCredentials {
  return value === undefined || typeof value === 'function' ? value : signingSource(value, ttl);
}

/** Credentials validated, or a keyring of this copy whose maxTtl the ttl keeps to. */
function signingSource(value: unknown, ttl: number): SigningSource {
  const keyring = keyringOf(value);
  if (keyring === undefined) return { credentials: assertCredentials(value) };
  assertTtlWithinKeyring(keyring, ttl, 'options.ttl');
  return { keyring };
}

/** What picking a request's minter needs of the handler's options. */
export interface SigningOptions {
  readonly credentials: ResolvedCredentials;
  readonly ttl: number;
  readonly region: string | undefined;
  readonly hookTimeout: number;
}

/** Where a request's credentials come from: its request, and the platform's environment. */
export interface SigningCall {
  readonly request: TokenRequest;
  readonly env: EnvironmentVariables | Error | undefined;
}

/**
 * The minter of each request: made once for fixed credentials (at creation, so a runtime that must
 * not sign fails there), else from the function's result or the environment, validated per request
 * and rebuilt only when the values change.
 */
export function mintersFor(o: SigningOptions, factory: MinterFactory): (c: SigningCall) => Minter | Promise<Minter> {
  let last: { key: string | Keyring; mint: Minter } | undefined;
  const minterOf = (source: SigningSource): Minter => {
    // A keyring is its own key: its minter picks the signing key per token.
    const key = source.keyring ?? credentialsKey(source.credentials);
    if (last?.key !== key) last = { key, mint: factory({ ...source, ttl: o.ttl, region: o.region }) };
    return last.mint;
  };
  const { credentials } = o;
  if (typeof credentials === 'object') {
    const fixed = minterOf(credentials);
    return () => fixed;
  }
  if (credentials === undefined)
    return (c) => {
      if (c.env instanceof Error) throw c.env;
      return minterOf(signingSource(envSigningSource(c.env), o.ttl));
    };
  const reading = hookDeadline('credentials', o.hookTimeout);
  return (c) => {
    const given = timed(credentials(c.request), reading);
    return isThenable(given)
      ? given.then((g) => minterOf(signingSource(g, o.ttl)))
      : minterOf(signingSource(given, o.ttl));
  };
}

function credentialsKey(c: Credentials): string {
  return `${c.accountSid}\n${c.apiKeySid}\n${c.apiKeySecret}`;
}
