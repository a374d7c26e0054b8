import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { type RunningExample, startExample } from './run-example.js';

// Each example as its README runs it: `npm start` in a copy of its folder, on 127.0.0.1, then the
// token requested the way a client would, with the example's own authentication.

const root = new URL('../..', import.meta.url).pathname;
const twilioEnv = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};
const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });

beforeAll(() => {
  expect(existsSync(join(root, 'dist/express.js')), 'dist/ is missing: run `npm run build` first').toBe(true);
});

describe('examples/express: npm start', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({
      name: 'express',
      env: { ...twilioEnv, APP_JWT_SECRET: 'x'.repeat(40) },
      packages: ['express', 'jose'],
    });
  }, 60_000);
  afterAll(() => example?.stop());

  test('logs in, then gets a token for the logged-in user only', async () => {
    const login = await fetch(`${example.base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wonderland' }),
    });
    expect(login.status).toBe(200);
    const { sessionToken } = (await login.json()) as { sessionToken: string };
    const response = await fetch(`${example.base}/token?room=standup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
      // A client naming someone else changes nothing: identity comes from the session.
      body: JSON.stringify({ identity: 'mallory' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; identity: string };
    expect(body.identity).toBe('alice');
    expect(verify(body.token).grants).toEqual({ identity: 'alice', video: { room: 'standup' } });
  });

  test.each([
    ['no session token', {}],
    ['a forged session token', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' }],
    ['"Bearer undefined"', { authorization: 'Bearer undefined' }],
  ])('%s: 401', async (_name, headers) => {
    const response = await fetch(`${example.base}/token`, { method: 'POST', headers });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
  });

  test('serves the browser page and the /client entry it imports', async () => {
    const page = await fetch(`${example.base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("import { createTokenProvider } from '/client.js'");
    const client = await fetch(`${example.base}/client.js`);
    expect(client.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await client.text()).toMatch(/export \{[^}]*createTokenProvider/);
  });

  test('a wrong password gets no session', async () => {
    const login = await fetch(`${example.base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'guess' }),
    });
    expect(login.status).toBe(401);
  });
});

describe('examples/express refuses to start without APP_JWT_SECRET', () => {
  test('npm start exits with the reason', async () => {
    await expect(startExample({ name: 'express', env: twilioEnv, packages: ['express', 'jose'] })).rejects.toThrow(
      /Set APP_JWT_SECRET/,
    );
  }, 60_000);
});

describe('examples/lambda: npm start (the handler behind a local JWT authorizer)', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({
      name: 'lambda',
      env: { ...twilioEnv, LOCAL_ID_TOKEN_SECRET: 'y'.repeat(40) },
      packages: ['jose'],
    });
  }, 60_000);
  afterAll(() => example?.stop());

  test('the identity is the verified sub from the authorizer claims', async () => {
    const id = await (await fetch(`${example.base}/dev-id-token?sub=erin`, { method: 'POST' })).text();
    const response = await fetch(`${example.base}/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${id}`, 'content-type': 'application/json' },
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
});

describe('examples/fetch: npm start (the Workers module hosted by Node)', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({
      name: 'fetch',
      env: { ...twilioEnv, TWIML_APP_SID: sid('AP'), DEVICE_KEYS: JSON.stringify({ 'dev-key-1': 'alice' }) },
    });
  }, 60_000);
  afterAll(() => example?.stop());

  test('credentials come from the env argument; a known device key gets a voice token', async () => {
    const response = await fetch(`${example.base}/token`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-key-1', origin: 'http://127.0.0.1:5173' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const { token } = (await response.json()) as { token: string };
    expect(verify(token).grants).toEqual({
      identity: 'alice',
      voice: { incoming: { allow: true }, outgoing: { application_sid: sid('AP') } },
    });
  });

  test('an unknown device key: 401', async () => {
    const response = await fetch(`${example.base}/token`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
  });
});
