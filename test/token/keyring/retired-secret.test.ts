import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createAccessToken,
  createKeyring,
  diagnoseAccessToken,
  verifyAccessToken,
  videoGrant,
} from '../../../src/index.js';
import { verifyAccessToken as verifyWeb } from '../../../src/web.js';
import { sid } from '../../helpers.js';

// Issue 26, third attack, finding A1 (MEDIUM): verify with a keyring checked only iat >= retireAt,
// and whoever kept a retired key's secret chooses iat: iat just before retireAt and exp a day on was
// accepted for up to maxTtl after retireAt. A key with a successor now signs nothing that expires
// after its retireAt, which no token the keyring mints with it does.

const ACCOUNT = sid('AC', 'a');
const SK1 = { apiKeySid: sid('SK', '1'), apiKeySecret: 'retired-secret-qxzj2345' };
const SK2 = { apiKeySid: sid('SK', '2'), apiKeySecret: 'current-secret-qxzj6789', signFrom: 1_800_000_000 };
const keyring = createKeyring({ accountSid: ACCOUNT, keys: [SK1, SK2] });
const R = (keyring.retireAt(SK1.apiKeySid) as Date).getTime() / 1000;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function forge(iat: number, exp: number, secret = SK1.apiKeySecret, iss = SK1.apiKeySid): string {
  const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
  const payload = { jti: `${iss}-${iat}`, iss, sub: ACCOUNT, iat, exp, grants: { identity: 'mallory', video: {} } };
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

afterEach(() => vi.useRealTimers());

describe('a retired secret mints nothing the app accepts (issue 26, third attack A1)', () => {
  test('the repro: iat R-1, exp a day later, verified at R+3600 is ERR_KEY_RETIRED on main and /web', async () => {
    expect(R).toBe(1_800_000_000 + 86400);
    const token = forge(R - 1, R - 1 + 86400);
    expect(await codeOf(() => verifyAccessToken(token, { keyring, now: R + 3600 }))).toBe('ERR_KEY_RETIRED');
    expect(await codeOf(() => verifyWeb(token, { keyring, now: R + 3600 }))).toBe('ERR_KEY_RETIRED');
    let path: string | undefined;
    try {
      verifyAccessToken(token, { keyring, now: R + 3600 });
    } catch (error) {
      path = (error as { path?: string }).path;
    }
    expect(path).toBe('payload.exp');
  });

  test('diagnose: the repro is an error finding, KEY_RETIRED, not only a warning', () => {
    const d = diagnoseAccessToken(forge(R - 1, R - 1 + 86400), { keyring, now: R + 3600 });
    expect(d.ok).toBe(false);
    expect(d.findings.find((f) => f.code === 'KEY_RETIRED')).toMatchObject({ severity: 'error', path: 'payload.exp' });
    // An iat at or after retireAt too.
    const late = diagnoseAccessToken(forge(R, R + 60), { keyring, now: R + 1 });
    expect(late.findings.find((f) => f.code === 'KEY_RETIRED')?.severity).toBe('error');
    // One the keyring could have minted (exp at retireAt) has none.
    const fine = diagnoseAccessToken(forge(R - 60, R), { keyring, now: R - 30 });
    expect(fine.ok).toBe(true);
  });

  test('property: any iat and exp the attacker picks is accepted only when iat < R and exp <= R (+ tolerance)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: R - 2 * 86400, max: R + 86400 }),
        fc.integer({ min: 1, max: 86400 }),
        fc.integer({ min: 0, max: 120 }),
        async (iat, ttl, tolerance) => {
          const token = forge(iat, iat + ttl);
          const o = { keyring, now: iat, clockTolerance: tolerance };
          const retired = iat >= R + tolerance || iat + ttl > R + tolerance;
          const expected = retired ? 'ERR_KEY_RETIRED' : 'accepted';
          expect(await codeOf(() => verifyAccessToken(token, o))).toBe(expected);
          expect(await codeOf(() => verifyWeb(token, o))).toBe(expected);
        },
      ),
    );
  });

  test('property: every token the keyring mints, at any time and any ttl up to maxTtl, verifies', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: (1_800_000_000 - 3 * 86400) * 1000, max: (R + 3 * 86400) * 1000 }),
        fc.integer({ min: 1, max: 86400 }),
        (ms, ttl) => {
          vi.useFakeTimers({ toFake: ['Date'] });
          vi.setSystemTime(ms);
          const token = createAccessToken('alice', videoGrant(), { credentials: keyring, ttl });
          vi.useRealTimers();
          const payload = verifyAccessToken(token, { keyring, now: Math.floor(ms / 1000) });
          expect(payload.exp).toBeLessThanOrEqual(payload.iss === SK1.apiKeySid ? R : Number.POSITIVE_INFINITY);
        },
      ),
    );
  });
});
