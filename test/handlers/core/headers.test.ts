import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalizeHeaders } from '../../../src/handlers/core/headers.js';
import type { TokenRequest } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createLambdaHandler, type LambdaEvent } from '../../../src/handlers/lambda/index.js';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';

// One header normaliser for every adapter: lower-case names, repeated values joined, the first
// source naming a header wins, and prototype-named headers are own properties like any other.

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('normalizeHeaders', () => {
  test('lower-cases names, joins arrays, skips undefined and null, first source wins', () => {
    const headers = normalizeHeaders(
      { 'X-Multi': ['a', 'b'], Skip: undefined },
      { 'x-multi': 'later', Origin: 'https://a.example', Nothing: null },
      undefined,
      null,
    );
    expect(headers).toEqual({ 'x-multi': 'a, b', origin: 'https://a.example' });
  });

  test.each(PROTO_NAMES)('a header named %s is an own property and leaves the prototype alone', (name) => {
    const source = JSON.parse(`{${JSON.stringify(name)}:"v1",${JSON.stringify(name.toUpperCase())}:"v2"}`);
    const headers = normalizeHeaders(source);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.hasOwn(headers, name.toLowerCase())).toBe(true);
    expect(Object.getOwnPropertyDescriptor(headers, name.toLowerCase())?.value).toBe('v1');
    expect(Object.keys(headers)).toEqual([name.toLowerCase()]);
  });

  test('any names and values: every lower-cased name once, with the first value given for it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom(...PROTO_NAMES)), fc.string()), { maxLength: 20 }),
        (pairs) => {
          const sources = pairs.map(([name, value]) =>
            JSON.parse(`{${JSON.stringify(name)}:${JSON.stringify(value)}}`),
          );
          const headers = normalizeHeaders(...sources);
          const expected = new Map<string, string>();
          for (const [name, value] of pairs)
            if (!expected.has(name.toLowerCase())) expected.set(name.toLowerCase(), value);
          expect(Object.keys(headers).sort()).toEqual([...expected.keys()].sort());
          for (const [name, value] of expected)
            expect(Object.getOwnPropertyDescriptor(headers, name)?.value).toBe(value);
        },
      ),
    );
  });
});

describe('adapters hand identify the normalised headers', () => {
  const seen = (): { headers?: TokenRequest['headers'] } => ({});

  test('fetch: a header named __proto__ or constructor reaches identify as its own property', async () => {
    const box = seen();
    const handler = createFetchHandler({
      identify: (request) => {
        box.headers = request.headers;
        return 'alice';
      },
      grants: videoGrant(),
      credentials,
    });
    const headers = new Headers([
      ['__proto__', 'p'],
      ['Constructor', 'c'],
      ['X-Twice', 'a'],
    ]);
    headers.append('x-twice', 'b');
    const response = await handler(new Request('https://example.test/token', { headers }));
    expect(response.status).toBe(200);
    expect(Object.getOwnPropertyDescriptor(box.headers, '__proto__')?.value).toBe('p');
    expect(box.headers?.constructor).toBe('c');
    expect(box.headers?.['x-twice']).toBe('a, b');
  });

  test('lambda: multi-value headers first, then headers, then cookies; any case', async () => {
    const box = seen();
    const handler = createLambdaHandler({
      identify: (request) => {
        box.headers = request.headers;
        return 'alice';
      },
      grants: videoGrant(),
      credentials,
    });
    const event = {
      httpMethod: 'GET',
      path: '/token',
      multiValueHeaders: { 'X-Multi': ['a', 'b'] },
      headers: { 'x-multi': 'ignored', Constructor: 'c', Origin: 'https://a.example' },
      cookies: ['s=1', 't=2'],
    } as unknown as LambdaEvent;
    const result = await handler(event, {});
    expect(result.statusCode).toBe(200);
    expect(box.headers).toEqual({
      'x-multi': 'a, b',
      constructor: 'c',
      origin: 'https://a.example',
      cookie: 's=1; t=2',
    });
  });

  test('twilio functions: names lower-cased, arrays joined', async () => {
    const box = seen();
    const fn = createTwilioFunction({
      identify: (request) => {
        box.headers = request.headers;
        return 'alice';
      },
      grants: videoGrant(),
      credentials,
    });
    await new Promise<void>((resolve) =>
      fn({}, { request: { headers: { 'X-Multi': ['a', 'b'], ToString: 't' } } }, () => resolve()),
    );
    expect(box.headers).toEqual({ 'x-multi': 'a, b', tostring: 't' });
  });
});
