import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { httpApiEvent } from '../handlers/adapters.js';
import { credentials, sid } from '../helpers.js';

// Each example as a user would run it: imported as it is, against real sockets, Requests and events.

function useEnv() {
  vi.stubEnv('TWILIO_ACCOUNT_SID', credentials.accountSid);
  vi.stubEnv('TWILIO_API_KEY_SID', credentials.apiKeySid);
  vi.stubEnv('TWILIO_API_KEY_SECRET', credentials.apiKeySecret);
  vi.stubEnv('DEMO_BEARER_TOKEN', 'let-me-in');
  vi.stubEnv('CONVERSATIONS_SERVICE_SID', sid('IS'));
  vi.stubEnv('TWIML_APP_SID', sid('AP'));
}
afterEach(() => vi.unstubAllEnvs());

let server: Server | undefined;
afterAll(() => server?.close());

describe('examples/express/server.ts', () => {
  test('answers a token over a real socket to an authorized caller, 401 otherwise', async () => {
    useEnv();
    const { app } = await import('../../examples/express/server.js');
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?room=standup`;
    const ok = await fetch(url, { headers: { authorization: 'Bearer let-me-in', origin: 'https://app.example.com' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const { token } = (await ok.json()) as { token: string };
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'alice',
      video: { room: 'standup' },
      chat: { service_sid: sid('IS') },
    });
    expect((await fetch(url)).status).toBe(401);
  });
});

describe('examples/fetch/route.ts', () => {
  test('answers a real Request', async () => {
    useEnv();
    const { POST } = await import('../../examples/fetch/route.js');
    const response = await POST(
      new Request('http://127.0.0.1/api/token', { method: 'POST', headers: { authorization: 'Bearer let-me-in' } }),
    );
    expect(response.status).toBe(200);
    const { token, identity } = (await response.json()) as { token: string; identity: string };
    expect(identity).toBe('alice');
    expect(Object.keys(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants)).toEqual([
      'identity',
      'video',
      'voice',
    ]);
    expect((await POST(new Request('http://127.0.0.1/api/token', { method: 'POST' }))).status).toBe(401);
  });
});

describe('examples/lambda/handler.ts', () => {
  test('answers an HTTP API event', async () => {
    useEnv();
    const { handler } = await import('../../examples/lambda/handler.js');
    const result = await handler(httpApiEvent({ method: 'GET', headers: { 'x-verified-user': 'erin' } }));
    expect(result.statusCode).toBe(200);
    const { token, ttl } = JSON.parse(result.body) as { token: string; ttl: number };
    expect(ttl).toBe(1800);
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'erin',
      video: {},
      data_sync: {},
    });
  });
});
