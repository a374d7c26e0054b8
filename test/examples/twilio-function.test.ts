import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { type RunningExample, startExample } from './run-example.js';

// examples/twilio-function under the real twilio-run, started with the README's `npm start` on a
// free port; requests go to 127.0.0.1 only.

const root = new URL('../..', import.meta.url).pathname;
let example: RunningExample;
let base: string;

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/twilio-functions.cjs')), 'dist/ is missing: run `npm run build` first').toBe(true);
  example = await startExample({
    name: 'twilio-function',
    env: {},
    packages: ['twilio-run'],
    bins: { 'twilio-run': 'twilio-run/bin/twilio-run.js' },
    ready: '/token',
    prepare: (dir) =>
      writeFileSync(
        join(dir, '.env'),
        [
          `ACCOUNT_SID=${credentials.accountSid}`,
          `API_KEY=${credentials.apiKeySid}`,
          `API_SECRET=${credentials.apiKeySecret}`,
          `CONVERSATIONS_SERVICE_SID=${sid('IS')}`,
          `TWIML_APP_SID=${sid('AP')}`,
          'PASSCODE=open-sesame',
        ].join('\n'),
      ),
  });
  base = example.base;
}, 60_000);

afterAll(() => example?.stop());

function expectTokenBody(body: Record<string, unknown>, identity: string, room?: string) {
  expect(Object.keys(body)).toEqual(['token', 'identity', 'ttl', 'expiresAt']);
  expect(body.identity).toBe(identity);
  expect(body.ttl).toBe(3600);
  const payload = verifyAccessToken(body.token as string, { apiKeySecret: credentials.apiKeySecret });
  expect(payload.grants).toEqual({
    identity,
    video: { room: room ?? 'lobby' },
    chat: { service_sid: sid('IS') },
    voice: { incoming: { allow: true }, outgoing: { application_sid: sid('AP') } },
  });
  expect(payload.iss).toBe(credentials.apiKeySid);
  expect(payload.sub).toBe(credentials.accountSid);
  expect(body.expiresAt).toBe(new Date(payload.exp * 1000).toISOString());
}

describe('examples/twilio-function under twilio-run', () => {
  test('GET with passcode, identity and room: 200 with the documented body and CORS', async () => {
    const response = await fetch(`${base}/token?identity=alice&room=standup&passcode=open-sesame`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expectTokenBody((await response.json()) as Record<string, unknown>, 'alice', 'standup');
  });

  test('POST with a JSON body: 200', async () => {
    const response = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'bob', passcode: 'open-sesame' }),
    });
    expect(response.status).toBe(200);
    expectTokenBody((await response.json()) as Record<string, unknown>, 'bob');
  });

  test('POST with a form body: 200', async () => {
    const response = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'identity=carol&passcode=open-sesame&room=r2',
    });
    expect(response.status).toBe(200);
    expectTokenBody((await response.json()) as Record<string, unknown>, 'carol', 'r2');
  });

  test('a wrong passcode: 401, with CORS and no token', async () => {
    const response = await fetch(`${base}/token?identity=alice&passcode=guess`);
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: { code: 'ERR_UNAUTHORIZED', message: 'Not authorized to get a token' },
    });
  });

  test('an invalid room from the request: 400 ERR_INVALID_GRANT with CORS, no secret', async () => {
    const response = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'dave', passcode: 'open-sesame', room: '' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const text = await response.text();
    expect(text).not.toContain(credentials.apiKeySecret);
    expect(JSON.parse(text).error.code).toBe('ERR_INVALID_GRANT');
  });
});
