import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAccessToken, isAccessTokenError, playbackGrant, videoGrant, voiceGrant } from '../src/index.js';
import { isSid } from '../src/validate.js';
import { credentials, sid } from './helpers.js';

// Property tests for the validators: each accepts exactly what its rule says, and rejects
// everything else with an AccessTokenError of the right code (never another exception).

function outcome(fn: () => unknown): 'ok' | string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
    return error.code;
  }
}

// mint(options) uses identity 'a'; mint(options, identity) passes it as given, undefined included.
const mint = (options: object, ...identity: [unknown?]) =>
  outcome(() =>
    createAccessToken((identity.length > 0 ? identity[0] : 'a') as string, videoGrant(), { credentials, ...options }),
  );

// biome-ignore lint/suspicious/noControlCharactersInRegex: the identity rule is about these
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const hexOrNot = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEFgxZ-'.split('')),
  minLength: 30,
  maxLength: 34,
});

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
      { numRuns: 2000 },
    );
  });

  test('ttl: accepted exactly when an integer from 1 to 86400', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.double(), fc.anything()), (ttl) => {
        const valid = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 1 && ttl <= 86_400;
        // A present key with the value undefined is refused like any other invalid value.
        expect(mint({ ttl })).toBe(valid ? 'ok' : 'ERR_INVALID_OPTION');
      }),
      { numRuns: 1000 },
    );
  });

  test('region: accepted exactly when two lower-case letters and a digit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[a-zA-Z]{1,3}[0-9]{0,2}$/), fc.string(), fc.anything()), (region) => {
        const valid = typeof region === 'string' && /^[a-z]{2}[0-9]$/.test(region);
        expect(mint({ region })).toBe(valid ? 'ok' : 'ERR_INVALID_OPTION');
      }),
      { numRuns: 1000 },
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
      { numRuns: 1000 },
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
      { numRuns: 500 },
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
      { numRuns: 500 },
    );
  });
});
