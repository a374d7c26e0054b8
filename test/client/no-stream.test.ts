import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider } from '../../src/client.js';
import { HOUR, tokenFor, tokenWith, useFakeClock } from './fakes.js';

// React Native's fetch answers with a Response that has no body stream (`body` is undefined; only
// `text()` reads it), and Hermes has no TextDecoder before React Native 0.85. The 64 KiB cap holds
// there too, whatever Content-Length says, and tokens decode without TextDecoder.

useFakeClock();

const LIMIT = 65_536;

/** A Response as React Native's fetch makes it: no `body`, `text()` only. */
function streamless(text: string, headers: Record<string, string> = {}, status = 200) {
  return { status, ok: status >= 200 && status < 300, headers: new Headers(headers), text: async () => text };
}

/** A provider over one streamless answer; resolves with the token or the error. */
async function outcome(text: string, headers?: Record<string, string>): Promise<unknown> {
  const fetch = vi.fn(async () => streamless(text, headers)) as unknown as typeof globalThis.fetch;
  const provider = createTokenProvider({ url: 'https://example.test/token', fetch });
  try {
    return await provider.getToken().catch((error: unknown) => error);
  } finally {
    provider.stop();
  }
}

/** The endpoint's JSON, padded with a string of `pad` to exactly `bytes` UTF-8 bytes. */
function bodyOfBytes(bytes: number, pad: string): string {
  const token = tokenFor(HOUR);
  const base = JSON.stringify({ token, ttl: HOUR, pad: '' });
  const padBytes = new TextEncoder().encode(pad).length;
  const room = bytes - base.length;
  const text = JSON.stringify({ token, ttl: HOUR, pad: pad.repeat(Math.floor(room / padBytes)) });
  const short = bytes - new TextEncoder().encode(text).length;
  return `${text}${' '.repeat(short)}`;
}

describe('a response without a body stream (React Native)', () => {
  test('is read with text()', async () => {
    const token = tokenFor(HOUR);
    expect(await outcome(JSON.stringify({ token, ttl: HOUR }))).toBe(token);
  });

  test.each([
    ['ASCII', 'a'],
    ['two-byte characters', 'é'],
    ['three-byte characters', '漢'],
    ['four-byte characters', '😀'],
  ])('of exactly 64 KiB in %s is accepted; one byte more is ERR_RESPONSE_TOO_LARGE', async (_name, pad) => {
    const exact = bodyOfBytes(LIMIT, pad);
    expect(new TextEncoder().encode(exact).length).toBe(LIMIT);
    expect(await outcome(exact)).toMatch(/\./);
    expect(await outcome(`${exact} `)).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
  });

  test.each([
    ['missing', {}],
    ['lying small', { 'content-length': '10' }],
    ['zero', { 'content-length': '0' }],
    ['not a number', { 'content-length': 'abc' }],
  ])('over 64 KiB with a Content-Length %s is refused by its UTF-8 length', async (_name, headers) => {
    // 30,000 three-byte characters: 90,000 bytes in 30,000 UTF-16 units.
    expect(await outcome(bodyOfBytes(90_000, '漢'), headers)).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
  });

  test('a Content-Length over 64 KiB is refused before text() is called', async () => {
    const text = vi.fn(async () => '{}');
    const fetch = vi.fn(async () => ({
      status: 200,
      ok: true,
      headers: new Headers({ 'content-length': String(LIMIT + 1) }),
      text,
    })) as unknown as typeof globalThis.fetch;
    const provider = createTokenProvider({ url: 'https://example.test/token', fetch });
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE' });
    expect(text).not.toHaveBeenCalled();
    provider.stop();
  });

  test('an empty body is ERR_NO_BODY', async () => {
    expect(await outcome('')).toMatchObject({ code: 'ERR_NO_BODY' });
  });

  test('a non-2xx answer is ERR_HTTP_STATUS without reading it', async () => {
    const fetch = vi.fn(async () => streamless('{}', {}, 503)) as unknown as typeof globalThis.fetch;
    const provider = createTokenProvider({ url: 'https://example.test/token', fetch });
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'ERR_HTTP_STATUS', status: 503 });
    provider.stop();
  });
});

describe('without TextDecoder (Hermes before React Native 0.85)', () => {
  test('property: a token for any identity is checked against it, from a stream or from text()', async () => {
    vi.stubGlobal('TextDecoder', undefined);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 7 }),
        async (identity, stream, chunk) => {
          const token = tokenWith({ iat: 1_000_000, exp: 1_000_000 + HOUR, grants: { identity } });
          const json = JSON.stringify({ token, identity, ttl: HOUR });
          const bytes = new TextEncoder().encode(json);
          // A stream split at every `chunk` bytes cuts multi-byte characters in two.
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
              controller.close();
            },
          });
          const fetch = (async () =>
            stream ? new Response(body) : streamless(json)) as unknown as typeof globalThis.fetch;
          const provider = createTokenProvider({ url: 'https://example.test/token', fetch, identity });
          try {
            expect(await provider.getToken()).toBe(token);
          } finally {
            provider.stop();
          }
        },
      ),
    );
  });

  test('a token whose payload is not UTF-8 is ERR_NO_TOKEN', async () => {
    vi.stubGlobal('TextDecoder', undefined);
    const payload = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64url');
    const fetchToken = async () => `h.${payload}.s`;
    const provider = createTokenProvider({ fetchToken });
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'ERR_NO_TOKEN' });
    provider.stop();
  });
});
