import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs an example as its README says, `npm start`, in a temporary copy of its folder. The copy's
// node_modules holds the example's OWN dependencies, installed with `npm ci` from its lockfile into
// a cache outside this repository (so nothing resolves from the repository's node_modules), once
// per lockfile; `twilio-access-token` there is a link to this repository and its dist/ build.
// Servers listen on 127.0.0.1 only and are stopped by process group.

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const cacheRoot = join(tmpdir(), 'twilio-access-token-examples');

/** The example's package.json without `twilio-access-token`, which is linked instead. */
export function manifestWithoutPackage(name: string): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(root, 'examples', name, 'package.json'), 'utf8'));
  delete manifest.dependencies?.['twilio-access-token'];
  return manifest;
}

/**
 * Installs `examples/<name>`'s dependencies with `npm ci` (scripts off) into a cache keyed by its
 * manifest, lockfile, Node version and this repository's path, unless that install exists.
 *
 * @returns The installed node_modules folder.
 */
export function installExample(name: string): string {
  const manifest = `${JSON.stringify(manifestWithoutPackage(name), null, 2)}\n`;
  const lockfile = readFileSync(join(root, 'examples', name, 'package-lock.json'), 'utf8');
  const key = createHash('sha256').update([manifest, lockfile, process.version, root].join('\0')).digest('hex');
  const ready = join(cacheRoot, `${name}-${key.slice(0, 16)}`);
  const installed = () => existsSync(join(ready, 'node_modules/twilio-access-token/package.json'));
  if (installed()) return join(ready, 'node_modules');
  mkdirSync(cacheRoot, { recursive: true });
  // One install per lockfile at a time: a test file that finds another installing it waits.
  const lock = `${ready}.lock`;
  for (const deadline = Date.now() + 300_000; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (installed()) return join(ready, 'node_modules');
      // A lock older than 10 minutes was left by a run that died.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 600_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`examples/${name}: another install holds ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  if (installed()) {
    rmSync(lock, { recursive: true, force: true });
    return join(ready, 'node_modules');
  }
  const work = mkdtempSync(join(cacheRoot, `${name}-installing-`));
  try {
    cpSync(join(root, 'examples', name, 'package-lock.json'), join(work, 'package-lock.json'));
    writeFileSync(join(work, 'package.json'), manifest);
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
    });
    mkdirSync(join(work, 'node_modules'), { recursive: true });
    symlinkSync(root, join(work, 'node_modules/twilio-access-token'), 'dir');
    rmSync(ready, { recursive: true, force: true }); // a partial folder, if any: `installed()` was false
    renameSync(work, ready);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
  return join(ready, 'node_modules');
}

/**
 * Makes `examples/<name>/node_modules` a link to the harness's install of that example, unless the
 * folder has its own (from `npm install --no-save ../..`). Gitignored; lets tools that read the
 * examples in place, such as the type check, resolve their dependencies.
 */
export function linkExampleModules(name: string): void {
  const target = join(root, 'examples', name, 'node_modules');
  if (existsSync(target)) return;
  // A link left from an earlier run whose install in the temporary folder is gone.
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(target);
  try {
    symlinkSync(installExample(name), target, 'dir');
  } catch (error) {
    // A concurrent test linked it first.
    if (!existsSync(target)) throw error;
  }
}

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
  /** The `npm start` process. */
  readonly child: ChildProcess;
  /** What it printed so far. */
  output(): string;
  stop(): void;
}

/** What a process printed and its exit code, for an example that must refuse to start. */
export interface ExitedExample {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function copyExample(name: string, prepare?: (dir: string) => void): string {
  const modules = installExample(name);
  const dir = mkdtempSync(join(tmpdir(), `tat-example-${name}-`));
  cpSync(join(root, 'examples', name), dir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.env)$/.test(source),
  });
  symlinkSync(modules, join(dir, 'node_modules'), 'dir');
  prepare?.(dir);
  return dir;
}

function spawnStart(dir: string, env: Record<string, string>, port: number): ChildProcess {
  return spawn('npm', ['start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      PORT: String(port),
      CI: 'true',
      NO_UPDATE_NOTIFIER: '1',
      FORCE_COLOR: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/**
 * Starts `examples/<name>` with `npm start` and waits until `ready` answers.
 *
 * @param prepare - Called with the copy's folder before the start, to write a `.env` file.
 */
export async function startExample(options: {
  name: string;
  env: Record<string, string>;
  prepare?: (dir: string) => void;
  ready?: string;
}): Promise<RunningExample> {
  const dir = copyExample(options.name, options.prepare);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawnStart(dir, options.env, port);
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
  return { base, dir, child, output: () => output, stop };
}

/** Runs `npm start` for an example that is expected to exit by itself; kills it after 20 s. */
export async function runExampleToExit(options: { name: string; env: Record<string, string> }): Promise<ExitedExample> {
  const dir = copyExample(options.name);
  const child = spawnStart(dir, options.env, await freePort());
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr };
}
