import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { createTokenProvider } from '../../src/client.js';
import { createExpressHandler } from '../../src/handlers/express.js';
import { verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// The provider against this package's own node:http token endpoint on 127.0.0.1, with real timers
// and a 2-second ttl: refreshes arrive on schedule; when the server goes away the last token is
// handed out while it lasts, errors reach onError, and then getToken rejects.

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
      retry: { initialDelay: 200, maxDelay: 400 },
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
    // Refreshes are due at 0.5 of the 2 s ttl, less up to 10%: never sooner than 0.9 s apart.
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
