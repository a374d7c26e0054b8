import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { chatGrant, syncGrant, taskRouterGrant, verifyAccessToken, voiceGrant } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';

// /client in a real headless Chromium (Debian's package) with the real Twilio SDKs from npm: the
// provider's refreshes must reach each SDK client's own updateToken. Every request stays on
// 127.0.0.1: the browser resolves no other host, so the SDKs' connections to Twilio simply fail.

const root = new URL('../..', import.meta.url).pathname;
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path !== undefined && existsSync(path),
);
const TTL = 2;

if (CHROMIUM === undefined) {
  if (process.env.CI) {
    throw new Error("Chromium is missing: .ci/run installs Debian's chromium package (apt-get install chromium)");
  }
  console.warn('Skipping the /client browser test: no Chromium here (apt-get install chromium to run it)');
}

describe.skipIf(CHROMIUM === undefined)('createTokenProvider in Chromium with the Twilio SDKs', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  const issued: string[] = [];

  beforeAll(async () => {
    expect(existsSync(`${root}dist/client.js`), 'dist/ is missing: run `npm run build` first').toBe(true);
    const bundle = await build({
      entryPoints: [`${root}test/browser/page.ts`],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      define: { global: 'window' },
      // The built entry, as users get it (the type check maps this name to src/).
      alias: { 'twilio-access-token/client': `${root}dist/client.js` },
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.text;
    const tokens = createExpressHandler({
      credentials,
      identify: (request) => (request.headers.authorization === 'Bearer page' ? 'alice' : null),
      grants: [
        voiceGrant({ outgoingApplicationSid: sid('AP'), incomingAllow: true }),
        chatGrant({ serviceSid: sid('IS') }),
        syncGrant({ serviceSid: sid('IS', '1') }),
        taskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK') }),
      ],
      ttl: TTL,
      onError: () => {},
    });
    server = createServer((req, res) => {
      if (req.url === '/token') {
        const end = res.end.bind(res);
        // Record what the endpoint issued, to compare with what the SDK clients received.
        res.end = ((body: string, ...rest: never[]) => {
          if (res.statusCode === 200) issued.push((JSON.parse(body) as { token: string }).token);
          return end(body, ...rest);
        }) as typeof res.end;
        tokens(req, res);
      } else if (req.url === '/page.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/page.js"></script>');
      }
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless=new',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('refreshed tokens reach Voice Device, Conversations Client, SyncClient and TaskRouter Worker', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.waitForFunction(() => 'runProviderTest' in window);
    const result = await page.evaluate(
      (refreshes) =>
        (window as unknown as { runProviderTest(n: number): Promise<Record<string, unknown>> }).runProviderTest(
          refreshes,
        ),
      2,
    );
    const { first, latest, tokens, loaded, seen, deviceToken } = result as {
      first: string;
      latest: string;
      tokens: string[];
      loaded: string[];
      seen: Record<string, string[]>;
      deviceToken: string;
    };
    // At least two refreshes, each a real token from the endpoint, verified.
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    for (const token of tokens) {
      expect(issued).toContain(token);
      expect(
        verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, clockTolerance: 60 }).grants.identity,
      ).toBe('alice');
    }
    expect(tokens[0]).toBe(first);
    expect(loaded).toEqual(['voice', 'conversations', 'sync', 'taskrouter']);
    // Each SDK client's real updateToken received every refreshed token, in order.
    for (const name of loaded) expect(seen[name], name).toEqual(tokens.slice(1));
    // The Voice Device holds the newest token: its own state changed, not only our record.
    expect(deviceToken).toBe(tokens[tokens.length - 1]);
    expect(deviceToken).not.toBe(first);
    expect(latest).toBe(tokens[tokens.length - 1]);
    await page.close();
  }, 60_000);
});
