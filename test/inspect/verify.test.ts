import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAccessToken, verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials, expectError, FROZEN_S, freezeClock } from '../helpers.js';

const secret = credentials.apiKeySecret;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const swapSegment = (token: string, index: number, value: string) => {
  const parts = token.split('.');
  parts[index] = value;
  return parts.join('.');
};

let token: string;
beforeEach(() => {
  freezeClock();
  token = createAccessToken('alice', videoGrant({ room: 'r' }), { credentials, ttl: 600, nbf: FROZEN_S - 10 });
});
afterEach(() => vi.useRealTimers());

describe('verifyAccessToken', () => {
  test('accepts what we mint and returns the payload', () => {
    const payload = verifyAccessToken(token, { apiKeySecret: secret });
    expect(payload.grants).toEqual({ identity: 'alice', video: { room: 'r' } });
    expect(payload.exp).toBe(FROZEN_S + 600);
  });

  test.each(['HS256', 'HS384', 'HS512'] as const)('accepts %s', (algorithm) => {
    const t = createAccessToken('a', videoGrant(), { credentials, algorithm });
    expect(verifyAccessToken(t, { apiKeySecret: secret }).grants.identity).toBe('a');
  });

  test('checks against `now` in epoch seconds or a Date, with clockTolerance', () => {
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S + 599 }).iat).toBe(FROZEN_S);
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: new Date((FROZEN_S + 599) * 1000) }).iat).toBe(
      FROZEN_S,
    );
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S + 600, clockTolerance: 1 }).iat).toBe(
      FROZEN_S,
    );
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S - 10 }).iat).toBe(FROZEN_S);
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S - 15, clockTolerance: 5 }).iat).toBe(
      FROZEN_S,
    );
  });
});

describe('verifyAccessToken throws', () => {
  test('ERR_INVALID_SIGNATURE for a tampered payload', () => {
    const forged = swapSegment(
      token,
      1,
      b64({ ...verifyAccessToken(token, { apiKeySecret: secret }), grants: { identity: 'mallory', video: {} } }),
    );
    expectError(
      () => verifyAccessToken(forged, { apiKeySecret: secret }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      'Invalid signature: expected a signature by this API Key secret, received one that does not match',
    );
  });

  test('ERR_INVALID_SIGNATURE for a tampered signature, including one that differs only in unused bits', () => {
    const sig = token.split('.')[2]!;
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    expectError(
      () => verifyAccessToken(swapSegment(token, 2, flipped), { apiKeySecret: secret }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      /received one that does not match$/,
    );
    expectError(
      () => verifyAccessToken(swapSegment(token, 2, sig.slice(1)), { apiKeySecret: secret }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      /received one that does not match$/,
    );
    expectError(
      () => verifyAccessToken(swapSegment(token, 2, ''), { apiKeySecret: secret }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      /received one that does not match$/,
    );
  });

  test('ERR_INVALID_SIGNATURE for a wrong secret', () => {
    expectError(
      () => verifyAccessToken(token, { apiKeySecret: `${secret}x` }),
      'ERR_INVALID_SIGNATURE',
      'signature',
      /received one that does not match$/,
    );
  });

  const cty = 'twilio-fpa;v=1';
  test.each([
    ['none', { alg: 'none', typ: 'JWT', cty }, /received "none"$/],
    ['RS256', { alg: 'RS256', typ: 'JWT', cty }, /received "RS256"$/],
    ['a lower-case hs256', { alg: 'hs256', typ: 'JWT', cty }, /received "hs256"$/],
    [
      'an alg of 9 characters or more, described by length',
      { alg: 'HS256-XYZ', typ: 'JWT', cty },
      /received a string of 9 characters$/,
    ],
  ])('ERR_UNSUPPORTED_ALGORITHM for %s, checked before the signature', (_name, header, message) => {
    for (const sig of ['', token.split('.')[2]!]) {
      const forged = `${b64(header)}.${token.split('.')[1]}.${sig}`;
      expectError(
        () => verifyAccessToken(forged, { apiKeySecret: secret }),
        'ERR_UNSUPPORTED_ALGORITHM',
        'header.alg',
        message,
      );
    }
  });

  // The claims Twilio requires are checked before the algorithm: a header without alg is no Access Token.
  test.each([
    ['a missing alg', { typ: 'JWT', cty }, 'a header whose alg is not a string'],
    ['a numeric alg', { alg: 256, typ: 'JWT', cty }, 'a header whose alg is not a string'],
    ['a missing cty', { alg: 'HS256', typ: 'JWT' }, 'a header whose cty is not a string'],
  ])('ERR_MALFORMED_TOKEN for %s, before the signature', (_name, header, why) => {
    const forged = `${b64(header)}.${token.split('.')[1]}.${token.split('.')[2]}`;
    expectError(
      () => verifyAccessToken(forged, { apiKeySecret: secret }),
      'ERR_MALFORMED_TOKEN',
      'token',
      `Invalid token: expected a Twilio Access Token JWT, received ${why}`,
    );
  });

  test('ERR_TOKEN_EXPIRED at exp and after', () => {
    expectError(
      () => verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S + 600 }),
      'ERR_TOKEN_EXPIRED',
      'payload.exp',
      `Invalid payload.exp: expected a time after ${new Date((FROZEN_S + 600) * 1000).toISOString()}, received ${FROZEN_S + 600} (${new Date((FROZEN_S + 600) * 1000).toISOString()})`,
    );
    vi.setSystemTime((FROZEN_S + 3600) * 1000);
    expectError(
      () => verifyAccessToken(token, { apiKeySecret: secret }),
      'ERR_TOKEN_EXPIRED',
      'payload.exp',
      /^Invalid payload\.exp: expected a time after /,
    );
  });

  test('ERR_TOKEN_NOT_YET_VALID before nbf', () => {
    expectError(
      () => verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S - 11 }),
      'ERR_TOKEN_NOT_YET_VALID',
      'payload.nbf',
      `Invalid payload.nbf: expected a time before ${new Date((FROZEN_S - 11) * 1000).toISOString()}, received ${FROZEN_S - 10} (${new Date((FROZEN_S - 10) * 1000).toISOString()})`,
    );
    expectError(
      () => verifyAccessToken(token, { apiKeySecret: secret, now: FROZEN_S - 16, clockTolerance: 5 }),
      'ERR_TOKEN_NOT_YET_VALID',
      'payload.nbf',
      /^Invalid payload\.nbf/,
    );
  });

  test('ERR_MALFORMED_TOKEN before anything else', () => {
    expectError(
      () => verifyAccessToken('nope', { apiKeySecret: secret }),
      'ERR_MALFORMED_TOKEN',
      'token',
      /received 1 segment$/,
    );
  });

  test.each<[string, object, string, string]>([
    ['no secret', {}, 'ERR_INVALID_CREDENTIALS', 'options.apiKeySecret'],
    ['an empty secret', { apiKeySecret: '' }, 'ERR_INVALID_CREDENTIALS', 'options.apiKeySecret'],
    ['now in a string', { apiKeySecret: secret, now: '2026' }, 'ERR_INVALID_OPTION', 'options.now'],
    ['now in milliseconds', { apiKeySecret: secret, now: Date.now() }, 'ERR_INVALID_OPTION', 'options.now'],
    ['an invalid Date now', { apiKeySecret: secret, now: new Date('x') }, 'ERR_INVALID_OPTION', 'options.now'],
    [
      'a negative tolerance',
      { apiKeySecret: secret, clockTolerance: -1 },
      'ERR_INVALID_OPTION',
      'options.clockTolerance',
    ],
    ['an unknown option', { apiKeySecret: secret, algorithms: ['none'] }, 'ERR_INVALID_OPTION', 'options'],
    ['a misspelt option', { apiKeySecret: secret, clockTolerence: 5 }, 'ERR_INVALID_OPTION', 'options.clockTolerence'],
    ['a present undefined option', { apiKeySecret: secret, now: undefined }, 'ERR_INVALID_OPTION', 'options.now'],
  ])('for %s', (_name, options, code, path) => {
    expectError(() => verifyAccessToken(token, options as never), code as never, path, /^Invalid/);
  });
});

describe('verifyAccessToken(token, secret), a common slip', () => {
  test('names the fix without showing the secret', () => {
    const token = createAccessToken('a', videoGrant(), { credentials });
    expectError(
      () => verifyAccessToken(token, secret as never),
      'ERR_INVALID_OPTION',
      'options',
      `Invalid options: expected an options object, received a string of ${secret.length} characters. Pass the secret as { apiKeySecret }`,
    );
  });
});
