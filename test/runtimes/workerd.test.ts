import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials } from '../helpers.js';

// /web and /fetch in workerd (Cloudflare's runtime) through Miniflare, without the Node
// compatibility flag: a Worker built from dist/ answers token requests; Node checks the tokens.

const root = new URL('../..', import.meta.url).pathname;
let mf: Miniflare;

beforeAll(async () => {
  const worker = await build({
    stdin: {
      contents: `
        import { createFetchHandler } from './dist/fetch.js';
        import { createAccessToken, verifyAccessToken, videoGrant, voiceGrant } from './dist/web.js';
        export default {
          async fetch(request, env) {
            const credentials = { accountSid: env.TWILIO_ACCOUNT_SID, apiKeySid: env.TWILIO_API_KEY_SID, apiKeySecret: env.TWILIO_API_KEY_SECRET };
            const url = new URL(request.url);
            if (url.pathname === '/mint') {
              const token = await createAccessToken('worker-user', [videoGrant(), voiceGrant({ incomingAllow: true })], { credentials });
              const payload = await verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
              return Response.json({ token, identity: payload.grants.identity, nodeApis: [typeof Buffer, typeof process] });
            }
            const handler = createFetchHandler({
              credentials,
              identify: (r) => (r.headers.authorization === 'Bearer worker' ? 'alice' : null),
              grants: (r) => videoGrant(typeof r.params.room === 'string' ? { room: r.params.room } : {}),
            });
            return handler(request);
          },
        };`,
      resolveDir: root,
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: worker.outputFiles[0]!.text,
    bindings: {
      TWILIO_ACCOUNT_SID: credentials.accountSid,
      TWILIO_API_KEY_SID: credentials.apiKeySid,
      TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
    },
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
});

describe('inside workerd (Miniflare)', () => {
  test('/web mints and verifies without Node APIs', async () => {
    const response = await mf.dispatchFetch('http://127.0.0.1/mint');
    const body = (await response.json()) as { token: string; identity: string; nodeApis: string[] };
    expect(body.identity).toBe('worker-user');
    expect(body.nodeApis).toEqual(['undefined', 'undefined']);
    expect(verifyAccessToken(body.token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'worker-user',
      video: {},
      voice: { incoming: { allow: true } },
    });
  });

  test('the fetch handler: Request -> Response round trip, 401 without credentials', async () => {
    const ok = await mf.dispatchFetch('http://127.0.0.1/token?room=w1', {
      headers: { authorization: 'Bearer worker' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const { token } = (await ok.json()) as { token: string };
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'alice',
      video: { room: 'w1' },
    });
    const denied = await mf.dispatchFetch('http://127.0.0.1/token');
    expect(denied.status).toBe(401);
    await denied.arrayBuffer();
  });
});
