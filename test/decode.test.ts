import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAccessToken, decodeAccessToken, videoGrant } from '../src/index.js';
import { arbTokenSpec, credentials, expectError, ourGrant, ourOptions, segmentJson } from './helpers.js';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const good = { header: { alg: 'HS256' }, payload: { grants: {}, exp: 1 } };

describe('decodeAccessToken', () => {
  test('round-trips every minted token (property)', () => {
    fc.assert(
      fc.property(arbTokenSpec, (spec) => {
        const token = createAccessToken(spec.identity, spec.grants.map(ourGrant), ourOptions(spec));
        const decoded = decodeAccessToken(token);
        expect(decoded.header).toEqual(segmentJson(token, 0));
        expect(decoded.payload).toEqual(segmentJson(token, 1));
        expect(decoded.payload.grants.identity).toBe(spec.identity);
      }),
      { numRuns: 300 },
    );
  });

  test('does not verify: any signature decodes', () => {
    const token = createAccessToken('a', videoGrant(), { credentials });
    expect(decodeAccessToken(`${token.slice(0, token.lastIndexOf('.'))}.AAAA`).payload.grants.identity).toBe('a');
  });

  test('accepts surrounding whitespace from a copy-paste', () => {
    const token = createAccessToken('a', videoGrant(), { credentials });
    expect(decodeAccessToken(`  ${token}\n`).payload.grants.identity).toBe('a');
  });
});

describe('decodeAccessToken throws ERR_MALFORMED_TOKEN', () => {
  test.each<[string, unknown, string | RegExp]>([
    ['for a number', 42, 'Invalid token: expected a Twilio Access Token JWT, received 42'],
    ['for an empty string', '', /received 1 segment$/],
    ['for two segments', 'a.b', /received 2 segments$/],
    ['for four segments', 'a.b.c.d', /received 4 segments$/],
    ['for a non-base64url header', `*.${b64(good.payload)}.x`, /received a header that is not base64url UTF-8$/],
    [
      'for a padded segment',
      `${b64(good.header)}=.${b64(good.payload)}.x`,
      /received a header that is not base64url UTF-8$/,
    ],
    [
      'for a header that is not JSON',
      `${b64('not json')}.${b64(good.payload)}.x`,
      /received a header that is not JSON$/,
    ],
    [
      'for a header that is an array',
      `${b64([1])}.${b64(good.payload)}.x`,
      /received a header that is not a JSON object$/,
    ],
    [
      'for a payload that is JSON null',
      `${b64(good.header)}.${b64('null')}.x`,
      /received a payload that is not a JSON object$/,
    ],
    [
      'for invalid UTF-8',
      `${b64(good.header)}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.x`,
      /received a payload that is not base64url UTF-8$/,
    ],
    [
      'for a payload without grants',
      `${b64(good.header)}.${b64({ exp: 1 })}.x`,
      /received a payload without a grants object$/,
    ],
    [
      'for grants that are an array',
      `${b64(good.header)}.${b64({ grants: [], exp: 1 })}.x`,
      /received a payload without a grants object$/,
    ],
    [
      'for a string nbf',
      `${b64(good.header)}.${b64({ grants: {}, exp: 1, nbf: 'soon' })}.x`,
      /received a payload whose nbf is not a number$/,
    ],
    [
      'for a string exp',
      `${b64(good.header)}.${b64({ grants: {}, exp: '1' })}.x`,
      /received a payload without a numeric exp$/,
    ],
    [
      'for a standard non-Twilio JWT',
      `${b64(good.header)}.${b64({ sub: 'x', exp: 1 })}.sig`,
      /received a payload without a grants object$/,
    ],
  ])('%s', (_name, token, message) => {
    expectError(() => decodeAccessToken(token as string), 'ERR_MALFORMED_TOKEN', 'token', message);
  });
});
