import { AccessTokenError } from '../base/errors.js';
import { isThenable } from '../base/thenable.js';
import type { Algorithm } from './algorithms.js';

// The one seam between the platform-neutral token code and a platform's crypto: node-signer.ts
// (node:crypto, synchronous) and web-signer.ts (WebCrypto, Promises) each provide one Signer, and the
// factories in token/access-token.ts, inspect/verify.ts and inspect/diagnose/diagnose.ts take it.

/**
 * Signs and checks HMACs on one platform.
 *
 * @typeParam Signature - `string` where signing is synchronous, `Promise<string>` where it is not.
 * @typeParam Match - `boolean` or `Promise<boolean>`, likewise.
 */
export interface Signer<Signature extends string | Promise<string>, Match extends boolean | Promise<boolean>> {
  /** base64url, without padding, of a string's UTF-8 bytes. */
  encode(text: string): string;
  /** The HMAC of inputs under one algorithm and secret, base64url; the key is prepared once. */
  hmac(algorithm: Algorithm, secret: string): (input: string) => Signature;
  /** Whether `signature` is the HMAC of `input`, compared in constant time. */
  matches(algorithm: Algorithm, secret: string, input: string, signature: string): Match;
  /**
   * Fails with one line naming the requirement where this signer cannot run, or must not: the main
   * entry needs Node.js 20.16 or later and no browser; `/web` signs in a browser page (where
   * `document` exists) only with `dangerouslyAllowBrowser: true`, since the secret would ship to it.
   */
  assertRuntime(allowBrowser: boolean): void;
  /** A value as this signer returns results: as it is, or in a Promise. */
  settle<T>(value: T): T | Promise<T>;
  /** A failure as this signer's callers expect it: thrown (node:crypto), or a rejected Promise (WebCrypto). */
  reject(error: unknown): Promise<never>;
}

/** `T`, or a Promise of it where the signer's results are Promises. */
export type Settled<Signature, T> = Signature extends Promise<unknown> ? Promise<T> : T;

/** Applies `f` to a value, or to a Promise's value (not named `then`: a module exporting `then` is a thenable): a synchronous signer keeps everything synchronous. */
export function afterSigning<T, R>(value: T | Promise<T>, f: (value: T) => R): R | Promise<R> {
  return isThenable(value) ? value.then(f) : f(value);
}

/**
 * Reports a failure the signer's way, typed as the caller's result: node:crypto throws (so nothing
 * is returned), WebCrypto returns a rejected Promise, which is what an async result may be. This is
 * the one place that cast is made.
 */
export function failure<R>(
  signer: Pick<Signer<string | Promise<string>, boolean | Promise<boolean>>, 'reject'>,
  error: unknown,
): R {
  return signer.reject(error) as unknown as R;
}

/** Whether this code runs in a browser page (or a DOM emulation): `document` exists. */
export function inBrowserPage(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

/** The error for a runtime that cannot run an entry: one line that names the requirement. */
export function unsupportedRuntime(requirement: string): AccessTokenError {
  return new AccessTokenError(
    'ERR_UNSUPPORTED_RUNTIME',
    `${requirement}: use twilio-access-token/web, or better, fetch tokens from your server with twilio-access-token/client`,
  );
}
