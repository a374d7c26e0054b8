import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isSid } from '../../src/base/validate.js';
import { playbackGrant, voiceGrant } from '../../src/index.js';
import { sid } from '../helpers.js';
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
