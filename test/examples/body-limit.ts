import { expect, test } from 'vitest';
import { bytesRead, postHugeBody, serverPid } from './example-helpers.js';
import type { RunningExample } from './run-example.js';

/**
 * Tests that a server from examples/ answers a 300 MB body with a quick 413 and `Connection: close`,
 * having read at most a few hundred KiB of it (measured from the server process's own read count),
 * and still serves the next request.
 */
export function testBodyLimit(example: () => RunningExample, path: string, next: () => Promise<number>): void {
  test.each([
    ['Content-Length: 300 MB', false],
    ['300 MB chunked, no Content-Length', true],
  ])('%s: 413 with Connection: close, having read little of it', async (_name, chunked) => {
    const pid = serverPid(example().child.pid as number);
    const before = bytesRead(pid);
    const result = await postHugeBody(`${example().base}${path}`, { chunked });
    // After the server's short lingering close.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const read = bytesRead(pid) - before;
    expect(result.status).toBe(413);
    expect(result.headers.connection).toBe('close');
    expect(result.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(result.body)).toEqual({
      error: { code: 'ERR_PAYLOAD_TOO_LARGE', message: 'The request body is larger than 16384 bytes' },
    });
    expect(result.elapsed).toBeLessThan(3_000);
    expect(read).toBeLessThan(512 * 1024);
    // The server is still there for the next client.
    expect(await next()).toBe(200);
  });
}
