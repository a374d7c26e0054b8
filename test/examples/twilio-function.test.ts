import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { expectBuilt } from './example-helpers.js';
import { type RunningExample, startExample } from './run-example.js';

// examples/twilio-function under the real twilio-run (the example's own devDependency), started
// with the README's `npm start` on a free port; requests go to 127.0.0.1 only.

const envLines = (passcode: string | undefined) =>
  [
    `ACCOUNT_SID=${credentials.accountSid}`,
    `API_KEY=${credentials.apiKeySid}`,
    `API_SECRET=${credentials.apiKeySecret}`,
    `CONVERSATIONS_SERVICE_SID=${sid('IS')}`,
    `TWIML_APP_SID=${sid('AP')}`,
    ...(passcode === undefined ? [] : [`PASSCODE=${passcode}`]),
  ].join('\n');

const startWithPasscode = (passcode: string | undefined) =>
  startExample({
    name: 'twilio-function',
    env: {},
    ready: '/token',
    prepare: (dir) => writeFileSync(join(dir, '.env'), envLines(passcode)),
  });

let example: RunningExample;
let base: string;

beforeAll(async () => {
  expectBuilt();
  example = await startWithPasscode('open-sesame');
  base = example.base;
}, 240_000);

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

  test.each([
    ['an empty passcode', 'identity=alice&passcode='],
    ['no passcode', 'identity=alice'],
    ['the passcode twice', 'identity=alice&passcode=open-sesame&passcode=open-sesame'],
    ['the passcode with another case', 'identity=alice&passcode=Open-Sesame'],
    ['a prefix of the passcode', 'identity=alice&passcode=open'],
    ['the passcode under another name', 'identity=alice&Passcode=open-sesame'],
  ])('%s: 401', async (_name, query) => {
    const response = await fetch(`${base}/token?${query}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
  });
});

describe.each([
  ['PASSCODE= empty, as .env.example ships it', ''],
  ['PASSCODE of spaces', '   '],
  ['no PASSCODE line', undefined],
])('examples/twilio-function with %s: refuses every request', (_name, passcode) => {
  let unset: RunningExample;
  beforeAll(async () => {
    unset = await startWithPasscode(passcode);
  }, 240_000);
  afterAll(() => unset?.stop());

  test.each([
    ['an empty passcode', 'identity=alice&passcode='],
    ['no passcode', 'identity=alice'],
    ['any passcode', 'identity=alice&passcode=open-sesame'],
    ['the configured value', `identity=alice&passcode=${encodeURIComponent(passcode ?? '')}`],
  ])('%s: 500, no token', async (_name, query) => {
    const response = await fetch(`${unset.base}/token?${query}`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain('"token"');
    expect(JSON.parse(body).error.code).toBe('ERR_INTERNAL');
  });

  test('the operator gets one clear log line', async () => {
    await fetch(`${unset.base}/token?identity=alice&passcode=`);
    await expect.poll(() => unset.output(), { timeout: 5_000 }).toContain('PASSCODE is not set');
    const line = unset
      .output()
      .split('\n')
      .filter((l) => l.includes('PASSCODE is not set'));
    expect(line[0]).toMatch(/PASSCODE is not set: every token request is refused\. Set it in \.env/);
    expect(unset.output()).not.toContain(credentials.apiKeySecret);
  });
});
