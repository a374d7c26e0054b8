import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as main from '../src/index.js';
import * as web from '../src/web.js';
import { arbTokenSpec, credentials, FROZEN_S, freezeClock, ourGrant, ourOptions } from './helpers.js';

// /web must mint exactly what the main entry mints, and each must verify the other's tokens.

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

async function rejection(promise: Promise<unknown>): Promise<{ code: string; path?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    expect(main.isAccessTokenError(error)).toBe(true);
    return error as { code: string; path?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('twilio-access-token/web', () => {
  test('shares the grant factories, errors and decode with the main entry (one source)', () => {
    expect(web.videoGrant).toBe(main.videoGrant);
    expect(web.AccessTokenError).toBe(main.AccessTokenError);
    expect(web.decodeAccessToken).toBe(main.decodeAccessToken);
    expect(web.credentialsFromEnv).toBe(main.credentialsFromEnv);
  });

  test('createAccessToken equals the main entry for 500 random inputs, and each verifies the other (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbTokenSpec, async (spec) => {
        const grants = spec.grants.map(ourGrant);
        const options = ourOptions(spec);
        const fromWeb = await web.createAccessToken(spec.identity, grants, options);
        const fromMain = main.createAccessToken(spec.identity, grants, options);
        expect(fromWeb).toBe(fromMain);
        const secret = options.credentials.apiKeySecret;
        expect(await web.verifyAccessToken(fromMain, { apiKeySecret: secret, now: FROZEN_S })).toEqual(
          main.verifyAccessToken(fromWeb, { apiKeySecret: secret, now: FROZEN_S }),
        );
      }),
      { numRuns: 500 },
    );
  });

  test('createTokenMinter equals the main-entry minter, reusing its key', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    const mintWeb = web.createTokenMinter({ credentials, ttl: 120, region: 'au1' });
    const mintMain = main.createTokenMinter({ credentials, ttl: 120, region: 'au1' });
    for (const identity of ['a', 'b', 'c']) {
      expect(await mintWeb(identity, main.videoGrant(), { nbf: FROZEN_S })).toBe(
        mintMain(identity, main.videoGrant(), { nbf: FROZEN_S }),
      );
    }
    expect(importKey).toHaveBeenCalledTimes(1);
    importKey.mockRestore();
  });

  test('rejects with the same codes, paths and messages as the main entry', async () => {
    const cases: [string, unknown, unknown][] = [
      ['', main.videoGrant(), { credentials }],
      ['a', [], { credentials }],
      ['a', main.videoGrant(), { credentials, ttl: 0 }],
      ['a', main.videoGrant(), { credentials: { ...credentials, apiKeySid: credentials.accountSid } }],
    ];
    for (const [identity, grants, options] of cases) {
      let expected: unknown;
      try {
        main.createAccessToken(identity, grants as never, options as never);
      } catch (error) {
        expected = error;
      }
      const error = await rejection(web.createAccessToken(identity, grants as never, options as never));
      expect({ code: error.code, path: error.path, message: error.message }).toEqual({
        code: (expected as main.AccessTokenError).code,
        path: (expected as main.AccessTokenError).path,
        message: (expected as main.AccessTokenError).message,
      });
    }
  });

  test('verify rejects a wrong secret, alg none, an expired token and a future nbf', async () => {
    const token = main.createAccessToken('a', main.videoGrant(), { credentials, ttl: 60, nbf: FROZEN_S });
    const secret = credentials.apiKeySecret;
    expect((await rejection(web.verifyAccessToken(token, { apiKeySecret: 'nope' }))).code).toBe(
      'ERR_INVALID_SIGNATURE',
    );
    const none = `${Buffer.from('{"alg":"none","typ":"JWT","cty":"twilio-fpa;v=1"}').toString('base64url')}.${token.split('.')[1]}.`;
    expect((await rejection(web.verifyAccessToken(none, { apiKeySecret: secret }))).code).toBe(
      'ERR_UNSUPPORTED_ALGORITHM',
    );
    expect((await rejection(web.verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S + 60 }))).code).toBe(
      'ERR_TOKEN_EXPIRED',
    );
    expect((await rejection(web.verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S - 1 }))).code).toBe(
      'ERR_TOKEN_NOT_YET_VALID',
    );
    expect((await rejection(web.verifyAccessToken('x.y', { apiKeySecret: secret }))).code).toBe('ERR_MALFORMED_TOKEN');
  });
});
