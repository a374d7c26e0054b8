import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { freePort } from '../examples/run-example.js';
import { credentials } from '../helpers.js';
import { groupGone } from '../local-servers.js';

// A fresh project of one platform, as a user makes it: `twilio-access-token init <platform>` (the
// built dist/cli.js) in an empty folder, the package installed from its tarball (`npm pack`), the
// framework's packages hard-linked from an install the other tests already made (an example's or a
// rig's node_modules), so nothing is downloaded. Servers listen on 127.0.0.1 and are stopped by
// process group.

const root = new URL('../..', import.meta.url).pathname;

/** The fake credentials, under both sets of names (process.env and a Twilio Functions .env). */
export const ENV: Readonly<Record<string, string>> = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};

/** Packs this repository (dist/ must be built) into `dir`; returns the tarball. */
export function pack(dir: string): string {
  expect(existsSync(join(root, 'dist/cli.js')), 'dist/ is missing: run `npx tsup` first').toBe(true);
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string }];
  return join(dir, packed.filename);
}

/**
 * Makes a project folder under `scratch`: `files` first (a package.json...), then `init`, then a
 * node_modules holding `modules` (hard links) and the package from `tarball`.
 *
 * @returns The folder and what init printed.
 */
export function initProject(options: {
  scratch: string;
  platform: string;
  tarball: string;
  modules?: string;
  files?: Record<string, string>;
}): { dir: string; stdout: string } {
  const dir = mkdtempSync(join(options.scratch, `${options.platform}-`));
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const stdout = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'init', options.platform], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  if (options.modules === undefined) mkdirSync(join(dir, 'node_modules'));
  else execFileSync('cp', ['-al', options.modules, join(dir, 'node_modules')]);
  const installed = join(dir, 'node_modules/twilio-access-token');
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed);
  execFileSync('tar', ['-xzf', options.tarball, '-C', installed, '--strip-components=1']);
  return { dir, stdout };
}

/** What the app does once it fills in identify: every caller is alice. */
export function fillIdentify(file: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text.match(/^\s*return null;$/gm)).toHaveLength(1);
  writeFileSync(file, text.replace(/^(\s*)return null;$/m, "$1return 'alice';"));
}

/** A server process started in a project. */
export interface Running {
  readonly base: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `command` in `cwd` with PORT set to a free port and HOST to 127.0.0.1, and waits until
 * `ready` (a path) answers at all, or the process exits.
 */
export async function serve(options: {
  command: string;
  args: (port: number) => readonly string[];
  cwd: string;
  env?: Record<string, string>;
  ready: string;
  timeout?: number;
}): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(options.command, [...options.args(port)], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: options.cwd,
      PORT: String(port),
      HOST: '127.0.0.1',
      CI: 'true',
      NO_UPDATE_NOTIFIER: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => {
        signal(child, 'SIGKILL');
        resolve();
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      signal(child, 'SIGTERM');
    });
  // npm exits before the servers it started: the whole group is waited for (a Next.js worker still
  // writing .next/ made a later rm fail with ENOTEMPTY once, beside another run).
  const stop = async () => {
    await exited();
    await groupGone(child.pid);
  };
  for (const deadline = Date.now() + (options.timeout ?? 60_000); ; ) {
    if (child.exitCode !== null) throw new Error(`${options.command} exited with ${child.exitCode}: ${output}`);
    try {
      await fetch(`${base}${options.ready}`);
      break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.command} did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { base, output: () => output, stop };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
  } catch {
    // Already gone.
  }
}

/** Expects the generated endpoint's answer: a 401 `ERR_UNAUTHORIZED`. */
export function expectRefused(status: number, body: string): void {
  expect(status, body).toBe(401);
  expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
}

/** Expects a 200 whose token verifies with the fake secret, for alice, with a Video grant. */
export function expectToken(status: number, body: string): void {
  expect(status, body).toBe(200);
  const answer = JSON.parse(body) as { token: string; identity: string };
  expect(answer.identity).toBe('alice');
  const payload = verifyAccessToken(answer.token, { apiKeySecret: credentials.apiKeySecret });
  expect(payload.grants).toEqual({ identity: 'alice', video: {} });
  expect(payload.iss).toBe(credentials.apiKeySid);
  expect(payload.sub).toBe(credentials.accountSid);
}

/** POSTs to `url` with no body; returns the status and the body text. */
export async function post(url: string): Promise<[number, string]> {
  const response = await fetch(url, { method: 'POST' });
  return [response.status, await response.text()];
}

/**
 * Does what the printed next step says: copies .env.example to `target` and fills in each variable
 * with the fake credentials (under its Twilio Functions name too).
 */
export function fillEnv(dir: string, target: string): void {
  const values: Record<string, string> = {
    ...ENV,
    ACCOUNT_SID: credentials.accountSid,
    API_KEY: credentials.apiKeySid,
    API_SECRET: credentials.apiKeySecret,
  };
  const text = readFileSync(join(dir, '.env.example'), 'utf8').replace(/^(\w+)=$/gm, (_, name: string) => {
    expect(values[name], name).toBeDefined();
    return `${name}=${values[name]}`;
  });
  writeFileSync(join(dir, target), text);
}

/**
 * Type-checks the project's TypeScript with this repository's TypeScript, strict, against the
 * package's published types: `lib` `dom` stands in for @cloudflare/workers-types, `node` links this
 * repository's @types/node (what create-hono's Node template installs).
 */
export function typecheck(dir: string, types: 'dom' | 'node'): void {
  if (types === 'node') {
    mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  }
  const compilerOptions = {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: types === 'dom' ? ['es2022', 'dom'] : ['es2022'],
    types: types === 'node' ? ['node'] : [],
    skipLibCheck: true,
    noEmit: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
}

/** Runs the generated test as init's output says (`node --test token.node-test.mjs`): it passes. */
export function runGeneratedTest(dir: string): string {
  return execFileSync(process.execPath, ['--test', 'token.node-test.mjs'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}
