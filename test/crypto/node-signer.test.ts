import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { nodeMintSigner, nodeSigner } from '../../src/crypto/node-signer.js';

const signatureMatches = nodeSigner.matches;

// sign-node loads node:crypto with process.getBuiltinModule, which returns the same (mutable) CJS
// module object as require, so a spy on that object sees the calls.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

describe('nodeSigner.matches', () => {
  const input = 'header.payload';
  const good = crypto.createHmac('sha256', 'k').update(input).digest('base64url');

  test('compares with crypto.timingSafeEqual', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    expect(signatureMatches('HS256', 'k', input, good)).toBe(true);
    expect(signatureMatches('HS256', 'k', input, `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  test('rejects a different length without comparing', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    expect(signatureMatches('HS256', 'k', input, good.slice(1))).toBe(false);
    expect(signatureMatches('HS512', 'k', input, good)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('nodeMintSigner.hmac', () => {
  const HASHES = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
  const algorithms = ['HS256', 'HS384', 'HS512'] as const;

  test('is createHmac’s MAC for any secret and input, on either path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...algorithms),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }),
          fc.string({ minLength: 120, maxLength: 140 }),
        ),
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300, unit: 'binary' })),
        (algorithm, secret, input) => {
          const expected = crypto.createHmac(HASHES[algorithm], secret).update(input).digest('base64url');
          expect(nodeMintSigner.hmac(algorithm, secret)(input)).toBe(expected);
          expect(nodeSigner.hmac(algorithm, secret)(input)).toBe(expected);
          expect(signatureMatches(algorithm, secret, input, expected)).toBe(true);
        },
      ),
    );
  });

  test.each(algorithms)(
    'signs with a Twilio-shaped secret through two one-shot hashes, not an Hmac (%s)',
    (algorithm) => {
      const createHmac = vi.spyOn(crypto, 'createHmac');
      const hash = vi.spyOn(crypto, 'hash');
      const secret = `pads-${algorithm}-0123456789abcdef0123456`;
      const mac = nodeMintSigner.hmac(algorithm, secret)('header.payload');
      expect(mac).toBe(crypto.createHmac(HASHES[algorithm], secret).update('header.payload').digest('base64url'));
      expect(createHmac).toHaveBeenCalledTimes(1); // the expected value above
      expect(hash).toHaveBeenCalled();
      createHmac.mockRestore();
      hash.mockRestore();
    },
  );

  test.each([
    ['a secret outside printable ASCII', 'sécret-0123456789abcdef0123456789'],
    ['a secret longer than a block', 'x'.repeat(129)],
  ])('falls back to createHmac for %s', (_name, secret) => {
    const createHmac = vi.spyOn(crypto, 'createHmac');
    const mac = nodeMintSigner.hmac('HS512', secret)('header.payload');
    expect(createHmac).toHaveBeenCalledTimes(1);
    expect(mac).toBe(crypto.createHmac('sha512', secret).update('header.payload').digest('base64url'));
    createHmac.mockRestore();
  });
});
