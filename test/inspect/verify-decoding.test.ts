import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { decodeText } from '../../src/crypto/base64url.js';
import { nodeDecode } from '../../src/crypto/node-signer.js';
import * as main from '../../src/index.js';
import * as web from '../../src/web.js';
import { credentials, FROZEN_S, freezeClock } from '../helpers.js';

// The main entry decodes token segments with Buffer, which is lenient (it skips what is not
// base64, takes '+', '/' and '='), and prepares keys once per secret. Whatever the decoder, verify
// refuses exactly what the portable decoder refuses, and checks every claim on every token.

const secret = credentials.apiKeySecret;
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sign = (input: string, key = secret, hash = 'sha256') =>
  `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' }));
const claims = {
  jti: `${credentials.apiKeySid}-${FROZEN_S}`,
  grants: { identity: 'alice', video: { room: 'r' } },
  iat: FROZEN_S,
  exp: FROZEN_S + 600,
  iss: credentials.apiKeySid,
  sub: credentials.accountSid,
};
const PAYLOAD = b64(JSON.stringify(claims));

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

/** Both entries' verdicts on a token: the payload, or the error code. */
async function verdicts(token: string, options: object = { apiKeySecret: secret }) {
  const code = (error: unknown) => (main.isAccessTokenError(error) ? error.code : String(error));
  let fromMain: unknown;
  try {
    fromMain = main.verifyAccessToken(token, options as main.VerifyOptions);
  } catch (error) {
    fromMain = code(error);
  }
  const fromWeb = await web.verifyAccessToken(token, options as main.VerifyOptions).catch(code);
  return { fromMain, fromWeb };
}

describe('the main entry decodes segments as the portable decoder does', () => {
  const spellings = (bytes: Uint8Array) => {
    const s = b64(bytes);
    return [
      s,
      `${s}=`,
      `${s}==`,
      s.replace(/-/g, '+').replace(/_/g, '/'),
      ` ${s}`,
      `${s}\n`,
      s.slice(0, -1),
      `${s}A`,
      // The unused low bits of the last character set: another spelling of the same bytes.
      s.length % 4 === 0 ? s : `${s.slice(0, -1)}${String.fromCharCode(s.charCodeAt(s.length - 1) + 1)}`,
    ];
  };

  test('any bytes, in canonical and lenient spellings: the same text or the same refusal (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        for (const segment of spellings(bytes)) expect(nodeDecode(segment)).toBe(decodeText(segment));
      }),
    );
  });

  test('any string: the same text or the same refusal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (segment) => {
        expect(nodeDecode(segment)).toBe(decodeText(segment));
      }),
    );
  });

  test.each([
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an overlong NUL', [0xe0, 0x80, 0x80]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['0xFF', [0xff]],
  ])('refuses %s: strict UTF-8, nothing replaced', (_, bad) => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bad), Buffer.from('"}')]);
    expect(nodeDecode(b64(bytes))).toBeUndefined();
    expect(decodeText(b64(bytes))).toBeUndefined();
  });
});

describe('verify refuses what only decoding can refuse, with a signature that matches', () => {
  test('a payload that is not strict UTF-8: ERR_MALFORMED_TOKEN from both entries', async () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]]) {
      const json = Buffer.from(JSON.stringify({ ...claims, grants: { identity: 'alice\u0000' } }));
      const at = json.indexOf(0);
      const bytes = Buffer.concat([json.subarray(0, at), Buffer.from(bad), json.subarray(at + 1)]);
      expect(await verdicts(sign(`${HEADER}.${b64(bytes)}`))).toEqual({
        fromMain: 'ERR_MALFORMED_TOKEN',
        fromWeb: 'ERR_MALFORMED_TOKEN',
      });
    }
  });

  // '?' and '>' encode to '_' and '-' in these positions.
  const odd = b64(JSON.stringify({ ...claims, grants: { identity: 'a???>>>~~~' } }));
  test('the payload below has both characters that differ between base64 and base64url', () => {
    expect(odd).toMatch(/-/);
    expect(odd).toMatch(/_/);
  });
  test.each([
    ['padding', `${PAYLOAD}==`],
    ["'+' and '/'", odd.replace(/-/g, '+').replace(/_/g, '/')],
    ['a space', `${PAYLOAD.slice(0, 8)} ${PAYLOAD.slice(8)}`],
  ])('a payload spelled with %s: ERR_MALFORMED_TOKEN from both entries', async (_, payload) => {
    expect(await verdicts(sign(`${HEADER}.${payload}`))).toEqual({
      fromMain: 'ERR_MALFORMED_TOKEN',
      fromWeb: 'ERR_MALFORMED_TOKEN',
    });
  });

  test('a signature spelled with its unused bits set, padding or "+": ERR_INVALID_SIGNATURE', async () => {
    const good = sign(`${HEADER}.${PAYLOAD}`);
    const signature = good.slice(good.lastIndexOf('.') + 1);
    expect(signature.length % 4).toBe(3);
    const last = signature.charCodeAt(signature.length - 1);
    const variants = [
      `${signature.slice(0, -1)}${String.fromCharCode(last % 4 === 0 ? last + 1 : last - 1)}`,
      `${signature}=`,
      signature.replace(/-/g, '+').replace(/_/g, '/'),
    ].filter((v) => v !== signature);
    expect((await verdicts(good)).fromMain).toMatchObject({ grants: claims.grants });
    for (const v of variants) {
      const token = `${HEADER}.${PAYLOAD}.${v}`;
      expect(await verdicts(token)).toEqual({ fromMain: 'ERR_INVALID_SIGNATURE', fromWeb: 'ERR_INVALID_SIGNATURE' });
    }
  });

  test('a token over 64 KiB, even with a matching signature: ERR_MALFORMED_TOKEN', async () => {
    const big = b64(JSON.stringify({ ...claims, grants: { identity: 'alice', pad: 'x'.repeat(50_000) } }));
    expect(await verdicts(sign(`${HEADER}.${big}`))).toEqual({
      fromMain: 'ERR_MALFORMED_TOKEN',
      fromWeb: 'ERR_MALFORMED_TOKEN',
    });
  });

  test('any mutation of a valid token: both entries agree, and nothing but the token passes (property)', async () => {
    const good = sign(`${HEADER}.${PAYLOAD}`);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: good.length - 1 }), fc.string({ unit: 'binary', maxLength: 3 }), async (at, s) => {
        const token = good.slice(0, at) + s + good.slice(at + 1);
        const { fromMain, fromWeb } = await verdicts(token);
        expect(fromMain).toEqual(fromWeb);
        if (typeof fromMain !== 'string') expect(token).toBe(good);
      }),
    );
  });
});

describe('the header decoded once per segment', () => {
  test('every check still runs on a token whose header was seen before', async () => {
    const good = sign(`${HEADER}.${PAYLOAD}`);
    expect(typeof (await verdicts(good)).fromMain).toBe('object');
    const expired = sign(`${HEADER}.${b64(JSON.stringify({ ...claims, exp: FROZEN_S - 1 }))}`);
    expect(await verdicts(expired)).toEqual({ fromMain: 'ERR_TOKEN_EXPIRED', fromWeb: 'ERR_TOKEN_EXPIRED' });
    const noJti = sign(`${HEADER}.${b64(JSON.stringify({ ...claims, jti: 1 }))}`);
    expect(await verdicts(noJti)).toEqual({ fromMain: 'ERR_MALFORMED_TOKEN', fromWeb: 'ERR_MALFORMED_TOKEN' });
    expect(await verdicts(good, { apiKeySecret: 'another-secret' })).toEqual({
      fromMain: 'ERR_INVALID_SIGNATURE',
      fromWeb: 'ERR_INVALID_SIGNATURE',
    });
  });

  test('a decoded header is frozen, whether or not it was decoded before', () => {
    const token = sign(`${HEADER}.${PAYLOAD}`);
    const first = main.decodeAccessToken(token).header;
    const second = main.decodeAccessToken(token).header;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(second)).toBe(true);
    expect(second).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
  });

  test('a header holding an object is decoded afresh each time: changing one result changes no other', () => {
    const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1', x: { y: 1 } }));
    const token = sign(`${header}.${PAYLOAD}`);
    const first = main.decodeAccessToken(token).header as unknown as { x: { y: number } };
    first.x.y = 2;
    expect((main.decodeAccessToken(token).header as unknown as { x: { y: number } }).x.y).toBe(1);
  });
});

describe('keys prepared once per secret', () => {
  test('many secrets and algorithms in turn: each token verifies with its own secret only', () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-number-${i}`);
    const algorithms = [
      ['HS256', 'sha256'],
      ['HS384', 'sha384'],
      ['HS512', 'sha512'],
    ] as const;
    for (let round = 0; round < 2; round++) {
      for (const [i, s] of secrets.entries()) {
        const [alg, hash] = algorithms[i % 3]!;
        const h = b64(JSON.stringify({ alg, typ: 'JWT', cty: 'twilio-fpa;v=1' }));
        const token = sign(`${h}.${PAYLOAD}`, s, hash);
        expect(main.verifyAccessToken(token, { apiKeySecret: s }).grants).toEqual(claims.grants);
        expect(() => main.verifyAccessToken(token, { apiKeySecret: secrets[(i + 1) % secrets.length]! })).toThrow(
          expect.objectContaining({ code: 'ERR_INVALID_SIGNATURE' }),
        );
      }
    }
  });
});

describe('options read into a snapshot whose chain has no Object.prototype', () => {
  const POLLUTED = ['now', 'clockTolerance', 'keyring', 'apiKeySecret', 'dangerouslyAllowBrowser'] as const;
  afterEach(() => {
    for (const key of POLLUTED) delete (Object.prototype as Record<string, unknown>)[key];
  });

  test('a polluted Object.prototype changes nothing verify reads', async () => {
    const token = sign(`${HEADER}.${PAYLOAD}`);
    const proto = Object.prototype as Record<string, unknown>;
    proto.now = FROZEN_S + 10_000;
    proto.clockTolerance = -1;
    proto.keyring = {};
    proto.dangerouslyAllowBrowser = 'yes';
    expect((await verdicts(token)).fromMain).toMatchObject({ grants: claims.grants });
    proto.apiKeySecret = secret;
    expect((await verdicts(token, {})).fromMain).toBe('ERR_INVALID_CREDENTIALS');
  });
});

describe('after an outside attack', () => {
  const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
  const withBom = (json: string) => b64(new Uint8Array([...BOM, ...new TextEncoder().encode(json)]));

  test.each([
    [
      'header',
      () => sign(`${withBom(JSON.stringify({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' }))}.${PAYLOAD}`),
    ],
    ['payload', () => sign(`${HEADER}.${withBom(JSON.stringify(claims))}`)],
  ])(
    'a leading byte-order mark in the %s is a malformed token (a second spelling of the same claims)',
    async (_, token) => {
      for (const verify of [main.verifyAccessToken, web.verifyAccessToken]) {
        let code: string | undefined;
        try {
          await verify(token(), { apiKeySecret: secret, dangerouslyAllowBrowser: true } as never);
        } catch (error) {
          code = (error as { code?: string }).code;
        }
        expect(code).toBe('ERR_MALFORMED_TOKEN');
      }
    },
  );

  test('an nbf on a polluted Object.prototype is no claim of the token', async () => {
    const token = sign(`${HEADER}.${PAYLOAD}`);
    const proto = Object.prototype as Record<string, unknown>;
    proto.nbf = 9_999_999_999;
    try {
      expect(main.verifyAccessToken(token, { apiKeySecret: secret }).iss).toBe(credentials.apiKeySid);
      expect((await web.verifyAccessToken(token, { apiKeySecret: secret, dangerouslyAllowBrowser: true })).iss).toBe(
        credentials.apiKeySid,
      );
    } finally {
      delete proto.nbf;
    }
  });

  test.each(['fake\uD800secret-qxzj2345', 'fake\uDC00secret-qxzj2345', 'fake-secret-qxzj2345\uDBFF'])(
    'a secret with a lone surrogate (%#) is refused: it would sign like every secret differing only there',
    (bad) => {
      const expectRefused = (run: () => unknown) => {
        let thrown: unknown;
        try {
          run();
        } catch (error) {
          thrown = error;
        }
        expect((thrown as { code?: string }).code).toBe('ERR_INVALID_CREDENTIALS');
        expect((thrown as Error).message).toMatch(/with a lone surrogate at index \d+/);
      };
      expectRefused(() =>
        main.createAccessToken('alice', main.videoGrant(), { credentials: { ...credentials, apiKeySecret: bad } }),
      );
      expectRefused(() => main.verifyAccessToken(sign(`${HEADER}.${PAYLOAD}`), { apiKeySecret: bad }));
    },
  );
});
