import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readLimited } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

// Two ways to run the CLI in tests: in this process from src/ (fast enough for property tests), and
// the built dist/cli.js as a child process (what users run).

/** The built CLI. */
export const cliPath = join(new URL('../..', import.meta.url).pathname, 'dist/cli.js');

/** What one run printed and returned. */
export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of one run. */
export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  dir?: string;
}

/** An empty working folder (no .env). */
export const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'tat-cli-'));

const sharedEmptyDir = emptyDir();

/** Runs the CLI's `run` in this process with captured output; by default in an empty folder. */
export async function runInProcess(args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    env: options.env ?? {},
    cwd: options.dir ?? sharedEmptyDir,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: () => readLimited(Readable.from([Buffer.from(options.input ?? '')])),
  });
  return { code, stdout, stderr };
}

/** Runs the built CLI as a child process; `nodeArgs` go before the script (`--import`). */
export function runBuilt(args: readonly string[], options: RunOptions & { nodeArgs?: string[] } = {}): Outcome {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath, ...args], {
    cwd: options.dir ?? '/',
    env: { PATH: process.env.PATH ?? '', ...(options.env ?? {}) },
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a shell pipeline ending in the built CLI; resolves with its exit code, output and duration. */
export function runPipeline(
  producer: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<Outcome & { ms: number }> {
  const started = Date.now();
  const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // Its own process group, so a timeout ends the whole pipeline.
  const child = spawn('sh', ['-c', `${producer} | ${quoted}`], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
