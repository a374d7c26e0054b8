import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';

// The node:http adapter against real clients on 127.0.0.1: keep-alive clients after a 413 or 408
// (Node's http.Agent and undici's fetch), a body on every method read at most to the limit, and
// clients that go away before the answer.

const LIMIT = 16 * 1024;
const LINGER = 256 * 1024;

interface Started {
  port: number;
  /** Connections the server accepted. */
  connections(): number;
  /** Bytes the server read from every connection, headers included. */
  bytesRead(): number;
}

let servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

const base: TokenHandlerOptions = {
  credentials,
  identify: (request) => (request.headers.authorization === 'Bearer ok' ? 'alice' : null),
  grants: videoGrant(),
};

async function start(
  options: Partial<TokenHandlerOptions> = {},
  kind: 'bare' | 'express' = 'bare',
  quiet = true,
): Promise<Started> {
  // quiet: an onError that drops everything; otherwise the default one, which logs.
  const handler = createExpressHandler({ ...(quiet ? { onError: () => {} } : {}), ...base, ...options });
  let listener: Parameters<typeof createServer>[1] = handler;
  if (kind === 'express') {
    const app = express();
    app.all('/token', handler);
    listener = app;
  }
  const server = createServer(listener);
  servers.push(server);
  const sockets: Socket[] = [];
  server.on('connection', (socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.length,
    bytesRead: () => sockets.reduce((sum, s) => sum + s.bytesRead, 0),
  };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request through a node:http Agent; `body` may be written whole, in chunks, or stall. */
function viaAgent(
  agent: Agent,
  port: number,
  r: { method?: string; headers?: Record<string, string>; body?: Buffer; chunks?: Buffer[]; stall?: Buffer },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: '127.0.0.1', port, path: '/token', method: r.method ?? 'GET', headers: r.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (r.stall !== undefined) req.write(r.stall);
    else if (r.chunks !== undefined) {
      for (const chunk of r.chunks) req.write(chunk);
      req.end();
    } else req.end(r.body);
  });
}

const good = { headers: { authorization: 'Bearer ok' } };
const junk = (size: number) => Buffer.alloc(size, 0x78);
const codeOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

/** Runs `rounds` refused-then-good pairs; returns the failures, described. */
async function rounds(count: number, refused: (i: number) => Promise<Answer>, next: () => Promise<Answer>) {
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const first = await refused(i);
      if (![408, 413].includes(first.status) || first.headers.connection !== 'close')
        failures.push(`round ${i}: refused answer ${first.status} connection=${first.headers.connection}`);
      else if (codeOf(first.body) !== (first.status === 413 ? 'ERR_PAYLOAD_TOO_LARGE' : 'ERR_REQUEST_TIMEOUT'))
        failures.push(`round ${i}: refused body ${first.body}`);
      const second = await next();
      if (second.status !== 200) failures.push(`round ${i}: next request ${second.status}`);
    } catch (error) {
      failures.push(`round ${i}: ${(error as Error).message} ${(error as { code?: string }).code ?? ''}`);
    }
  }
  return failures;
}

describe.each(['bare', 'express'] as const)('keep-alive clients after a refused body (%s)', (kind) => {
  test('http.Agent({ keepAlive }): 200 oversize bodies with Content-Length, each 413, every next request succeeds', async () => {
    const server = await start({}, kind);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const failures = await rounds(
        200,
        // 16 KiB + 1 up to 200 KiB: announced too large, answered before the body is read.
        (i) => viaAgent(agent, server.port, { method: 'POST', body: junk(LIMIT + 1 + ((i * 997) % (184 * 1024))) }),
        () => viaAgent(agent, server.port, good),
      );
      expect(failures).toEqual([]);
      // Each 413 closed its connection: the next request came on a new one.
      expect(server.connections()).toBeGreaterThanOrEqual(200);
    } finally {
      agent.destroy();
    }
  });

  test('http.Agent({ keepAlive }): 200 chunked bodies past 16 KiB, each 413, every next request succeeds', async () => {
    const server = await start({}, kind);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const failures = await rounds(
        200,
        (i) =>
          viaAgent(agent, server.port, { method: 'POST', chunks: [junk(8 * 1024), junk(8 * 1024), junk(1 + i * 64)] }),
        () => viaAgent(agent, server.port, good),
      );
      expect(failures).toEqual([]);
    } finally {
      agent.destroy();
    }
  });

  test('http.Agent({ keepAlive }): 200 stalled bodies, each 408, every next request succeeds', async () => {
    const server = await start({ bodyTimeout: 15 }, kind);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const failures = await rounds(
        200,
        () =>
          viaAgent(agent, server.port, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': '100' },
            stall: Buffer.from('{"identity":'),
          }),
        () => viaAgent(agent, server.port, good),
      );
      expect(failures).toEqual([]);
    } finally {
      agent.destroy();
    }
  });
});

/** One request through Node's global fetch (undici, keep-alive by default). */
async function viaFetch(port: number, init: RequestInit): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}/token`, init);
  const headers: IncomingHttpHeaders = Object.fromEntries(response.headers);
  return { status: response.status, headers, body: await response.text() };
}

function streamOf(parts: Buffer[], hang: boolean): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = parts.shift();
      if (next !== undefined) controller.enqueue(new Uint8Array(next));
      else if (hang) await new Promise((resolve) => setTimeout(resolve, 2000));
      else controller.close();
    },
  });
}

describe("undici's fetch (keep-alive) after a refused body", () => {
  const goodFetch = (port: number) => () => viaFetch(port, { headers: { authorization: 'Bearer ok' } });

  test('200 oversize bodies with Content-Length: each 413, every next request succeeds', async () => {
    const server = await start();
    const failures = await rounds(
      200,
      (i) => viaFetch(server.port, { method: 'POST', body: junk(LIMIT + 1 + ((i * 997) % (184 * 1024))) }),
      goodFetch(server.port),
    );
    expect(failures).toEqual([]);
  });

  test('200 streamed (chunked) bodies past 16 KiB: each 413, every next request succeeds', async () => {
    const server = await start();
    const failures = await rounds(
      200,
      () =>
        viaFetch(server.port, {
          method: 'POST',
          body: streamOf([junk(8 * 1024), junk(8 * 1024), junk(2048)], false),
          duplex: 'half',
        } as RequestInit),
      goodFetch(server.port),
    );
    expect(failures).toEqual([]);
  });

  test('200 stalled bodies: each 408, every next request succeeds', async () => {
    const server = await start({ bodyTimeout: 15 });
    const failures = await rounds(
      200,
      () =>
        viaFetch(server.port, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: streamOf([Buffer.from('{"identity":')], true),
          duplex: 'half',
        } as RequestInit),
      goodFetch(server.port),
    );
    expect(failures).toEqual([]);
  });
});

/** A raw connection: what the server answered, and when it closed. */
function rawClient(port: number) {
  // Half-open allowed: the server's FIN must not end this side, which may still be sending.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, closed, received: () => received };
}

/** Streams up to `total` bytes of junk until the server answers or closes; returns what it sent. */
async function streamJunk(client: ReturnType<typeof rawClient>, total: number): Promise<number> {
  const chunk = junk(16 * 1024);
  let sent = 0;
  let closed = false;
  void client.closed.then(() => {
    closed = true;
  });
  while (sent < total && !closed && !client.socket.destroyed) {
    if (!client.socket.write(chunk)) {
      await Promise.race([
        // Not once(): a reset is expected here, and must not reject.
        new Promise((resolve) => client.socket.once('drain', resolve)),
        client.closed,
        new Promise((resolve) => setTimeout(resolve, 100)),
      ]);
    }
    sent += chunk.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  client.socket.end();
  return sent;
}

describe('a body on any method is read at most to the 16 KiB limit', () => {
  test.each([
    ['GET', 'content-length: 2000000000'],
    ['OPTIONS', 'content-length: 2000000000'],
    ['PUT', 'content-length: 2000000000'],
    ['DELETE', 'content-length: 2000000000'],
    ['POST', 'content-length: 2000000000'],
    ['GET', 'transfer-encoding: chunked'],
    ['PATCH', 'transfer-encoding: chunked'],
  ])(
    '%s with %s and 1 MiB of junk: answered, connection closed, at most limit + linger read',
    async (method, framing) => {
      const server = await start();
      const client = rawClient(server.port);
      await once(client.socket, 'connect');
      client.socket.write(
        `${method} /token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ok\r\n${framing}\r\n\r\n`,
      );
      // Chunked junk is still one endless chunk body: announce a huge chunk, then stream bytes.
      if (framing.startsWith('transfer')) client.socket.write('7fffffff\r\n');
      await streamJunk(client, 1024 * 1024);
      await Promise.race([client.closed, new Promise((resolve) => setTimeout(resolve, 3000))]);
      expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
      expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
      expect(client.received()).toMatch(/\r\nconnection: close\r\n/i);
      expect(client.received()).toContain('"code":"ERR_PAYLOAD_TOO_LARGE"');
      // Headers, the limit, and what the lingering close discards at most (256 KiB plus a chunk).
      expect(server.bytesRead()).toBeLessThan(LIMIT + LINGER + 128 * 1024);
    },
  );

  test('a small body on GET (within 16 KiB) is read and ignored: the connection stays alive', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 20; i++) {
        // Node's client sends no Content-Length for a GET body unless told.
        const size = 100 + i * 800;
        const headers = { ...good.headers, 'content-length': String(size) };
        const answer = await viaAgent(agent, server.port, { headers, body: junk(size) });
        expect(answer.status).toBe(200);
        expect(answer.headers.connection).toBe('keep-alive');
      }
      expect(server.connections()).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe('the close after a refused body lingers', () => {
  // Closing a socket with unread input resets it (RST); on a real network a client still sending
  // can then lose the answer. The server half-closes and reads on (discarding) instead.
  test('a client still sending its body after the 413 meets no reset while within 256 KiB', async () => {
    const server = await start();
    const client = rawClient(server.port);
    const errors: string[] = [];
    client.socket.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    const ended = new Promise<void>((resolve) => client.socket.on('end', () => resolve()));
    await once(client.socket, 'connect');
    const size = 200 * 1024;
    client.socket.write(`POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${size}\r\n\r\n`);
    // The 413 and the server's FIN come before any body byte is sent.
    await ended;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(client.received()).toMatch(/\r\nconnection: close\r\n/i);
    for (let sent = 0; sent < size; sent += 16 * 1024) {
      client.socket.write(junk(16 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    client.socket.end();
    await client.closed;
    expect(errors).toEqual([]);
  });

  test('a client that keeps sending past 256 KiB is cut off: the server stops reading', async () => {
    const server = await start();
    const client = rawClient(server.port);
    await once(client.socket, 'connect');
    client.socket.write('POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000000\r\n\r\n');
    const sent = await streamJunk(client, 4 * 1024 * 1024);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
    expect(server.bytesRead()).toBeLessThan(LIMIT + LINGER + 128 * 1024);
  });
});

describe('a client that goes away before the answer is not a server fault', () => {
  const spies = () => ({
    error: vi.spyOn(console, 'error').mockImplementation(() => {}),
    warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
  });

  async function abortMidBody(port: number) {
    const client = rawClient(port);
    await once(client.socket, 'connect');
    client.socket.write(
      'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"identity":"al',
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    client.socket.destroy();
  }

  async function abortBeforeAnswer(port: number, chunked: boolean) {
    const client = rawClient(port);
    await once(client.socket, 'connect');
    const body = '{"identity":"alice"}';
    client.socket.write(
      chunked
        ? `POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ok\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`
        : 'GET /token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ok\r\n\r\n',
    );
    // The hook below answers after 20 ms; the client is gone by then.
    await new Promise((resolve) => setTimeout(resolve, 5));
    client.socket.destroy();
  }

  test.each(['bare', 'express'] as const)(
    '%s: 200 aborts mid-body and 200 before the answer: no onError, no console.error or console.warn',
    async (kind) => {
      const onError = vi.fn();
      const slow = { identify: async () => new Promise<string>((resolve) => setTimeout(() => resolve('alice'), 20)) };
      const counted = await start({ onError, ...slow }, kind);
      const { error, warn } = spies();
      // The default onError (a logger) on a second server.
      const logged = await start(slow, kind, false);
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const runs: Promise<void>[] = [];
        for (let i = 0; i < 100; i++) {
          for (const port of [counted.port, logged.port]) {
            runs.push(abortMidBody(port), abortBeforeAnswer(port, i % 2 === 0));
          }
        }
        await Promise.all(runs);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(onError).not.toHaveBeenCalled();
        expect(error).not.toHaveBeenCalled();
        expect(warn).not.toHaveBeenCalled();
        expect(unhandled).not.toHaveBeenCalled();
        // The server still answers.
        const agent = new Agent({ keepAlive: true });
        try {
          expect((await viaAgent(agent, logged.port, good)).status).toBe(200);
        } finally {
          agent.destroy();
        }
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    },
  );

  test('fetch runtimes: a body that fails because the client aborted (request.signal) is not reported', async () => {
    const onError = vi.fn();
    const { error, warn } = spies();
    const handler = createFetchHandler({ ...base, onError });
    const logging = createFetchHandler(base);
    for (const h of [handler, logging]) {
      const controller = new AbortController();
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (!sent) {
            sent = true;
            c.enqueue(new TextEncoder().encode('{"identity":'));
            return;
          }
          // The runtime aborts the request's signal and errors its body when the client leaves.
          controller.abort();
          c.error(new DOMException('The operation was aborted', 'AbortError'));
        },
      });
      const request = new Request('http://127.0.0.1/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit);
      const response = await h(request);
      expect(response.status).toBe(500);
    }
    expect(onError).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
