import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// twilio-access-token/react in headless Chromium with real React 19 (development build, so
// <StrictMode> mounts every effect twice): the requests are counted at a token endpoint on
// 127.0.0.1. One request per mount, a re-render per refresh, nothing after unmount. Every wait is
// for a condition (issue 26: a count taken at a moment failed once under load): "nothing after
// unmount" waits until a control provider, started after the unmount, has refreshed twice.

const root = new URL('../..', import.meta.url).pathname;
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path !== undefined && existsSync(path),
);
// Tokens live 2 s, so the provider refreshes about every 1.5 s (never sooner than 1 s apart).
const TTL = 2;

if (CHROMIUM === undefined && process.env.CI) {
  throw new Error("Chromium is missing: .ci/run installs Debian's chromium package (apt-get install chromium)");
}

type ReactTest = {
  mount(tree: 'hook' | 'context' | 'given'): void;
  unmount(): void;
  rendered(): string[];
  providers(): number;
  givenToken(): Promise<string>;
  stopGiven(): void;
  startControl(): void;
  stopControl(): void;
};

describe.skipIf(CHROMIUM === undefined)('twilio-access-token/react in Chromium under StrictMode', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  let requests = 0;
  /** Requests that arrived before the first token was answered: the mount's own. */
  let beforeFirstAnswer = 0;
  let answered = false;
  let controlRequests = 0;
  /** Called at each request, to let a wait re-check its condition. */
  let onRequest: () => void = () => {};

  beforeAll(async () => {
    expect(existsSync(`${root}dist/react.js`), 'dist/ is missing: run `npm run build` first').toBe(true);
    const bundle = await build({
      entryPoints: [`${root}test/browser/react-page.ts`],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      // React's development build: StrictMode's double mount happens only there.
      define: { 'process.env.NODE_ENV': '"development"' },
      // The built entries, as users get them; dist/react.js imports react and /client as packages.
      alias: {
        'twilio-access-token/react': `${root}dist/react.js`,
        'twilio-access-token/client': `${root}dist/client.js`,
      },
      nodePaths: [`${root}test/browser/node_modules`],
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.text;
    const tokens = createExpressHandler({
      credentials,
      identify: (request) => (request.headers.authorization === 'Bearer page' ? 'alice' : null),
      grants: videoGrant(),
      ttl: TTL,
      onError: () => {},
    });
    server = createServer((req, res) => {
      if (req.url === '/token?control') {
        if (req.method === 'POST') controlRequests++;
        onRequest();
        tokens(req, res);
      } else if (req.url === '/token') {
        if (req.method === 'POST') {
          requests++;
          if (!answered) beforeFirstAnswer++;
          res.once('finish', () => {
            answered = true;
          });
        }
        onRequest();
        tokens(req, res);
      } else if (req.url === '/page.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><body><script src="/page.js"></script>');
      }
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless=new', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(base);
    await page.waitForFunction(() => 'reactTest' in window);
    expect(errors).toEqual([]);
    requests = 0;
    beforeFirstAnswer = 0;
    answered = false;
    controlRequests = 0;
    return page;
  }
  /** Calls the page's `reactTest[method](arg)`. */
  const call = <M extends keyof ReactTest>(page: Page, method: M, arg?: Parameters<ReactTest[M]>[0]) =>
    page.evaluate(
      ([m, a]) => (window as unknown as Record<string, Record<string, (x: unknown) => unknown>>).reactTest![m]!(a),
      [method, arg] as const,
    ) as Promise<Awaited<ReturnType<ReactTest[M]>>>;
  const distinct = (rendered: string[]) => [...new Set(rendered.filter((t) => !t.startsWith('attached:')))];
  /** Waits until the page rendered `n` distinct tokens. */
  const renderedTokens = (page: Page, n: number) =>
    page.waitForFunction(
      (count) => {
        const t = (window as unknown as { reactTest: ReactTest }).reactTest;
        return new Set(t.rendered().filter((x) => !x.startsWith('attached:'))).size >= count;
      },
      n,
      { timeout: 20_000 },
    );
  /** Resolves once `condition()` holds, checked at each request the server sees. */
  const untilRequests = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      if (condition()) return resolve();
      onRequest = () => {
        if (!condition()) return;
        onRequest = () => {};
        resolve();
      };
    });
  /** Waits until a control provider, started now, has refreshed twice: longer than any refresh interval. */
  async function twoRefreshesLater(page: Page): Promise<void> {
    await call(page, 'startControl');
    await untilRequests(() => controlRequests >= 3);
    await call(page, 'stopControl');
  }
  /** Waits until every token the server answered so far was rendered. */
  const everyAnsweredRendered = (page: Page) =>
    page.waitForFunction(
      (count) => {
        const t = (window as unknown as { reactTest: ReactTest }).reactTest;
        return new Set(t.rendered().filter((x) => !x.startsWith('attached:'))).size >= count;
      },
      requests,
      { timeout: 20_000 },
    );

  test('useAccessToken(options): one request for the double mount, a re-render per refresh, none after unmount', async () => {
    const page = await open();
    await call(page, 'mount', 'hook');
    await renderedTokens(page, 1);
    expect(beforeFirstAnswer).toBe(1);
    // Each refresh is a request and a render with the new token.
    await renderedTokens(page, 3);
    // Every request's token is rendered.
    await everyAnsweredRendered(page);
    const tokens = distinct(await call(page, 'rendered'));
    for (const token of tokens)
      expect(
        verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, clockTolerance: 60 }).grants.identity,
      ).toBe('alice');
    await call(page, 'unmount');
    const atUnmount = requests;
    // A provider still running would have asked again within two refreshes of the control's.
    await twoRefreshesLater(page);
    expect(requests).toBe(atUnmount);
    await page.close();
  }, 60_000);

  test('AccessTokenProvider: the tree shares one provider (one request) and useTokenProvider attaches to it', async () => {
    const page = await open();
    await call(page, 'mount', 'context');
    await renderedTokens(page, 1);
    expect(beforeFirstAnswer).toBe(1);
    await renderedTokens(page, 2);
    await everyAnsweredRendered(page);
    const rendered = await call(page, 'rendered');
    // The attached consumer got the refreshed token, once (StrictMode detached the first attach).
    const second = distinct(rendered)[1]!;
    expect(await call(page, 'providers')).toBe(1);
    expect(rendered.filter((t) => t === `attached:${second}`)).toHaveLength(1);
    await call(page, 'unmount');
    const atUnmount = requests;
    await twoRefreshesLater(page);
    expect(requests).toBe(atUnmount);
    await page.close();
  }, 60_000);

  test('useAccessToken(provider): the caller’s provider is not stopped at unmount', async () => {
    const page = await open();
    await call(page, 'mount', 'given');
    await renderedTokens(page, 1);
    expect(beforeFirstAnswer).toBe(1);
    await call(page, 'unmount');
    // Still the caller's to use: it keeps refreshing and hands out tokens.
    const token = await call(page, 'givenToken');
    expect(
      verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret, clockTolerance: 60 }).grants.identity,
    ).toBe('alice');
    const before = requests;
    await untilRequests(() => requests > before);
    await call(page, 'stopGiven');
    await page.close();
  }, 60_000);
});
