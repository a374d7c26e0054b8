import express from 'express';
import { afterAll, describe, expect, test } from 'vitest';
import type { TokenHandlerOptions, TokenRequest } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createLambdaHandler } from '../../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { localServers } from '../../local-servers.js';
import { albEvent, httpApiEvent, restEvent } from '../adapters.js';

// TokenRequest.ip comes from the one source each platform vouches for, and a client-set header
// (X-Forwarded-For, CF-Connecting-IP off Cloudflare) never moves it.

const SPOOF = { 'x-forwarded-for': '6.6.6.6', 'cf-connecting-ip': '6.6.6.6', 'x-real-ip': '6.6.6.6' };

function recording(): { options: TokenHandlerOptions; seen: (string | undefined)[] } {
  const seen: (string | undefined)[] = [];
  const options: TokenHandlerOptions = {
    credentials,
    grants: videoGrant(),
    identify: (request: TokenRequest) => {
      seen.push(request.ip);
      return 'alice';
    },
    onError: () => {},
  };
  return { options, seen };
}

const { serve, close } = localServers();
afterAll(close);

describe('fetch', () => {
  test('CF-Connecting-IP is read on a request that came through Cloudflare (request.cf is an object)', async () => {
    const { options, seen } = recording();
    const request = new Request('https://token.example.com/token', { headers: { 'CF-Connecting-IP': '192.0.2.44' } });
    Object.defineProperty(request, 'cf', { value: { colo: 'AMS', country: 'NL' } });
    expect((await createFetchHandler(options)(request)).status).toBe(200);
    expect(seen).toEqual(['192.0.2.44']);
  });

  test('elsewhere the header is a client value: ignored, with every other forwarding header', async () => {
    const { options, seen } = recording();
    const handler = createFetchHandler(options);
    await handler(new Request('https://token.example.com/token', { headers: SPOOF }));
    const notCf = new Request('https://token.example.com/token', { headers: SPOOF });
    Object.defineProperty(notCf, 'cf', { value: 'not an object' });
    await handler(notCf);
    expect(seen).toEqual([undefined, undefined]);
  });
});

describe('node:http and Express', () => {
  test('a bare listener: the socket address, whatever X-Forwarded-For says', async () => {
    const { options, seen } = recording();
    const url = await serve(createExpressHandler(options));
    expect((await fetch(url, { headers: SPOOF })).status).toBe(200);
    expect(seen).toEqual(['127.0.0.1']);
  });

  test('Express without trust proxy: req.ip is the socket address', async () => {
    const { options, seen } = recording();
    const app = express();
    app.get('/token', createExpressHandler(options));
    await fetch(await serve(app), { headers: SPOOF });
    expect(seen).toEqual(['127.0.0.1']);
  });

  test("Express with trust proxy: req.ip, as the app's setting decides it", async () => {
    const { options, seen } = recording();
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/token', createExpressHandler(options));
    await fetch(await serve(app), { headers: { 'x-forwarded-for': '198.51.100.23' } });
    expect(seen).toEqual(['198.51.100.23']);
  });
});

describe('lambda', () => {
  test('sourceIp of REST (v1), HTTP API (v2) and Function URL events; none from an ALB; headers never', async () => {
    const { options, seen } = recording();
    const handler = createLambdaHandler(options);
    await handler(restEvent({ headers: SPOOF }));
    await handler(httpApiEvent({ headers: SPOOF }));
    await handler(httpApiEvent({ headers: SPOOF }, 'abcdefg.lambda-url.us-east-1.on.aws'));
    await handler(albEvent({ headers: SPOOF }, false));
    const odd = httpApiEvent({});
    (odd.requestContext as { http: { sourceIp: unknown } }).http.sourceIp = 42;
    await handler(odd);
    expect(seen).toEqual(['198.51.100.9', '203.0.113.7', '203.0.113.7', undefined, undefined]);
  });
});
