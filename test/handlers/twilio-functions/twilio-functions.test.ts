import { afterEach, describe, expect, test, vi } from 'vitest';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import { verifyAccessToken, videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';

// The runtime-specific parts of the Twilio Functions adapter; the shared matrix and the twilio-run
// integration test cover the rest.

class RecordingResponse {
  status = 0;
  headers: Record<string, string> = {};
  body: unknown;
  setStatusCode(status: number) {
    this.status = status;
  }
  appendHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  setBody(body: unknown) {
    this.body = body;
  }
}

afterEach(() => {
  delete (globalThis as { Twilio?: unknown }).Twilio;
});

const context = {
  ACCOUNT_SID: credentials.accountSid,
  API_KEY: credentials.apiKeySid,
  API_SECRET: credentials.apiKeySecret,
  AUTH_TOKEN: 'unused',
  getTwilioClient: () => ({}),
};

describe('createTwilioFunction', () => {
  test('replies with Twilio.Response when the runtime provides it, calling back exactly once', async () => {
    (globalThis as { Twilio?: unknown }).Twilio = { Response: RecordingResponse };
    const handler = createTwilioFunction({ identify: (r) => String(r.params.identity), grants: videoGrant() });
    const callback = vi.fn();
    handler(
      context,
      { identity: 'alice', request: { headers: { Origin: 'https://x.example' }, cookies: {} } },
      callback,
    );
    await vi.waitFor(() => expect(callback).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(callback).toHaveBeenCalledTimes(1);
    const [error, response] = callback.mock.calls[0] as [unknown, RecordingResponse];
    expect(error).toBeNull();
    expect(response).toBeInstanceOf(RecordingResponse);
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    const { token } = JSON.parse(response.body as string) as { token: string };
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants.identity).toBe('alice');
  });

  test('sees request headers, method POST, an empty query, and event without `request` as body and params', async () => {
    const seen = vi.fn((_request: unknown) => 'a');
    const handler = createTwilioFunction({ identify: seen, grants: videoGrant(), credentials });
    const context = {};
    const event = { identity: 'x', n: 1, request: { headers: { 'X-Passcode': 'p', Accept: ['a', 'b'] } } };
    await new Promise((resolve) => handler(context, event, resolve));
    const request = seen.mock.calls[0]![0] as { platform: { context: unknown; event: unknown } };
    expect(request).toEqual({
      method: 'POST',
      headers: { 'x-passcode': 'p', accept: 'a, b' },
      query: {},
      body: { identity: 'x', n: 1 },
      params: { identity: 'x', n: 1 },
      platform: { context, event },
    });
    expect(request.platform.context).toBe(context);
    expect(request.platform.event).toBe(event);
  });

  test('reads credentials from context, not process.env', async () => {
    vi.stubEnv('TWILIO_ACCOUNT_SID', '');
    const handler = createTwilioFunction({ identify: () => 'a', grants: videoGrant(), onError: () => {} });
    const reply = (ctx: Record<string, unknown>) =>
      new Promise<{ statusCode: number }>((resolve) =>
        handler(ctx, {}, (_e, r) => resolve(r as { statusCode: number })),
      );
    expect((await reply(context)).statusCode).toBe(200);
    expect((await reply({})).statusCode).toBe(500);
    vi.unstubAllEnvs();
  });
});
