import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';

// examples/twilio-function under the real twilio-run, on a free port, requests to 127.0.0.1 only.
// The example is copied to a temporary folder with this package linked in as its dependency.

const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let server: ChildProcess;
let base: string;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/twilio-functions.cjs')), 'dist/ is missing: run `npm run build` first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'tat-twilio-run-'));
  cpSync(join(root, 'examples/twilio-function'), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/twilio-access-token'), 'dir');
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
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [join(root, 'node_modules/twilio-run/bin/twilio-run.js'), '--port', String(port)], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, CI: 'true', NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk) => (output += chunk));
  server.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`twilio-run exited: ${output}`);
    try {
      await fetch(`${base}/token`);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`twilio-run did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}, 60_000);

afterAll(() => {
  if (server?.pid !== undefined && server.exitCode === null) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectTokenBody(body: Record<string, unknown>, identity: string, room?: string) {
  expect(Object.keys(body)).toEqual(['token', 'identity', 'ttl', 'expiresAt']);
  expect(body.identity).toBe(identity);
  expect(body.ttl).toBe(3600);
  const payload = verifyAccessToken(body.token as string, { apiKeySecret: credentials.apiKeySecret });
  expect(payload.grants).toEqual({
    identity,
    video: room === undefined ? {} : { room },
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
