import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

// A real Redis for the tests that need one: Debian's redis-server (installed by .ci/run), one per
// test file, on 127.0.0.1 and a free port, with no persistence; stopped by its PID.

/** A running redis-server. */
export interface RedisServer {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops it (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
  /** Sends it a signal: `SIGSTOP` hangs it (connections stay open, nothing answers), `SIGCONT` resumes it. */
  signal(signal: NodeJS.Signals): void;
  /** Kills it (SIGKILL: no goodbye to its clients) and waits for the exit. */
  kill(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function binary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run installs it)');
  }
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save '' --appendonly no`; resolves once it is
 * ready. The port is free when chosen but another process (a second test run beside this one) may
 * take it before redis-server binds it: a server that exits before it is ready is started again on
 * another port.
 */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const server = await startOnce();
    if (server !== undefined) return server;
    if (attempt === 5) throw new Error('redis-server exited before it was ready, five times');
  }
}

async function startOnce(): Promise<RedisServer | undefined> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let ready = false;
  for await (const line of lines) {
    if (line.includes('Ready to accept connections')) {
      ready = true;
      break;
    }
  }
  if (!ready) return undefined;
  // Keep draining its log so a full pipe never blocks it.
  child.stdout?.resume();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A stopped (SIGSTOP) server would hold SIGTERM until continued.
      child.kill('SIGCONT');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
    signal(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
