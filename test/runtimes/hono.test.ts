import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { build } from 'esbuild';
import { Hono } from 'hono';
import { Miniflare } from 'miniflare';
import type * as MainEntry from 'twilio-access-token';
import type * as FetchEntry from 'twilio-access-token/fetch';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, test, vi } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials } from '../helpers.js';

// Hono, as its docs run it: `app.post('/token', (c) => handler(c.req.raw, c.env))`. On Node through
// @hono/node-server on 127.0.0.1, and in workerd (Miniflare) where the env holds the secrets and
// there is no process.env. The handler is the built dist/fetch.js; its types are the package's. Its
// grants come from the same build (dist/index.js): one copy, as an app that installs the package has.

const root = new URL('../..', import.meta.url).pathname;
const { createFetchHandler } = (await import(`${root}dist/fetch.js`)) as typeof FetchEntry;
const { credentialsFromEnv, videoGrant } = (await import(`${root}dist/index.js`)) as typeof MainEntry;
const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });

/** What the app's Workers (or Hono) bindings hold. */
type Bindings = {
  TWILIO_ACCOUNT_SID: string;
  TWILIO_API_KEY_SID: string;
  TWILIO_API_KEY_SECRET: string;
  ROOM: string;
};
const bindings: Bindings = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
  ROOM: 'hono-room',
};
const identify = (request: { headers: Readonly<Record<string, string>> }) =>
  request.headers.authorization === 'Bearer hono' ? 'alice' : null;

const servers: Server[] = [];
function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    ) as Server;
    servers.push(server);
  });
}
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});
afterEach(() => vi.unstubAllEnvs());

async function token(base: string, path = '/token') {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: 'Bearer hono' } });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return verify((JSON.parse(body) as { token: string }).token);
}

describe('Hono on Node (@hono/node-server)', () => {
  test("typed Bindings reach identify, grants and credentials: app.post('/token', (c) => handler(c.req.raw, c.env))", async () => {
    const handler = createFetchHandler<Bindings>({
      identify: (request) => {
        expectTypeOf(request.platform.env).toEqualTypeOf<Bindings>();
        return identify(request);
      },
      grants: (request) => videoGrant({ room: request.platform.env.ROOM }),
      credentials: (request) => credentialsFromEnv(request.platform.env),
    });
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Bindings>();
    const app = new Hono<{ Bindings: Bindings }>();
    app.post('/token', (c) => handler(c.req.raw, c.env));
    // Node has no bindings of its own: the app is given them, as a Worker would be.
    const base = await listen((request) => app.fetch(request, bindings));
    const payload = await token(base);
    expect(payload.grants).toEqual({ identity: 'alice', video: { room: 'hono-room' } });
  });

  test("the default form reads process.env: node-server's c.env ({ incoming, outgoing }) is not an environment", async () => {
    vi.stubEnv('TWILIO_ACCOUNT_SID', credentials.accountSid);
    vi.stubEnv('TWILIO_API_KEY_SID', credentials.apiKeySid);
    vi.stubEnv('TWILIO_API_KEY_SECRET', credentials.apiKeySecret);
    const handler = createFetchHandler({ identify, grants: videoGrant() });
    const app = new Hono();
    app.post('/token', (c) => handler(c.req.raw, c.env));
    const base = await listen(app.fetch);
    expect((await token(base)).grants).toEqual({ identity: 'alice', video: {} });
  });
});

describe('Hono in workerd (Miniflare): no process.env, secrets in the env', () => {
  let mf: Miniflare;
  beforeAll(async () => {
    const worker = await build({
      stdin: {
        contents: `
          import { Hono } from 'hono';
          import { createFetchHandler } from './dist/fetch.js';
          import { videoGrant } from './dist/web.js';
          let lastError = '';
          const handler = createFetchHandler({
            identify: (r) => (r.headers.authorization === 'Bearer hono' ? 'alice' : null),
            grants: (r) => videoGrant({ room: r.platform.env?.ROOM ?? 'none' }),
            onError: (error) => { lastError = error.code + ': ' + error.message; },
          });
          const app = new Hono();
          // No credentials option: the env's Twilio variables sign.
          app.post('/token', (c) => handler(c.req.raw, c.env));
          // The env left out: nowhere to read credentials from.
          app.post('/forgot-env', (c) => handler(c.req.raw));
          app.get('/last-error', (c) => c.text(lastError));
          export default app;`,
        resolveDir: root,
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      nodePaths: [`${root}test/runtimes/node_modules`],
      logLevel: 'silent',
    });
    mf = new Miniflare({ modules: true, script: worker.outputFiles[0]!.text, bindings });
  }, 60_000);
  afterAll(async () => {
    await mf?.dispose();
  });

  test('the env argument signs, without a credentials option', async () => {
    const response = await mf.dispatchFetch('http://127.0.0.1/token', {
      method: 'POST',
      headers: { authorization: 'Bearer hono' },
    });
    expect(response.status).toBe(200);
    const { token: jwt } = (await response.json()) as { token: string };
    expect(verify(jwt).grants).toEqual({ identity: 'alice', video: { room: 'hono-room' } });
  });

  test('no env and no process.env: a 500, and onError says where credentials come from', async () => {
    const response = await mf.dispatchFetch('http://127.0.0.1/forgot-env', {
      method: 'POST',
      headers: { authorization: 'Bearer hono' },
    });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain(credentials.apiKeySecret);
    const error = await (await mf.dispatchFetch('http://127.0.0.1/last-error')).text();
    expect(error).toMatch(/^ERR_MISSING_CREDENTIALS: .*no process\.env.*handler\(c\.req\.raw, c\.env\)/);
  });
});
