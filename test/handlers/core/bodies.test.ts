import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';

// Abuse at the socket level: a body that never ends, one that stalls, one announced too large;
// and adapter faults that must still end as the JSON 500 (fetch stream errors, Twilio callbacks).

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

async function listen(options: Parameters<typeof createExpressHandler>[0]): Promise<number> {
  server = createServer(createExpressHandler(options));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const options = { credentials, identify: trustClientIdentity(), grants: videoGrant(), onError: () => {} };

/** Opens a raw connection and collects what the server answers, and when it closes. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  return { socket, closed, received: () => received };
}

describe('node:http bodies', () => {
  test('an endless chunked body gets its 413 while the client is still sending, and the connection closes', async () => {
    const port = await listen(options);
    const client = rawClient(port);
    await once(client.socket, 'connect');
    client.socket.write(
      'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    const chunk = `400\r\n${'x'.repeat(0x400)}\r\n`;
    let sent = 0;
    let answeredAfter = -1;
    // Bounded: at most 4 MiB or 5 s, whichever first; the server must answer long before.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && sent < 4 * 1024 * 1024 && !client.socket.destroyed) {
      if (!client.socket.write(chunk))
        await Promise.race([new Promise((resolve) => client.socket.once('drain', resolve)), client.closed]);
      sent += 0x400;
      if (answeredAfter === -1 && client.received().includes('HTTP/1.1 413')) answeredAfter = sent;
      if (sent % (64 * 1024) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.race([client.closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(client.received()).toContain('"code":"ERR_PAYLOAD_TOO_LARGE"');
    // The answer came while the client was still sending: well before 4 MiB went out.
    expect(answeredAfter).toBeGreaterThan(0);
    expect(answeredAfter).toBeLessThan(1024 * 1024);
    // And the server closed the connection: it stopped reading.
    expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
  });

  test('a Content-Length over 16 KiB is answered 413 at once, before any body byte is sent', async () => {
    const port = await listen(options);
    const client = rawClient(port);
    client.socket.write(
      'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
    );
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
  });

  test('a stalled body gets 408 ERR_REQUEST_TIMEOUT after bodyTimeout, and the connection closes', async () => {
    const port = await listen({ ...options, bodyTimeout: 200 });
    const client = rawClient(port);
    client.socket.write(
      'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"identity":',
    );
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(client.received()).toContain('"code":"ERR_REQUEST_TIMEOUT"');
    expect(client.received()).toMatch(/access-control-allow-origin: \*/i);
    expect(client.received()).toMatch(/cache-control: no-store/i);
  });

  test('a request stream error ends as the JSON 500 and reaches onError', async () => {
    const onError = vi.fn();
    const handler = createExpressHandler({ ...options, onError });
    const listeners: Record<string, (error: Error) => void> = {};
    const writeHead = vi.fn();
    const end = vi.fn();
    handler(
      {
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', origin: 'https://x.example' },
        on: (event: string, listener: (...args: never[]) => void) => {
          listeners[event] = listener as (error: Error) => void;
        },
        removeListener: () => undefined,
        pause: () => undefined,
        resume: () => undefined,
        destroy: () => undefined,
      },
      { headersSent: false, writeHead, end },
    );
    listeners.error!(new Error('aborted'));
    await vi.waitFor(() => expect(end).toHaveBeenCalled());
    expect(writeHead.mock.calls[0]![0]).toBe(500);
    expect(writeHead.mock.calls[0]![1]).toMatchObject({
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    expect(JSON.parse(end.mock.calls[0]![0] as string).error.code).toBe('ERR_INTERNAL');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'aborted' }), undefined);
  });
});

describe('fetch bodies', () => {
  const stream = (parts: (string | Error)[], hang = false) =>
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = parts.shift();
        if (next === undefined) {
          if (!hang) controller.close();
          else await new Promise(() => {});
        } else if (next instanceof Error) controller.error(next);
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
  const request = (body: ReadableStream<Uint8Array>) =>
    new Request('http://127.0.0.1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);

  test('a body stream error is the JSON 500 with no-store and CORS, and reaches onError', async () => {
    const onError = vi.fn();
    const handler = createFetchHandler({ ...options, onError });
    const response = await handler(request(stream(['{"identity":', new Error('stream broke')])));
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_INTERNAL');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'stream broke' }), undefined);
  });

  test('a body that stalls gets 408 after bodyTimeout', async () => {
    const handler = createFetchHandler({ ...options, bodyTimeout: 100 });
    const response = await handler(request(stream(['{"identity":'], true)));
    expect(response.status).toBe(408);
    expect(response.headers.get('connection')).toBe('close');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_REQUEST_TIMEOUT');
  });

  test('an endless body stops being read past 16 KiB', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await createFetchHandler(options)(request(endless));
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(pulled).toBeLessThan(40);
  });

  test('a Content-Length over 16 KiB: 413 with Connection: close, nothing read; other answers keep the connection', async () => {
    const big = new Request('http://127.0.0.1/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '2000000000' },
      body: stream([], true),
      duplex: 'half',
    } as RequestInit);
    const refused = await createFetchHandler(options)(big);
    expect(refused.status).toBe(413);
    expect(refused.headers.get('connection')).toBe('close');
    const fine = await createFetchHandler(options)(request(stream(['{"identity":"alice"}'])));
    expect(fine.headers.get('connection')).toBeNull();
  });
});

describe('Twilio Functions faults', () => {
  afterEach(() => {
    delete (globalThis as { Twilio?: unknown }).Twilio;
  });
  const event = { identity: 'alice' };

  test('a callback that throws: called exactly once, onError told, no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      for (const identify of [() => 'alice', async () => 'alice']) {
        const onError = vi.fn();
        const handler = createTwilioFunction({ ...options, identify, onError });
        const callback = vi.fn(() => {
          throw new Error('runtime callback failed');
        });
        handler({}, event, callback);
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(callback).toHaveBeenCalledTimes(1);
        expect(onError).toHaveBeenCalledWith(
          expect.objectContaining({ message: 'runtime callback failed' }),
          undefined,
        );
      }
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  test('a Twilio.Response that throws: the callback gets the plain JSON 500, once', async () => {
    (globalThis as { Twilio?: unknown }).Twilio = {
      Response: class {
        constructor() {
          throw new Error('no Response today');
        }
      },
    };
    const onError = vi.fn();
    const handler = createTwilioFunction({ ...options, onError });
    const callback = vi.fn();
    handler({}, event, callback);
    await vi.waitFor(() => expect(callback).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(callback).toHaveBeenCalledTimes(1);
    const [error, response] = callback.mock.calls[0] as unknown as [unknown, { statusCode: number; body: string }];
    expect(error).toBeNull();
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).error.code).toBe('ERR_INTERNAL');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'no Response today' }), undefined);
  });

  test('an event nested deeper than 64 levels is a 400', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const handler = createTwilioFunction(options);
    const response = await new Promise<{ statusCode: number; body: string }>((resolve) =>
      handler({}, { identity: 'alice', deep }, (_e, r) => resolve(r as never)),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('ERR_BAD_REQUEST');
  });
});
