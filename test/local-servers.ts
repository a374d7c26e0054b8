import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * node:http servers on 127.0.0.1 for one test file: `serve` starts one and returns its URL at
 * `path`; `close` (for afterAll) stops every one started.
 */
export function localServers() {
  const servers: Server[] = [];
  return {
    async serve(listener: Parameters<typeof createServer>[1], path = '/token'): Promise<string> {
      const server = createServer(listener);
      servers.push(server);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    },
    close: () => Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))),
  };
}
