import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createExpressHandler,
  pushCredentialFor,
  pushCredentials,
  trustClientIdentity,
} from '../../src/handlers/node-http/index.js';
import { chatGrant, videoGrant, voiceGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// /client and /react in a React Native-shaped process (react-native-env.ts): the built entries,
// real React 19 with react-test-renderer, a real token endpoint on 127.0.0.1, React Native's
// AppState shape. The scenarios run in a child process (react-native-app.ts) so that removing
// every DOM global touches nothing here.

const root = new URL('../..', import.meta.url).pathname;
let server: Server;
let base: string;
let served = 0;
let script: string;

beforeAll(async () => {
  expect(existsSync(`${root}dist/react.js`), 'dist/ is missing: run `npm run build` first').toBe(true);
  const bundle = await build({
    entryPoints: [`${root}test/browser/react-native-app.ts`],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { 'process.env.NODE_ENV': '"development"' },
    alias: {
      'twilio-access-token/react': `${root}dist/react.js`,
      'twilio-access-token/client': `${root}dist/client.js`,
    },
    nodePaths: [`${root}test/browser/node_modules`],
    write: false,
    logLevel: 'silent',
  });
  script = join(mkdtempSync(join(tmpdir(), 'tat-rn-')), 'app.mjs');
  writeFileSync(script, bundle.outputFiles[0]!.text);
  // Each token names its own room: two tokens minted in one second differ, so a refresh shows.
  const tokens = createExpressHandler({
    credentials,
    identify: trustClientIdentity(),
    grants: () => videoGrant({ room: `room-${served}` }),
  });
  // docs/mobile.md's endpoint: the identity from Authorization, the push credential per platform.
  const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
  const PUSH = pushCredentials({ ios: { production: sid('CR', 1), sandbox: sid('CR', 2) }, android: sid('CR', 3) });
  const mobile = createExpressHandler({
    credentials,
    identify: (request) => /^Bearer (\w+)$/.exec(request.headers.authorization ?? '')?.[1] ?? null,
    grants: (request) => {
      const pushCredentialSid = pushCredentialFor(request, PUSH);
      return [
        voiceGrant({ outgoingApplicationSid: sid('AP', 0), incomingAllow: true, pushCredentialSid }),
        chatGrant({ serviceSid: sid('IS', served), pushCredentialSid }),
      ];
    },
  });
  server = createServer((req, res) => {
    served++;
    void (req.url?.startsWith('/mobile-token') ? mobile : tokens)(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server?.close(resolve)));

describe('twilio-access-token/client and /react in a React Native-shaped process', () => {
  let results: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    const child = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [script, base], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (chunk) => (stdout += chunk));
      p.stderr.on('data', (chunk) => (stderr += chunk));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    results = JSON.parse(child.stdout) as typeof results;
  });

  test('the environment has no DOM, no body stream, no TextDecoder', () => {
    expect(results.environment).toEqual({
      document: 'undefined',
      windowIsGlobal: true,
      windowAddEventListener: 'undefined',
      product: 'ReactNative',
      missing: ['TextDecoder', 'ReadableStream', 'structuredClone', 'Buffer', 'crypto'],
      abortSignalTimeout: 'undefined',
      abortSignalAny: 'undefined',
      responseBody: 'undefined',
    });
  });

  test('/client: a token; one refresh per return to the foreground; a storm of 100 makes one request; nothing after stop', () => {
    expect(results.client).toMatchObject({
      firstIsJwt: true,
      afterFirst: 1,
      whileInactive: 1,
      refreshedOnResume: true,
      afterStorm: 3,
      listenersAfterStop: 0,
      timersAfterStop: 0,
      afterStop: 3,
    });
    expect(results.client?.stormMs).toBeLessThan(1000);
  });

  test('/react under StrictMode: one request at mount, a re-render on resume, nothing after unmount', () => {
    expect(results.react).toEqual({
      mountRequests: 1,
      listenersMounted: 1,
      afterResume: 2,
      rendered: ['ready'],
      afterUnmount: 2,
      timersAfterUnmount: 0,
    });
  });

  test("docs/mobile.md's React Native wiring: Voice registers and calls, Conversations follows the refresh", () => {
    expect(results.guide).toEqual({
      requests: 2,
      identity: 'user_42',
      voicePush: `CR${'0'.repeat(31)}2`,
      chatPush: `CR${'0'.repeat(31)}2`,
      registeredOnce: 1,
      callsWithFreshTokens: true,
      clientUpdates: 2,
      updatesAreTheRefresh: true,
    });
  });

  test('every request reached the real endpoint', () => {
    // 1 environment probe + 3 /client + 2 /react + 2 for the guide's wiring.
    expect(served).toBe(8);
  });
});
