import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials } from '../helpers.js';

// /web and /fetch inside @edge-runtime/vm, the runtime Vercel Edge uses: no Node APIs, its own
// Request, Response and crypto. The built bundles are loaded into it and exercised there.

const root = new URL('../..', import.meta.url).pathname;
let vm: EdgeVM;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `export * as web from './dist/web.js'; export * as fetchEntry from './dist/fetch.js';`,
      resolveDir: root,
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'TAT',
    logLevel: 'silent',
  });
  vm = new EdgeVM();
  vm.evaluate(bundle.outputFiles[0]!.text);
  vm.evaluate(`globalThis.CREDENTIALS = ${JSON.stringify(credentials)};`);
});

describe('inside @edge-runtime/vm', () => {
  test('has no Node: no process.getBuiltinModule, no Buffer, no require', () => {
    expect(vm.evaluate('[typeof Buffer, typeof require, typeof globalThis.process?.getBuiltinModule]')).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  test('/web mints a token that Node verifies, and verifies it there too', async () => {
    const token = (await vm.evaluate(
      `TAT.web.createAccessToken('edge-user', [TAT.web.videoGrant({ room: 'r' }), TAT.web.syncGrant()], { credentials: CREDENTIALS })`,
    )) as string;
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'edge-user',
      video: { room: 'r' },
      data_sync: {},
    });
    const payload = (await vm.evaluate(
      `TAT.web.verifyAccessToken(${JSON.stringify(token)}, { apiKeySecret: CREDENTIALS.apiKeySecret })`,
    )) as { grants: { identity: string } };
    expect(payload.grants.identity).toBe('edge-user');
    const code = await vm.evaluate(
      `TAT.web.verifyAccessToken(${JSON.stringify(token)}, { apiKeySecret: 'wrong' }).then(() => 'ok', (e) => e.code)`,
    );
    expect(code).toBe('ERR_INVALID_SIGNATURE');
  });

  test('a minter with a cached key mints there', async () => {
    const tokens = (await vm.evaluate(`(async () => {
      const mint = TAT.web.createTokenMinter({ credentials: CREDENTIALS, ttl: 300 });
      return [await mint('a', TAT.web.videoGrant()), await mint('b', TAT.web.videoGrant())];
    })()`)) as string[];
    expect(tokens.map((t) => verifyAccessToken(t, { apiKeySecret: credentials.apiKeySecret }).grants.identity)).toEqual(
      ['a', 'b'],
    );
  });

  test('the fetch handler answers a Request with a Response, round trip', async () => {
    const result = (await vm.evaluate(`(async () => {
      const handler = TAT.fetchEntry.createFetchHandler({
        credentials: CREDENTIALS,
        identify: (request) => (request.headers.authorization === 'Bearer edge' ? 'alice' : null),
        grants: (request) => TAT.web.videoGrant({ room: String(request.params.room) }),
        cors: { origins: ['https://app.example'] },
      });
      const ok = await handler(new Request('https://edge.example/api/token', {
        method: 'POST',
        headers: { authorization: 'Bearer edge', 'content-type': 'application/json', origin: 'https://app.example' },
        body: JSON.stringify({ room: 'edge-room' }),
      }));
      const denied = await handler(new Request('https://edge.example/api/token'));
      return { ok: { status: ok.status, acao: ok.headers.get('access-control-allow-origin'), body: await ok.json() }, denied: denied.status };
    })()`)) as { ok: { status: number; acao: string; body: { token: string; identity: string } }; denied: number };
    expect(result.ok.status).toBe(200);
    expect(result.ok.acao).toBe('https://app.example');
    expect(result.denied).toBe(401);
    expect(verifyAccessToken(result.ok.body.token, { apiKeySecret: credentials.apiKeySecret }).grants).toEqual({
      identity: 'alice',
      video: { room: 'edge-room' },
    });
  });
});
