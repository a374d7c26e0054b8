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

/**
 * Resolves once no process of a detached child's group is left (npm exits before the servers it
 * started, which may still be writing files), SIGKILLing the group if it outlives 10 s. A condition,
 * polled: never a fixed wait.
 */
export async function groupGone(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    try {
      process.kill(-pid, 0);
    } catch {
      return; // ESRCH: the group is gone
    }
    if (Date.now() > deadline - 10_000) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
