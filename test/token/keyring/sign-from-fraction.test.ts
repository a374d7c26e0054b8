import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createKeyring } from '../../../src/index.js';
import { sid } from '../../helpers.js';

// Issue 26, third attack, finding A2: an ISO signFrom with a fraction finer than a millisecond
// ('.000000001') was read as a whole second, because Date.parse drops the digits past the third.

const ring = (signFrom: unknown) =>
  createKeyring({
    accountSid: sid('AC', 'a'),
    keys: [
      { apiKeySid: sid('SK', '1'), apiKeySecret: 'old-secret-qxzj2345' },
      { apiKeySid: sid('SK', '2'), apiKeySecret: 'new-secret-qxzj6789', signFrom: signFrom as number },
    ],
  });

function errorOf(signFrom: unknown): { code?: string; path?: string; message: string } | undefined {
  try {
    ring(signFrom);
    return undefined;
  } catch (error) {
    return error as { code?: string; path?: string; message: string };
  }
}

describe('signFrom: no fraction, however fine (issue 26, third attack A2)', () => {
  test('the repro: .000000001 is ERR_INVALID_OPTION at its path, the value shown as given', () => {
    const value = '2027-01-01T00:00:00.000000001Z';
    const e = errorOf(value);
    expect(e?.code).toBe('ERR_INVALID_OPTION');
    expect(e?.path).toBe('keyring.keys[1].signFrom');
    expect(e?.message).toContain(`received "${value}"`);
  });

  test('property: any fraction of 1 to 9 digits is refused unless every digit is 0', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 9 }), (digits) => {
        const e = errorOf(`2027-01-01T00:00:00.${digits}Z`);
        if (/^0+$/.test(digits)) expect(e).toBeUndefined();
        else expect(e?.code).toBe('ERR_INVALID_OPTION');
      }),
    );
  });

  test('epoch seconds with a fraction: the message shows the number as given', () => {
    const e = errorOf(1800000000.001);
    expect(e?.code).toBe('ERR_INVALID_OPTION');
    expect(e?.message).toMatch(/received 1800000000\.001$/);
  });
});
