import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Runs an example as its README says, `npm start`, in a temporary copy whose node_modules links
// this repository (the example's `file:../..` dependency) and the packages this repository already
// installed, so no test reaches the registry. Listens on 127.0.0.1 only; stopped by process group.

const root = new URL('../..', import.meta.url).pathname;

/** A free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningExample {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The example's folder (a temporary copy). */
  readonly dir: string;
  /** What it printed so far. */
  output(): string;
  stop(): void;
}

/**
 * Starts `examples/<name>` with `npm start` and waits until `ready` answers.
 *
 * @param packages - Packages to link from this repository's node_modules, such as `express`.
 * @param bins - Executables to link into node_modules/.bin: name to path inside node_modules.
 */
export async function startExample(options: {
  name: string;
  env: Record<string, string>;
  packages?: readonly string[];
  bins?: Readonly<Record<string, string>>;
  prepare?: (dir: string) => void;
  ready?: string;
}): Promise<RunningExample> {
  const dir = mkdtempSync(join(tmpdir(), `tat-example-${options.name}-`));
  cpSync(join(root, 'examples', options.name), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules/twilio-access-token'), 'dir');
  for (const name of options.packages ?? []) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  for (const [bin, target] of Object.entries(options.bins ?? {}))
    symlinkSync(`../${target}`, join(dir, 'node_modules/.bin', bin));
  options.prepare?.(dir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      PORT: String(port),
      CI: 'true',
      NO_UPDATE_NOTIFIER: '1',
      FORCE_COLOR: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) {
      stop();
      throw new Error(`${options.name} exited with ${child.exitCode}: ${output}`);
    }
    try {
      await fetch(`${base}${options.ready ?? '/'}`);
      break;
    } catch {
      if (Date.now() > deadline) {
        stop();
        throw new Error(`${options.name} did not start: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { base, dir, output: () => output, stop };
}
