import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  createAccessToken,
  createTokenMinter,
  isAccessTokenError,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { arbSecret, arbSid } from '../helpers.js';

// Secrets never leak: random invalid input, random secret; only AccessTokenError is thrown, and the
// secret is in none of message, stack, path, String(err) or JSON.stringify(err).

const invalidIdentity = fc.oneof(
  fc.anything().filter((v) => typeof v !== 'string'),
  fc.constant(''),
  fc.string({ minLength: 257, maxLength: 300 }),
  fc.string({ maxLength: 20 }).map((s) => `${s}\n`),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0x7f, max: 0x9f }))
    .map(([s, c]) => s + String.fromCharCode(c)),
);
const invalidTtl = fc
  .anything()
  .filter((v) => v !== undefined && !(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 86_400));
const invalidRegion = fc
  .anything()
  .filter((v) => v !== undefined && !(typeof v === 'string' && /^[a-z]{2}[0-9]$/.test(v)));

type Case = (secret: string) => unknown;

const arbCase: fc.Arbitrary<Case> = fc.oneof(
  // The secret where a SID belongs (swapped arguments), or a broken SID next to it.
  fc.record({ account: fc.oneof(arbSid('AC'), fc.string()), field: fc.constantFrom('accountSid', 'apiKeySid') }).map(
    ({ account, field }): Case =>
      (secret) =>
        createAccessToken('alice', videoGrant(), {
          credentials: { accountSid: account, apiKeySid: `SK${'0'.repeat(32)}`, apiKeySecret: secret, [field]: secret },
        }),
  ),
  arbSid('SK').map(
    (apiKeySid): Case =>
      (secret) =>
        createTokenMinter({ credentials: { accountSid: `SK${secret}`, apiKeySid, apiKeySecret: secret } }),
  ),
  fc.tuple(arbSid('AC'), arbSid('SK'), invalidIdentity).map(
    ([accountSid, apiKeySid, identity]): Case =>
      (secret) =>
        createAccessToken(identity as string, videoGrant(), {
          credentials: { accountSid, apiKeySid, apiKeySecret: secret },
        }),
  ),
  fc.tuple(arbSid('AC'), arbSid('SK'), fc.anything()).map(
    ([accountSid, apiKeySid, grants]): Case =>
      (secret) =>
        createAccessToken('alice', grants as never, { credentials: { accountSid, apiKeySid, apiKeySecret: secret } }),
  ),
  fc.tuple(arbSid('AC'), arbSid('SK'), invalidTtl, invalidRegion, fc.boolean()).map(
    ([accountSid, apiKeySid, ttl, region, which]): Case =>
      (secret) =>
        createAccessToken('alice', videoGrant(), {
          credentials: { accountSid, apiKeySid, apiKeySecret: secret },
          ...(which ? { ttl: ttl as number } : { region: region as string }),
        }),
  ),
  fc.tuple(arbSid('AC'), arbSid('SK'), fc.anything()).map(
    ([accountSid, apiKeySid, params]): Case =>
      (secret) =>
        createTokenMinter({ credentials: { accountSid, apiKeySid, apiKeySecret: secret } })('alice', [
          videoGrant(),
          voiceGrant({
            outgoingApplicationSid: `AP${'0'.repeat(32)}`,
            outgoingApplicationParams: { secret, bad: params, fn: () => secret },
          }),
        ]),
  ),
  fc.tuple(arbSid('AC'), arbSid('SK'), fc.nat({ max: 200 }), fc.string({ minLength: 1, maxLength: 3 })).map(
    ([accountSid, apiKeySid, at, junk]): Case =>
      (secret) => {
        const token = createAccessToken('alice', videoGrant(), {
          credentials: { accountSid, apiKeySid, apiKeySecret: secret },
        });
        const i = at % token.length;
        return verifyAccessToken(`${token.slice(0, i)}${junk}${token.slice(i + 1)}`, { apiKeySecret: secret });
      },
  ),
  arbSid('SK').map(
    (apiKeySid): Case =>
      (secret) =>
        verifyAccessToken(
          createAccessToken('a', videoGrant(), {
            credentials: { accountSid: `AC${'1'.repeat(32)}`, apiKeySid, apiKeySecret: `${secret}!` },
          }),
          { apiKeySecret: secret },
        ),
  ),
);

describe('errors never contain the API key secret', () => {
  test('for random invalid inputs (property)', () => {
    fc.assert(
      fc.property(arbSecret(8, 64), arbCase, (secret, run) => {
        let thrown: unknown;
        try {
          run(secret);
        } catch (error) {
          thrown = error;
        }
        // A tampered token can occasionally still verify (the junk equalled the original char).
        if (thrown === undefined) return;
        expect(isAccessTokenError(thrown)).toBe(true);
        const e = thrown as Error & { path?: string };
        for (const text of [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e)]) {
          expect(text).not.toContain(secret);
        }
      }),
    );
  });

  test('each kind of case does throw', () => {
    const runs = fc.sample(arbCase, 200);
    const thrown = runs.filter((run) => {
      try {
        run('abcdefgh12345678');
        return false;
      } catch {
        return true;
      }
    });
    expect(thrown.length).toBeGreaterThan(190);
  });
});
