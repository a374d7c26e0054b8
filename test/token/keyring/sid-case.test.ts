import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAccessToken, createKeyring, verifyAccessToken, videoGrant } from '../../../src/index.js';
import { verifyAccessToken as verifyWeb } from '../../../src/web.js';
import { sid } from '../../helpers.js';

// Issue 26, third attack, finding A6: createKeyring took SKbbbb… and SKBBBB… as two keys, though a
// SID's hex is the same in either case. Duplicates are now found case-insensitively, and get,
// retireAt and verify find a key by its SID in either case; minted tokens stay byte-identical.

const ACCOUNT = sid('AC', 'a');
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
const flip = (s: string, mask: readonly boolean[]) =>
  s.replace(/[a-f]/g, (c, i: number) => (mask[i % mask.length] ? c.toUpperCase() : c));

describe('API Key SIDs compare in either case (issue 26, third attack A6)', () => {
  test('the repro: SKbbbb… and SKBBBB… are the same key listed twice', () => {
    let error: { code?: string; path?: string; message: string } | undefined;
    try {
      createKeyring({
        accountSid: ACCOUNT,
        keys: [
          { apiKeySid: `SK${'b'.repeat(32)}`, apiKeySecret: 'first-secret-qxzj2345' },
          { apiKeySid: `SK${'B'.repeat(32)}`, apiKeySecret: 'second-secret-qxzj67', signFrom: 1_800_000_000 },
        ],
      });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.code).toBe('ERR_INVALID_CREDENTIALS');
    expect(error?.path).toBe('keyring.keys[1].apiKeySid');
    expect(error?.message).toContain('the same API Key SID as keyring.keys[0]');
  });

  test('property: any two case spellings of one SID are refused as duplicates', () => {
    fc.assert(
      fc.property(hex, fc.array(fc.boolean(), { minLength: 1 }), (h, mask) => {
        expect(() =>
          createKeyring({
            accountSid: ACCOUNT,
            keys: [
              { apiKeySid: `SK${h}`, apiKeySecret: 'first-secret-qxzj2345' },
              { apiKeySid: `SK${flip(h, mask)}`, apiKeySecret: 'second-secret-qxzj67', signFrom: 1_800_000_000 },
            ],
          }),
        ).toThrow(/the same API Key SID/);
      }),
    );
  });

  test('property: get and retireAt find a key in either case; a token stays byte-identical and verifies', async () => {
    await fc.assert(
      fc.asyncProperty(hex, fc.array(fc.boolean(), { minLength: 1 }), async (h, mask) => {
        const listed = `SK${flip(h, mask)}`;
        const other = `SK${h.toUpperCase()}`;
        const ring = createKeyring({
          accountSid: ACCOUNT,
          keys: [
            { apiKeySid: listed, apiKeySecret: 'first-secret-qxzj2345' },
            { apiKeySid: sid('SK', '9'), apiKeySecret: 'later-secret-qxzj678', signFrom: 4_000_000_000 },
          ],
        });
        expect(ring.get(other)?.apiKeySid).toBe(listed);
        expect(ring.retireAt(other)).toEqual(ring.retireAt(listed));
        const options = { credentials: ring, ttl: 600 };
        const token = createAccessToken('alice', videoGrant(), options);
        const plain = createAccessToken('alice', videoGrant(), {
          credentials: { accountSid: ACCOUNT, apiKeySid: listed, apiKeySecret: 'first-secret-qxzj2345' },
          ttl: 600,
        });
        expect(token).toBe(plain);
        // A token whose iss spells the SID in the other case is signed over its own bytes: found, and checked.
        const [header] = token.split('.');
        const payload = {
          ...JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()),
          iss: other,
        };
        const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
        const signed = `${input}.${createHmac('sha256', 'first-secret-qxzj2345').update(input).digest('base64url')}`;
        expect(verifyAccessToken(signed, { keyring: ring }).iss).toBe(other);
        expect((await verifyWeb(signed, { keyring: ring })).iss).toBe(other);
      }),
      { numRuns: 30 },
    );
  });
});
