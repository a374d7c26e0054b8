import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { createTokenProvider } from '../../src/client.js';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// The provider against this package's own node:http token endpoint on 127.0.0.1, with real timers
// and a 2-second ttl: refreshes arrive on schedule; when the server goes away the last token is
// handed out while it lasts, errors reach onError, and then getToken rejects. Then hostile servers:
// a 200 MB body is refused after 64 KiB (the server sees the connection close long before it has
// sent it all), and stop() closes a request the server holds open.

describe('createTokenProvider against the node:http handler', () => {
  test('refreshes on schedule, survives an outage while the token lasts, then rejects', async () => {
    const server = createServer(
      createExpressHandler({
        credentials,
        identify: (request) => (request.headers.authorization === 'Bearer ok' ? 'alice' : null),
        grants: videoGrant({ room: 'r' }),
        ttl: 2,
      }),
    ).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;

    const provider = createTokenProvider({
      url,
      init: { headers: { authorization: 'Bearer ok' } },
      refreshAt: 0.5,
      retry: { initialDelay: 1000, maxDelay: 1000 },
    });
    const arrivals: number[] = [];
    const errors: unknown[] = [];
    provider.subscribe(() => arrivals.push(Date.now()));
    provider.onError((error) => errors.push(error));

    const started = Date.now();
    const first = await provider.getToken();
    expect(verifyAccessToken(first, { apiKeySecret: credentials.apiKeySecret }).grants.identity).toBe('alice');
    while (arrivals.length < 3 && Date.now() - started < 8000) await new Promise((r) => setTimeout(r, 50));
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    // Refreshes are due at 0.5 of the 2 s ttl, less up to 10%, but requests never start less than 1 s
    // apart: arrivals about a second apart, less what a loaded machine's network varies (a new
    // connection can take tens of ms; the exact 1 s floor is proven with fake timers in the unit tier).
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(880);
    expect(errors).toEqual([]);

    // The server goes away: the next refresh fails, the last token is still handed out.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const last = await provider.getToken();
    await new Promise((r) => setTimeout(r, 1200));
    expect(errors.length).toBeGreaterThan(0);
    expect(await provider.getToken().catch(() => 'rejected')).not.toBe('rejected');
    expect(last.split('.')).toHaveLength(3);
    // After its 2 s are up there is nothing valid to hand out.
    await new Promise((r) => setTimeout(r, 1500));
    await expect(provider.getToken()).rejects.toThrow();
    provider.stop();
  }, 20_000);

  test('a 401 from the endpoint reaches onError with its status', async () => {
    const server = createServer(
      createExpressHandler({ credentials, identify: () => null, grants: videoGrant(), ttl: 2 }),
    ).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const provider = createTokenProvider({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token` });
    const error = (await provider.getToken().catch((e: unknown) => e)) as { status?: number; message: string };
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/answered 401/);
    provider.stop();
    server.close();
  });
});

/** Serves `handle` on 127.0.0.1; returns its URL and a close function. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handle).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A handler that writes a 200 MB body lazily (as the socket drains), recording what it sent and when the socket closed. */
function hugeBody(headers: Record<string, string>) {
  const seen = { written: 0, closed: false, finished: false };
  const TOTAL = 200 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    response.on('close', () => {
      seen.closed = true;
    });
    response.writeHead(200, { 'content-type': 'application/json', ...headers });
    const pump = () => {
      while (!response.destroyed && seen.written < TOTAL) {
        seen.written += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      if (!response.destroyed) {
        seen.finished = true;
        response.end();
      }
    };
    pump();
  };
  return { handle, seen };
}

describe('createTokenProvider against hostile servers', () => {
  test.each([
    ['chunked, no Content-Length', {}],
    ['with a Content-Length of 200 MB', { 'content-length': String(200 * 1024 * 1024) }],
  ])(
    'a 200 MB body (%s) is refused without being read to its end',
    async (_name, headers) => {
      const { handle, seen } = hugeBody(headers);
      const server = await serve(handle);
      const provider = createTokenProvider({ url: server.url });
      const before = process.memoryUsage().rss;
      const error = (await provider.getToken().catch((e: unknown) => e)) as Error;
      expect(error.message).toBe('twilio-access-token/client: the response is over 64 KiB');
      // The client closed the connection: the server stopped long before 200 MB.
      const deadline = Date.now() + 5000;
      while (!seen.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(seen.closed).toBe(true);
      expect(seen.finished).toBe(false);
      expect(seen.written).toBeLessThan(32 * 1024 * 1024);
      expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
      provider.stop();
      await server.close();
    },
    20_000,
  );

  test('stop() aborts the request in flight: the server sees the connection close', async () => {
    let arrived = () => {};
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    let closed = false;
    const server = await serve((request, response) => {
      request.resume();
      response.on('close', () => {
        closed = true;
      });
      arrived(); // and never answer
    });
    const provider = createTokenProvider({ url: server.url });
    const pending = provider.getToken().then(String, (e: Error) => e.message);
    await requested;
    expect(closed).toBe(false);
    provider.stop();
    expect(await pending).toBe('twilio-access-token/client: stopped');
    const deadline = Date.now() + 5000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
    await server.close();
  }, 20_000);
});
