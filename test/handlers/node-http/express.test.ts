import { once } from 'node:events';
import { createServer } from 'node:http';
import express from 'express';
import { describe, expect, test, vi } from 'vitest';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';

// The Express adapter's own edges; the shared matrix covers behaviour over real sockets.

const request = (body?: unknown) => ({
  method: 'POST',
  url: '/token?x=1',
  headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] },
  body,
  readableEnded: true,
  on: () => undefined,
  removeListener: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  destroy: () => undefined,
});

describe('createExpressHandler', () => {
  test('uses a body an Express parser already read, and joins array headers', async () => {
    const seen = vi.fn((_r: unknown) => 'alice');
    const handler = createExpressHandler({ credentials, identify: seen, grants: videoGrant() });
    const end = vi.fn();
    handler(request({ room: 'r' }), { headersSent: false, writeHead: vi.fn(), end });
    await vi.waitFor(() => expect(end).toHaveBeenCalled());
    expect(seen.mock.calls[0]![0]).toMatchObject({
      body: { room: 'r' },
      query: { x: '1' },
      headers: { 'set-cookie': 'a=1, b=2' },
    });
  });

  test('passes an error writing the response to next(), once', async () => {
    const handler = createExpressHandler({ credentials, identify: () => 'alice', grants: videoGrant() });
    const next = vi.fn();
    const broken = new Error('socket gone');
    handler(
      request({}),
      {
        headersSent: false,
        writeHead: () => {
          throw broken;
        },
        end: vi.fn(),
      },
      next,
    );
    await vi.waitFor(() => expect(next).toHaveBeenCalled());
    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith(broken);
  });

  test('without next, a failed write falls back to the JSON 500, with CORS, and tells onError', async () => {
    const onError = vi.fn();
    const handler = createExpressHandler({ credentials, identify: () => 'alice', grants: videoGrant(), onError });
    let calls = 0;
    const writeHead = vi.fn(() => {
      calls += 1;
      if (calls === 1) throw new Error('first write failed');
    });
    const end = vi.fn();
    handler(request({}), { headersSent: false, writeHead, end });
    await vi.waitFor(() => expect(end).toHaveBeenCalled());
    expect(writeHead).toHaveBeenLastCalledWith(
      500,
      expect.objectContaining({
        'access-control-allow-origin': '*',
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      }),
    );
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'first write failed' }), undefined);
    expect(JSON.parse(end.mock.calls[0]![0] as string)).toEqual({
      error: { code: 'ERR_INTERNAL', message: 'The token could not be issued because of a server error' },
    });
  });
});

describe('createExpressHandler behind Express body parsers', () => {
  test('takes JSON and form bodies that express.json() and express.urlencoded() already parsed', async () => {
    const app = express();
    app.use(express.json(), express.urlencoded({ extended: false }));
    app.post(
      '/token',
      createExpressHandler({
        credentials,
        identify: (r) => String(r.params.identity ?? '') || null,
        grants: videoGrant(),
      }),
    );
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    try {
      const json = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"identity":"json-user"}',
      });
      expect(((await json.json()) as { identity: string }).identity).toBe('json-user');
      const form = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'identity=form+user',
      });
      expect(((await form.json()) as { identity: string }).identity).toBe('form user');
      const none = await fetch(url, { method: 'POST' });
      expect(none.status).toBe(401);
    } finally {
      server.close();
    }
  });
});
