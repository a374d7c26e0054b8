import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as main from '../../src/index.js';
import * as web from '../../src/web.js';
import { arbTokenSpec, credentials, FROZEN_S, freezeClock, ourGrant, ourOptions } from '../helpers.js';

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

  test('createAccessToken equals the main entry for random inputs, and each verifies the other (property)', async () => {
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

describe('runtimes: one line that names the requirement, at first use', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });
  const fresh = async () => {
    vi.resetModules();
    return { main: await import('../../src/index.js'), web: await import('../../src/web.js') };
  };
  const thrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as { code: string; message: string; name: string };
    }
    throw new Error('expected a throw');
  };
  const requirement =
    /: use twilio-access-token\/web, or better, fetch tokens from your server with twilio-access-token\/client$/;

  test('the main entry on Node older than 20.16 (no process.getBuiltinModule)', async () => {
    const { main: m } = await fresh();
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined, env: {} });
    for (const call of [
      () => m.createAccessToken('a', m.videoGrant(), { credentials }),
      () => m.createTokenMinter({ credentials }),
      () => m.verifyAccessToken(main.createAccessToken('a', main.videoGrant(), { credentials }), { apiKeySecret: 'x' }),
    ]) {
      const e = thrown(call);
      expect(e.name).toBe('AccessTokenError');
      expect(e.code).toBe('ERR_UNSUPPORTED_RUNTIME');
      expect(e.message).toMatch(
        /^twilio-access-token needs Node\.js 20\.16 or later \(this runtime has no process\.getBuiltinModule\)/,
      );
      expect(e.message).toMatch(requirement);
      expect(e.message).not.toContain('\n');
    }
  });

  test('the main entry in a browser (document exists, no process)', async () => {
    const { main: m } = await fresh();
    vi.stubGlobal('document', {});
    vi.stubGlobal('process', undefined);
    const e = thrown(() => m.createAccessToken('a', m.videoGrant(), { credentials }));
    expect(e.code).toBe('ERR_UNSUPPORTED_RUNTIME');
    expect(e.message).toMatch(
      /^The main entry of twilio-access-token runs on Node\.js 20\.16 or later, not in a browser/,
    );
    expect(e.message).toMatch(requirement);
    // Decoding needs no secret and no Node: it works there.
    const token = main.createAccessToken('a', main.videoGrant(), { credentials });
    expect(m.decodeAccessToken(token).payload.grants.identity).toBe('a');
  });

  test('/web refuses to mint or verify in a page unless dangerouslyAllowBrowser: true', async () => {
    const { web: w } = await fresh();
    vi.stubGlobal('document', {});
    const token = main.createAccessToken('a', main.videoGrant(), { credentials });
    const message =
      'Invalid options.dangerouslyAllowBrowser: expected true to sign or verify in a browser page, received a call from a page (document exists) without it. The API Key secret must not ship to a browser, where every visitor could read it and mint tokens for any identity: fetch tokens from your server with twilio-access-token/client';
    for (const attempt of [
      () => w.createAccessToken('a', w.videoGrant(), { credentials }),
      () => w.createAccessToken('a', w.videoGrant(), { credentials, dangerouslyAllowBrowser: false }),
      () => w.verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }),
    ]) {
      const e = await rejection(attempt());
      expect(e.code).toBe('ERR_INVALID_OPTION');
      expect(e.path).toBe('options.dangerouslyAllowBrowser');
      expect(e.message).toBe(message);
    }
    const e = thrown(() => w.createTokenMinter({ credentials }));
    expect(e.code).toBe('ERR_INVALID_OPTION');
    expect(e.message).toBe(message);

    expect(await w.createAccessToken('a', w.videoGrant(), { credentials, dangerouslyAllowBrowser: true })).toBe(token);
    expect(await w.createTokenMinter({ credentials, dangerouslyAllowBrowser: true })('a', w.videoGrant())).toBe(token);
    const payload = await w.verifyAccessToken(token, {
      apiKeySecret: credentials.apiKeySecret,
      dangerouslyAllowBrowser: true,
    });
    expect(payload.grants.identity).toBe('a');
    expect(w.decodeAccessToken(token).payload.grants.identity).toBe('a');
  });

  test('/web diagnoseAccessToken with a secret in a page needs dangerouslyAllowBrowser: true, as verify does', async () => {
    const { web: w } = await fresh();
    vi.stubGlobal('document', {});
    const token = main.createAccessToken('a', main.videoGrant(), { credentials });
    const now = FROZEN_S;
    for (const attempt of [
      () => w.diagnoseAccessToken(token, { apiKeySecret: credentials.apiKeySecret, now }),
      () =>
        w.diagnoseAccessToken(token, { apiKeySecret: credentials.apiKeySecret, now, dangerouslyAllowBrowser: false }),
    ]) {
      const e = await rejection(attempt());
      expect(e.code).toBe('ERR_INVALID_OPTION');
      expect(e.path).toBe('options.dangerouslyAllowBrowser');
      expect(e.message).toBe(
        'Invalid options.dangerouslyAllowBrowser: expected true to sign or verify in a browser page, received a call from a page (document exists) without it. The API Key secret must not ship to a browser, where every visitor could read it and mint tokens for any identity: fetch tokens from your server with twilio-access-token/client',
      );
    }
    // Without a secret nothing secret is at stake: no option needed.
    expect((await w.diagnoseAccessToken(token, { now })).ok).toBe(true);
    const allowed = await w.diagnoseAccessToken(token, {
      apiKeySecret: credentials.apiKeySecret,
      now,
      dangerouslyAllowBrowser: true,
    });
    expect(allowed).toMatchObject({ ok: true, findings: [] });
    const e = await rejection(w.diagnoseAccessToken(token, { now, dangerouslyAllowBrowser: 'true' as never }));
    expect(e.message).toBe('Invalid options.dangerouslyAllowBrowser: expected a boolean, received "true"');
  });

  test('/web outside a page needs no option; the option must be a real boolean', async () => {
    const { web: w } = await fresh();
    const token = main.createAccessToken('a', main.videoGrant(), { credentials });
    expect(await w.createAccessToken('a', w.videoGrant(), { credentials })).toBe(token);
    const e = await rejection(
      w.createAccessToken('a', w.videoGrant(), { credentials, dangerouslyAllowBrowser: 'true' as never }),
    );
    expect(e.code).toBe('ERR_INVALID_OPTION');
    expect(e.message).toBe('Invalid options.dangerouslyAllowBrowser: expected a boolean, received "true"');
  });

  test('a /web minter result passed on without await is named as such', async () => {
    const pending = web.createAccessToken('a', web.videoGrant(), { credentials });
    const e = thrown(() => main.decodeAccessToken(pending as never));
    expect(e.code).toBe('ERR_MALFORMED_TOKEN');
    expect(e.message).toBe('Invalid token: expected a Twilio Access Token JWT, received a Promise: missing await?');
    const v = await rejection(web.verifyAccessToken(pending as never, { apiKeySecret: credentials.apiKeySecret }));
    expect(v.message).toMatch(/received a Promise: missing await\?$/);
    await pending;
  });
});
