import { describe, expect, test } from 'vitest';
import {
  createTokenProvider,
  TOKEN_FETCH_ERRORS,
  type TokenFetchError,
  type TokenFetchErrorCode,
} from '../../src/client.js';
import { HOUR, tokenFor, tokenWith, useFakeClock } from './fakes.js';

// Every failed fetch the provider makes itself carries a code from TOKEN_FETCH_ERRORS, with that
// table's message; each code is produced by the case below, and no other code exists.

useFakeClock();

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as TokenFetchError,
  );

/** The first error of one getToken against a fetch answering `response`. */
async function firstError(response: () => Response, options: { identity?: string } = {}) {
  const provider = createTokenProvider({ url: '/token', fetch: async () => response(), ...options });
  const error = await rejection(provider.getToken());
  provider.stop();
  return error;
}

const CASES: Record<TokenFetchErrorCode, () => Promise<TokenFetchError>> = {
  ERR_HTTP_STATUS: () => firstError(() => new Response('{}', { status: 503 })),
  ERR_RESPONSE_TOO_LARGE: () => firstError(() => new Response('x'.repeat(70_000))),
  ERR_NO_BODY: () => firstError(() => new Response(null)),
  ERR_NO_TOKEN: () => firstError(() => new Response(JSON.stringify({ token: 'not.a-token' }))),
  ERR_TOKEN_LIFETIME: () =>
    firstError(() => new Response(JSON.stringify({ token: tokenWith({ iat: 1, exp: 1 + 90_000 }) }))),
  ERR_WRONG_IDENTITY: () =>
    firstError(() => new Response(JSON.stringify({ token: tokenFor(HOUR, 'mallory') })), { identity: 'alice' }),
  ERR_STOPPED: async () => {
    const provider = createTokenProvider({ url: '/token', fetch: () => new Promise<Response>(() => {}) });
    const pending = rejection(provider.getToken());
    provider.stop();
    return pending;
  },
};

describe('TokenFetchError codes', () => {
  test('the table and the cases name the same codes', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(TOKEN_FETCH_ERRORS).sort());
  });

  test.each(Object.keys(CASES) as TokenFetchErrorCode[])('%s: its code and its table message', async (code) => {
    const error = await CASES[code]();
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    const suffix = code === 'ERR_HTTP_STATUS' ? ' 503' : '';
    expect(error.message).toBe(`twilio-access-token/client: ${TOKEN_FETCH_ERRORS[code]}${suffix}`);
    if (code === 'ERR_HTTP_STATUS') expect(error.status).toBe(503);
    else expect('status' in error).toBe(false);
  });
});
