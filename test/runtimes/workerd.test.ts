import { createHash } from 'node:crypto';
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
            if (url.pathname === '/guarded') {
              // The guards in workerd: request.cf exists here, so CF-Connecting-IP is the ip.
              const seen = [];
              const guarded = createFetchHandler({
                credentials,
                identify: () => 'alice',
                grants: videoGrant(),
                rateLimit: ({ ip }) => url.searchParams.get('limited') !== 'yes' || { retryAfter: 7 },
                onIssued: (event) => { seen.push(['issued', event]); },
                onDenied: (event) => { seen.push(['denied', event]); },
              });
              const answer = await guarded(request);
              const body = await answer.json();
              return Response.json({ status: answer.status, retryAfter: answer.headers.get('retry-after'), body, seen, cf: typeof request.cf });
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

  test('the guards: CF-Connecting-IP is the ip (request.cf exists), the audit events, the 429', async () => {
    const ask = async (query: string) => {
      const response = await mf.dispatchFetch(`http://127.0.0.1/guarded${query}`, {
        headers: { 'CF-Connecting-IP': '192.0.2.44', origin: 'https://app.example.com', 'user-agent': 'workerd-test' },
      });
      return (await response.json()) as {
        status: number;
        retryAfter: string | null;
        body: { token?: string; expiresAt?: string };
        seen: [string, Record<string, unknown>][];
        cf: string;
      };
    };
    const ok = await ask('');
    expect(ok.cf).toBe('object');
    expect(ok.status).toBe(200);
    const signature = (ok.body.token as string).split('.')[2] as string;
    expect(ok.seen).toEqual([
      [
        'issued',
        {
          identity: 'alice',
          products: ['video'],
          apiKeySid: credentials.apiKeySid,
          ttl: 3600,
          expiresAt: ok.body.expiresAt,
          tokenId: createHash('sha256').update(signature).digest('base64url'),
          ip: '192.0.2.44',
          origin: 'https://app.example.com',
          userAgent: 'workerd-test',
        },
      ],
    ]);
    const limited = await ask('?limited=yes');
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe('7');
    expect(limited.seen).toEqual([
      [
        'denied',
        {
          status: 429,
          code: 'ERR_RATE_LIMITED',
          identity: 'alice',
          ip: '192.0.2.44',
          origin: 'https://app.example.com',
          userAgent: 'workerd-test',
        },
      ],
    ]);
  });
});
