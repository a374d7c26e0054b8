import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials } from '../helpers.js';
import { testBodyLimit } from './body-limit.js';
import { expectBuilt, ownLines } from './example-helpers.js';
import { type RunningExample, runExampleToExit, startExample } from './run-example.js';

// examples/lambda: the handler behind local.mjs, the stand-in for API Gateway's JWT authorizer,
// started as its README says (`npm start`) on 127.0.0.1.

const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });

beforeAll(expectBuilt);

describe('examples/lambda: npm start (the handler behind a local JWT authorizer)', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({
      name: 'lambda',
      env: {
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEY_SID: credentials.apiKeySid,
        TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
        LOCAL_ID_TOKEN_SECRET: randomBytes(32).toString('hex'),
      },
    });
  }, 180_000);
  afterAll(() => example?.stop());

  const idToken = async (sub: string) =>
    (await fetch(`${example.base}/dev-id-token?sub=${sub}`, { method: 'POST' })).text();

  test('the identity is the verified sub from the authorizer claims', async () => {
    const response = await fetch(`${example.base}/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await idToken('erin')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'mallory' }),
    });
    expect(response.status).toBe(200);
    const { token, ttl } = (await response.json()) as { token: string; ttl: number };
    expect(ttl).toBe(1800);
    expect(verify(token).grants).toEqual({ identity: 'erin', video: { room: 'standup' }, data_sync: {} });
  });

  test('without a valid ID token there is no invocation: 401', async () => {
    expect((await fetch(`${example.base}/token`, { method: 'POST' })).status).toBe(401);
  });

  testBodyLimit(
    () => example,
    '/token',
    async () =>
      (
        await fetch(`${example.base}/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await idToken('erin')}` },
        })
      ).status,
  );
});

describe('examples/lambda: local.mjs refuses to start without a real LOCAL_ID_TOKEN_SECRET', () => {
  test.each([
    ['unset', undefined],
    ['short', 'short'],
    ['one repeated character', 'y'.repeat(40)],
  ])(
    '%s: exits non-zero with one line',
    async (_name, value) => {
      const env: Record<string, string> = {
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEY_SID: credentials.apiKeySid,
        TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
      };
      if (value !== undefined) env.LOCAL_ID_TOKEN_SECRET = value;
      const { code, stdout, stderr } = await runExampleToExit({ name: 'lambda', env });
      expect(code).not.toBe(0);
      expect(ownLines(stderr)).toEqual([
        'Set LOCAL_ID_TOKEN_SECRET to at least 32 random characters (openssl rand -hex 32)',
      ]);
      expect(stdout + stderr).not.toContain(credentials.apiKeySecret);
      expect(stdout).not.toContain('listening');
    },
    30_000,
  );
});
