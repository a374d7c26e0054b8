import { describe, expect, test } from 'vitest';
import { createTokenProvider, TOKEN_FETCH_ERRORS, type TokenFetchError } from '../../src/client.js';
import { HOUR, tokenFor, tokenWith, useFakeClock } from './fakes.js';

// attack4 (round: ERR_NO_TOKEN for a response without a token). A hostile or misconfigured server
// answering 200 with something that is not the handler's JSON. Was failing where marked: a
// 200 whose body is not JSON (an HTML login page from a proxy or an SSO gateway, the most common
// "no token" answer there is) or not UTF-8 reaches onError and getToken() as a bare SyntaxError /
// URIError ("URI malformed") without a `code`, not as the TokenFetchError ERR_NO_TOKEN that a JSON
// body without a token gets; code switching on error.code (as the TSDoc example does) misses it.
//
// Repro: createTokenProvider({ url: '/token', fetch: async () => new Response('<html>login</html>') })
//          .getToken()  -> rejects with SyntaxError: Unexpected token '<' ... (no code)

useFakeClock();

async function errorOf(response: () => Response): Promise<TokenFetchError> {
  const provider = createTokenProvider({ url: '/token', fetch: async () => response() });
  const seen: unknown[] = [];
  provider.onError((e) => seen.push(e));
  const error = await provider.getToken().then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as TokenFetchError,
  );
  provider.stop();
  expect(seen[0]).toBe(error);
  return error;
}

const codes = Object.keys(TOKEN_FETCH_ERRORS);

describe('client: 200 answers without a token carry a TokenFetchError code (attack4)', () => {
  test('an HTML page (a proxy login page) is ERR_NO_TOKEN', async () => {
    const e = await errorOf(
      () => new Response('<!doctype html><title>Sign in</title>', { headers: { 'content-type': 'text/html' } }),
    );
    expect(codes, `${e.name}: ${e.message}`).toContain(e.code);
    expect(e.code).toBe('ERR_NO_TOKEN');
  });

  test('a body that is not UTF-8 is a coded failure, not "URI malformed"', async () => {
    const e = await errorOf(() => new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    expect(codes, `${e.name}: ${e.message}`).toContain(e.code);
  });

  test('JSON that is not an object with a token: ERR_NO_TOKEN (holds)', async () => {
    for (const body of ['null', '[]', '"x"', '{"token":null}', '{"token":["a.b.c"]}', '{"tok":"a.b.c"}', '42']) {
      const e = await errorOf(() => new Response(body));
      expect(e.code, body).toBe('ERR_NO_TOKEN');
    }
  });

  test('exp - iat out of range, NaN-making or fractional-huge: ERR_TOKEN_LIFETIME or ERR_NO_TOKEN (holds)', async () => {
    for (const claims of [
      { iat: 0, exp: 0 },
      { iat: 10, exp: 5 },
      { iat: 0, exp: 86_401 },
      { iat: 1e308, exp: Number.MAX_VALUE },
      { iat: '0', exp: '3600' },
      { iat: 0, exp: 0.5 },
      { iat: null, exp: 3600 },
    ]) {
      const e = await errorOf(() => new Response(JSON.stringify({ token: tokenWith(claims) })));
      expect(['ERR_TOKEN_LIFETIME', 'ERR_NO_TOKEN'], JSON.stringify(claims)).toContain(e.code);
    }
  });

  test('a large body without Content-Length, streamed: ERR_RESPONSE_TOO_LARGE, the stream cancelled (holds)', async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16_384).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const e = await errorOf(() => new Response(stream));
    expect(e.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(pulled).toBeLessThan(10);
    expect(cancelled).toBe(true);
  });

  test('a good token after all that still works (sanity)', async () => {
    const provider = createTokenProvider({
      url: '/token',
      fetch: async () => new Response(JSON.stringify({ token: tokenFor(HOUR, 'alice') })),
    });
    await expect(provider.getToken()).resolves.toMatch(/\./);
    provider.stop();
  });
});

// attack4, was failing (LOW): the 64 KiB cap is checked between chunks, after every byte of a
// chunk was appended one at a time, so a single large chunk is read whole first (a 64 MiB chunk
// from a custom `fetch`, a Service Worker or a cached body: ~13 s of main-thread CPU here before
// ERR_RESPONSE_TOO_LARGE). The count of bytes iterated shows it without a clock.
//
// Repro: createTokenProvider({ url: '/t', fetch: async () => new Response(new ReadableStream({
//          start(c) { c.enqueue(new Uint8Array(64 << 20)); c.close(); } })) }).getToken()
describe('client: one large chunk (attack4)', () => {
  test('a single 1 MiB chunk is refused without iterating every byte of it', async () => {
    let iterated = 0;
    class Counting extends Uint8Array {
      override *[Symbol.iterator](): ArrayIterator<number> {
        for (let i = 0; i < this.length; i++) {
          iterated++;
          yield this[i] as number;
        }
      }
    }
    const chunk = new Counting(1 << 20).fill(0x20);
    const e = await errorOf(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(chunk);
              controller.close();
            },
          }),
        ),
    );
    expect(e.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(iterated).toBeLessThanOrEqual(65_537);
  });
});
