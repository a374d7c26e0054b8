import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  type Credentials,
  createAccessToken,
  createTokenMinter,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { freezeClock, sid, TwilioAccessToken } from '../helpers.js';

// attack4: the minting signer's hand-made HMAC (pads prepared once per key) against twilio-node and
// jsonwebtoken, at every secret length around the hash block (64 bytes for SHA-256, 128 for
// SHA-384/512), with the characters at the edge of the fast path's "printable ASCII" test.

// jsonwebtoken is twilio's own dependency (twilio signs with it), installed with the root devDependency.
const require = createRequire(import.meta.resolve('twilio'));
const jwt = require('jsonwebtoken') as {
  verify(token: string, secret: string, options: { algorithms: string[]; clockTimestamp: number }): unknown;
};

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

const ALGS = ['HS256', 'HS384', 'HS512'] as const;
const accountSid = sid('AC', 'a');
const apiKeySid = sid('SK', 'b');

function twilioJwt(
  secret: string,
  identity: string,
  alg: (typeof ALGS)[number],
  params?: Record<string, unknown>,
): string {
  const t = new TwilioAccessToken(accountSid, apiKeySid, secret, { identity, ttl: 3600 });
  if (params)
    t.addGrant(
      new TwilioAccessToken.VoiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params }),
    );
  else t.addGrant(new TwilioAccessToken.VideoGrant({ room: 'r' }));
  return t.toJwt(alg);
}

function ours(secret: string, identity: string, alg: (typeof ALGS)[number], params?: Record<string, unknown>): string {
  const credentials: Credentials = { accountSid, apiKeySid, apiKeySecret: secret };
  const grant = params
    ? voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params })
    : videoGrant({ room: 'r' });
  return createAccessToken(identity, grant, { credentials, algorithm: alg });
}

function check(secret: string, identity = 'alice', params?: Record<string, unknown>): void {
  for (const alg of ALGS) {
    const token = ours(secret, identity, alg, params);
    expect(token, `${alg} secret length ${secret.length}`).toBe(twilioJwt(secret, identity, alg, params));
    expect(
      createTokenMinter({ credentials: { accountSid, apiKeySid, apiKeySecret: secret }, algorithm: alg })(
        identity,
        params
          ? [voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params })]
          : [videoGrant({ room: 'r' })],
      ),
    ).toBe(token);
    expect(verifyAccessToken(token, { apiKeySecret: secret, now: new Date() }).grants.identity).toBe(identity);
    expect(() =>
      jwt.verify(token, secret, { algorithms: [alg], clockTimestamp: Math.floor(Date.now() / 1000) }),
    ).not.toThrow();
  }
}

describe('minting HMAC at the block boundaries (attack4)', () => {
  test('every length 1..260 of printable ASCII, edges " " and "~" inside', () => {
    for (let n = 1; n <= 260; n++) {
      const s = Array.from({ length: n }, (_, i) => '!~ a}Z0'.charAt(i % 7)).join('');
      const secret = `x${s.slice(1, -1)}${n > 1 ? 'y' : ''}`.slice(0, n);
      check(secret);
    }
  });

  test('lengths 63-65 and 127-129 with \\x7f, tab, é, emoji, a lone surrogate inside', () => {
    for (const n of [63, 64, 65, 127, 128, 129]) {
      for (const odd of ['\x7f', '\t', '\x80', 'é', '😀', '\u2028', '\x00']) {
        const secret = `a${odd}${'b'.repeat(Math.max(0, n - 2 - odd.length))}z`;
        check(secret);
      }
    }
  });

  test('identities and params with non-ASCII, lone surrogates, U+2028, __proto__/constructor keys', () => {
    const params = JSON.parse('{"__proto__":"p","constructor":"c","\\u2028":"\\ud800","é":"😀","k":"\\"\\\\"}');
    for (const identity of ['ali\u2028ce', 'a\ud800b', '\udfff', 'émoji😀', '"\\<>&'])
      check('s'.repeat(64), identity, params);
  });

  test('property: random secrets and identities, byte-identical to twilio-node', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(
            fc.string({ minLength: 1, maxLength: 140, unit: 'grapheme-ascii' }),
            fc.string({ minLength: 1, maxLength: 140, unit: 'binary' }),
          )
          .filter((s) => s.trim() === s && s.length > 0),
        fc
          .string({ minLength: 1, maxLength: 20, unit: 'binary' })
          // biome-ignore lint/suspicious/noControlCharactersInRegex: identities without control characters
          .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
        (secret, identity) => check(secret, identity),
      ),
      { numRuns: 150 },
    );
  });

  test('many keys in turn (past any per-key cache), each still signs with its own secret', () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-${i}-${'q'.repeat(i * 3)}`);
    for (let round = 0; round < 3; round++) for (const s of secrets) check(s);
  });

  test('a credentials object mutated between calls signs with its current secret; a minter keeps its own', () => {
    const credentials = { accountSid, apiKeySid, apiKeySecret: 'first-secret-value' };
    const minter = createTokenMinter({ credentials });
    const a = createAccessToken('alice', videoGrant({ room: 'r' }), { credentials });
    credentials.apiKeySecret = 'other-secret-value';
    const b = createAccessToken('alice', videoGrant({ room: 'r' }), { credentials });
    expect(a).toBe(twilioJwt('first-secret-value', 'alice', 'HS256'));
    expect(b).toBe(twilioJwt('other-secret-value', 'alice', 'HS256'));
    expect(minter('alice', videoGrant({ room: 'r' }))).toBe(a);
  });
});
