import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAccessToken, decodeAccessToken, videoGrant } from '../../src/index.js';
import { arbTokenSpec, credentials, expectError, ourGrant, ourOptions, segmentJson } from '../helpers.js';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const good = {
  header: { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' },
  payload: {
    jti: `SK${'0'.repeat(32)}-1`,
    grants: {},
    iat: 1,
    exp: 2,
    iss: `SK${'0'.repeat(32)}`,
    sub: `AC${'0'.repeat(32)}`,
  },
};
const withPayload = (patch: Record<string, unknown>) => `${b64(good.header)}.${b64({ ...good.payload, ...patch })}.x`;
const withHeader = (patch: Record<string, unknown>) => `${b64({ ...good.header, ...patch })}.${b64(good.payload)}.x`;

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
    ['for a payload without grants', withPayload({ grants: undefined }), /received a payload without a grants object$/],
    ['for grants that are an array', withPayload({ grants: [] }), /received a payload without a grants object$/],
    [
      'for a string nbf',
      withPayload({ nbf: 'soon' }),
      /received a payload whose nbf is not an integer \(epoch seconds\)$/,
    ],
    [
      'for a string exp',
      withPayload({ exp: '1' }),
      /received a payload whose exp is not an integer \(epoch seconds\)$/,
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

describe('decodeAccessToken checks every claim Twilio requires (what the types promise)', () => {
  test.each<[string, string, string]>([
    [
      'an identity that is a number',
      withPayload({ grants: { identity: 42 } }),
      'grants whose identity is not a string',
    ],
    ['a missing iss', withPayload({ iss: undefined }), 'a payload whose iss is not a string'],
    ['a numeric sub', withPayload({ sub: 1 }), 'a payload whose sub is not a string'],
    ['a missing jti', withPayload({ jti: undefined }), 'a payload whose jti is not a string'],
    ['a missing iat', withPayload({ iat: undefined }), 'a payload whose iat is not an integer (epoch seconds)'],
    ['a fractional exp', withPayload({ exp: 1.5 }), 'a payload whose exp is not an integer (epoch seconds)'],
    ['a fractional nbf', withPayload({ nbf: 0.5 }), 'a payload whose nbf is not an integer (epoch seconds)'],
    ['a missing alg', withHeader({ alg: undefined }), 'a header whose alg is not a string'],
    ['a numeric typ', withHeader({ typ: 1 }), 'a header whose typ is not a string'],
    ['a cty that is an object', withHeader({ cty: {} }), 'a header whose cty is not a string'],
    ['a twr that is a number', withHeader({ twr: 1 }), 'a header whose twr is not a string'],
    [
      'a video grant that is a string',
      withPayload({ grants: { video: 'all' } }),
      'a video grant that is not an object',
    ],
    ['a numeric room', withPayload({ grants: { video: { room: 5 } } }), 'a video.room that is not a string'],
    [
      'a string incoming.allow',
      withPayload({ grants: { voice: { incoming: { allow: 'true' } } } }),
      'a voice.incoming.allow that is not a boolean',
    ],
    [
      'outgoing params that are an array',
      withPayload({ grants: { voice: { outgoing: { application_sid: 'AP', params: [] } } } }),
      'a voice.outgoing.params that is not an object',
    ],
    [
      'a chat service_sid that is null',
      withPayload({ grants: { chat: { service_sid: null } } }),
      'a chat.service_sid that is not a string',
    ],
    ['a player that is an array', withPayload({ grants: { player: [] } }), 'a player grant that is not an object'],
  ])('ERR_MALFORMED_TOKEN for %s', (_name, token, why) => {
    expectError(
      () => decodeAccessToken(token),
      'ERR_MALFORMED_TOKEN',
      'token',
      `Invalid token: expected a Twilio Access Token JWT, received ${why}`,
    );
  });

  test('prototype-named keys in the grants, header and payload are data, never a crash', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const grants = `{"identity":"a","${key}":{"x":1},"video":{}}`;
      const payload = JSON.stringify(good.payload).replace('"grants":{}', `"grants":${grants},"${key}":1`);
      const header = JSON.stringify(good.header).replace('}', `,"${key}":"x"}`);
      const token = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}.x`;
      const { payload: decoded } = decodeAccessToken(token);
      expect(Object.getPrototypeOf(decoded.grants)).toBe(Object.prototype);
      expect(Object.hasOwn(decoded.grants, key)).toBe(true);
      expect(decoded.grants.identity).toBe('a');
    }
    // A prototype-named claim in place of a required one does not satisfy the check.
    const noIss = `${b64(good.header)}.${b64({ ...good.payload, iss: undefined })}.x`;
    expect(() => decodeAccessToken(noIss)).toThrow(/iss is not a string/);
  });

  test('a polluted Object.prototype does not supply a missing claim', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.iss = `SK${'0'.repeat(32)}`;
    try {
      expectError(
        () => decodeAccessToken(withPayload({ iss: undefined })),
        'ERR_MALFORMED_TOKEN',
        'token',
        /iss is not a string$/,
      );
    } finally {
      delete proto.iss;
    }
  });

  test.each<[string, unknown, string]>([
    ['a Promise', Promise.resolve('a.b.c'), 'a Promise: missing await?'],
    [
      'a token endpoint response object',
      { token: {} },
      'an object with a token field (a token endpoint response: pass its token)',
    ],
    [
      'a token endpoint response as text',
      '{"token":{}}',
      'a JSON object (that looks like a token endpoint response: pass its "token" field)',
    ],
    ['a long non-token string, described by length', 'x'.repeat(40), '1 segment'],
  ])('names the slip for %s', (_name, token, why) => {
    expectError(
      () => decodeAccessToken(token as string),
      'ERR_MALFORMED_TOKEN',
      'token',
      `Invalid token: expected a Twilio Access Token JWT, received ${why}`,
    );
  });
});
