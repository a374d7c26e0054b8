import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isSid } from '../../src/base/validate.js';
import {
  createAccessToken,
  createTokenMinter,
  playbackGrant,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { CONTROL, hexOrNot, mint, outcome } from './validate-fixtures.js';

// Property tests for the validators: each accepts exactly what its rule says, and rejects
// everything else with an AccessTokenError of the right code (never another exception).

describe('validators (properties)', () => {
  test('a SID is exactly its prefix and 32 hex digits', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          hexOrNot.map((h) => `AC${h}`),
          hexOrNot.map((h) => `SK${h}`),
        ),
        (value) => {
          expect(isSid(value, 'AC')).toBe(/^AC[0-9a-fA-F]{32}$/.test(value));
        },
      ),
    );
  });

  test('ttl: accepted exactly when an integer from 1 to 86400', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double(), fc.anything()), (ttl) => {
        const valid = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 1 && ttl <= 86_400;
        // A present key with the value undefined is refused like any other invalid value.
        expect(mint({ ttl })).toBe(valid ? 'ok' : 'ERR_INVALID_OPTION');
      }),
    );
  });

  test('region: accepted exactly when two lower-case letters and a digit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[a-zA-Z]{1,3}[0-9]{0,2}$/), fc.string(), fc.anything()), (region) => {
        const valid = typeof region === 'string' && /^[a-z]{2}[0-9]$/.test(region);
        expect(mint({ region })).toBe(valid ? 'ok' : 'ERR_INVALID_OPTION');
      }),
    );
  });

  test('identity: accepted exactly when 1 to 256 UTF-16 units without control characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ minLength: 250, maxLength: 260 }),
          fc.anything(),
        ),
        (identity) => {
          const valid =
            typeof identity === 'string' && identity.length >= 1 && identity.length <= 256 && !CONTROL.test(identity);
          expect(mint({}, identity)).toBe(valid ? 'ok' : 'ERR_INVALID_IDENTITY');
        },
      ),
    );
  });

  test('JSON objects (voice params, playback grants): any JSON object is kept exactly, frozen', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), (raw) => {
        const value = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
        const grant = playbackGrant({ grant: value });
        expect(JSON.stringify(grant.payload)).toBe(JSON.stringify(value));
        expect(Object.isFrozen(grant.payload)).toBe(true);
      }),
    );
  });

  test('JSON objects: anything JSON.stringify would drop or change is refused', () => {
    const notJson = fc.oneof(
      fc.constant(undefined),
      fc.constant(Number.NaN),
      fc.constant(Number.POSITIVE_INFINITY),
      fc.bigInt(),
      fc.date(),
      fc.func(fc.anything()),
      fc.constant(new Map()),
    );
    fc.assert(
      fc.property(fc.string(), notJson, fc.boolean(), (key, bad, nested) => {
        const params = nested ? { outer: [1, { [key]: bad }] } : { [key]: bad };
        expect(
          outcome(() => voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params })),
        ).toBe('ERR_INVALID_GRANT');
      }),
    );
  });
});

describe('values in messages: a string is shown only up to 8 characters', () => {
  const long = fc.string({ unit: fc.constantFrom(...'qxzjkvwy23456789QXZJ'.split('')), minLength: 9, maxLength: 40 });
  const shown = fc.string({ unit: fc.constantFrom(...'qxzjkvwy'.split('')), minLength: 1, maxLength: 8 });
  const positions: [string, (value: string) => unknown][] = [
    ['ttl', (v) => createAccessToken('a', videoGrant(), { credentials, ttl: v as never })],
    ['nbf', (v) => createAccessToken('a', videoGrant(), { credentials, nbf: v as never })],
    ['region', (v) => createAccessToken('a', videoGrant(), { credentials, region: v })],
    ['algorithm', (v) => createAccessToken('a', videoGrant(), { credentials, algorithm: v as never })],
    ['identity with a control character', (v) => createAccessToken(`${v}\n`, videoGrant(), { credentials })],
    ['identity too long', (v) => createAccessToken(v.repeat(300), videoGrant(), { credentials })],
    [
      'dangerouslyAllowBrowser',
      (v) => createAccessToken('a', videoGrant(), { credentials, dangerouslyAllowBrowser: v as never }),
    ],
    ['overrides ttl', (v) => createTokenMinter({ credentials })('a', videoGrant(), { ttl: v as never })],
    ['verify now', (v) => verifyAccessToken('a.b.c', { apiKeySecret: 'x', now: v as never })],
    ['voice incomingAllow', (v) => voiceGrant({ incomingAllow: v as never })],
    [
      'an unknown key name in mint options',
      (v) => createAccessToken('a', videoGrant(), { credentials, [v]: 1 } as never),
    ],
    ['an unknown key name in a grant', (v) => videoGrant({ [v]: 1 } as never)],
    ['a key on the path to a bad playback value', (v) => playbackGrant({ grant: { [v]: { b: Number.NaN } } })],
  ];

  test.each(positions)(
    '%s: a longer string is described by length, no 6 characters of it shown (property)',
    (_n, call) => {
      fc.assert(
        fc.property(long, (value) => {
          const e = (() => {
            try {
              call(value);
            } catch (error) {
              return error as Error & { path?: string };
            }
            throw new Error('expected a throw');
          })();
          const texts = [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e)].join('\n');
          for (let i = 0; i + 6 <= value.length; i++) expect(texts).not.toContain(value.slice(i, i + 6));
        }),
      );
    },
  );

  test('a string of at most 8 characters is shown as it is', () => {
    fc.assert(
      fc.property(shown, (value) => {
        expect(() => createAccessToken('a', videoGrant(), { credentials, region: value })).toThrow(
          `received ${JSON.stringify(value)}`,
        );
      }),
    );
  });

  test('a control character in an identity is named by code point and index', () => {
    expect(() => createAccessToken('alice-in-wonderland\u0007', videoGrant(), { credentials })).toThrow(
      'Invalid identity: expected no control characters (found U+0007 at 19), received a string of 20 characters',
    );
  });
});
