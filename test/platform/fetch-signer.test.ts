import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { webSigner } from '../../src/crypto/web-signer.js';
import { createFetchHandler } from '../../src/handlers/fetch/index.js';
import * as main from '../../src/index.js';
import { fetchMinter } from '../../src/platform/fetch.js';
import { assertCredentials } from '../../src/token/credentials.js';
import { makeValidatedMinter } from '../../src/token/validated-minter.js';
import { arbTokenSpec, credentials, freezeClock, ourGrant } from '../helpers.js';

// The /fetch handler signs with node:crypto where process.getBuiltinModule loads it (here, on Node)
// and with WebCrypto elsewhere: the same tokens, byte for byte, either way.

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

const webMinter = makeValidatedMinter(webSigner);
/** The settings a handler validated, for these credentials, ttl and region. */
const settings = (c = credentials, ttl = 3600, region?: string) => ({ credentials: assertCredentials(c), ttl, region });

describe('the fetch handler on Node', () => {
  test('signs with node:crypto: the minter answers at once, not with a Promise', () => {
    const minted = fetchMinter(settings())('alice', main.videoGrant());
    expect(minted).not.toBeInstanceOf(Promise);
    expect(minted).toEqual({
      token: main.createAccessToken('alice', main.videoGrant(), { credentials }),
      exp: expect.any(Number),
      apiKeySid: credentials.apiKeySid,
    });
  });

  test('node:crypto and WebCrypto mint the same token for random inputs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(arbTokenSpec, async (spec) => {
        const grants = spec.grants.map(ourGrant);
        // What a handler signs with: its credentials, ttl and region (no nbf, HS256).
        const s = settings(spec.credentials, spec.ttl, spec.region);
        const fromNode = fetchMinter(s)(spec.identity, grants);
        const fromWeb = await webMinter(s)(spec.identity, grants);
        expect(fromNode).toEqual(fromWeb);
        const options = {
          credentials: spec.credentials ?? credentials,
          ttl: s.ttl,
          ...(spec.region ? { region: spec.region } : {}),
        };
        expect(fromNode).toMatchObject({ token: main.createAccessToken(spec.identity, grants, options) });
      }),
    );
  });

  test('the handler answers with the token the main entry mints', async () => {
    const handler = createFetchHandler({ credentials, identify: () => 'alice', grants: main.videoGrant() });
    const response = await handler(new Request('http://127.0.0.1/token?room=a#x'));
    const body = (await response.json()) as { token: string };
    expect(response.status).toBe(200);
    expect(body.token).toBe(main.createAccessToken('alice', main.videoGrant(), { credentials, ttl: 3600 }));
  });
});

describe('where process.getBuiltinModule does not exist', () => {
  const original = process.getBuiltinModule;
  afterEach(() => {
    process.getBuiltinModule = original;
    vi.resetModules();
  });

  test('the handler signs with WebCrypto, and the token is the same', async () => {
    const expected = main.createAccessToken('alice', main.videoGrant(), { credentials, ttl: 3600 });
    vi.resetModules();
    // A fresh copy of the modules, which has not loaded node:crypto yet, in a runtime without the loader.
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    const fresh = await import('../../src/platform/fetch.js');
    // Grants from the same (fresh) copy: another copy's grant is refused.
    const { videoGrant } = await import('../../src/grants/video.js');
    const { assertCredentials: freshCredentials } = await import('../../src/token/credentials.js');
    const minted = fresh.fetchMinter({ credentials: freshCredentials(credentials), ttl: 3600, region: undefined })(
      'alice',
      videoGrant(),
    );
    expect(minted).toBeInstanceOf(Promise);
    expect((await minted).token).toBe(expected);
    const { createFetchHandler: freshHandler } = await import('../../src/handlers/fetch/index.js');
    const handler = freshHandler({ credentials, identify: () => 'alice', grants: videoGrant() });
    const body = (await (await handler(new Request('http://127.0.0.1/token'))).json()) as { token: string };
    expect(body.token).toBe(expected);
  });
});

describe('the request as the hooks see it', () => {
  const seen = async (url: string, headers: Record<string, string> = {}) => {
    let out: { query: unknown; headers: Record<string, string> } | undefined;
    const handler = createFetchHandler({
      credentials,
      identify: (r) => {
        out = { query: r.query, headers: r.headers };
        return 'alice';
      },
      grants: main.videoGrant(),
    });
    await handler(new Request(url, { headers }));
    return out as { query: Record<string, string>; headers: Record<string, string> };
  };

  test.each([
    ['http://127.0.0.1/token', {}],
    ['http://127.0.0.1/token?', {}],
    ['http://127.0.0.1/token?room=a&room=b&x=%20y', { room: 'b', x: ' y' }],
    ['http://127.0.0.1/token?a=1#frag?b=2', { a: '1' }],
    ['http://127.0.0.1/token#frag?b=2', {}],
    ['http://127.0.0.1/token?__proto__=x&constructor=y', { ['__proto__']: 'x', constructor: 'y' }],
  ])('the query of %s is what URL parsing gives', async (url, expected) => {
    const { query } = await seen(url);
    expect({ ...query }).toEqual(Object.fromEntries(new URL(url).searchParams));
    expect(Object.keys(query).sort()).toEqual(Object.keys(expected).sort());
  });

  test('headers: lower-case names, prototype names as own properties, the prototype untouched', async () => {
    const { headers } = await seen('http://127.0.0.1/token', {
      'X-Mixed-Case': 'a',
      constructor: 'c',
      toString: 't',
      authorization: 'Bearer x',
    });
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(headers['x-mixed-case']).toBe('a');
    expect(Object.getOwnPropertyDescriptor(headers, 'constructor')?.value).toBe('c');
    expect(Object.getOwnPropertyDescriptor(headers, 'tostring')?.value).toBe('t');
    expect(headers.authorization).toBe('Bearer x');
  });

  test('any header names and values reach the hooks as Headers iterate them (property)', async () => {
    const token = fc.stringMatching(/^[a-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.oneof(token, fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty')),
            fc.stringMatching(/^[ -~]{0,12}$/),
          ),
        ),
        async (pairs) => {
          const source = new Headers();
          for (const [name, value] of pairs) source.append(name, value);
          const { headers } = await seen('http://127.0.0.1/token', Object.fromEntries(source));
          const expected = new Headers(Object.fromEntries(source));
          expect(Object.keys(headers).sort()).toEqual([...expected.keys()].sort());
          for (const [name, value] of expected)
            expect(Object.getOwnPropertyDescriptor(headers, name)?.value).toBe(value);
        },
      ),
    );
  });
});
