import { createRequire } from 'node:module';
import { describe, expect, test, vi } from 'vitest';
import { nodeSigner } from '../../src/crypto/node-signer.js';

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
