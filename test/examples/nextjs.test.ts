import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { wholeFiles } from '../docs/whole-files.js';
import { credentials } from '../helpers.js';
import { groupGone } from '../local-servers.js';
import { expectBuilt } from './example-helpers.js';
import { freePort, installExample } from './run-example.js';

// examples/nextjs as a user runs it: a real Next.js 16 App Router app, with this package installed
// from its tarball (`npm pack`), built by `next build` (its route type check included: the route
// exports `createFetchHandler(...)` as POST) and served by `next start`, then by `npm run dev`.
// Credentials come from .env.local, as Next.js loads them. Only 127.0.0.1 is ever contacted.

const root = new URL('../..', import.meta.url).pathname;
const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
const ENV_LOCAL = [
  `TWILIO_ACCOUNT_SID=${credentials.accountSid}`,
  `TWILIO_API_KEY_SID=${credentials.apiKeySid}`,
  `TWILIO_API_KEY_SECRET=${credentials.apiKeySecret}`,
  'DEMO_IDENTITY=alice',
  `SESSION_SECRET=${'s'.repeat(32)}`,
  '',
].join('\n');

let scratch: string;

/** A copy of the example whose node_modules holds its own dependencies and the packed package. */
function prepare(tarball: string): string {
  const dir = join(scratch, `app-${Math.random().toString(36).slice(2, 8)}`);
  cpSync(join(root, 'examples/nextjs'), dir, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.next|\.env\.local|next-env\.d\.ts)$/.test(source),
  });
  // Hard links: a real folder (Next.js resolves no module outside the project) made in a moment.
  execFileSync('cp', ['-al', installExample('nextjs'), join(dir, 'node_modules')]);
  const installed = join(dir, 'node_modules/twilio-access-token');
  rmSync(installed, { recursive: true, force: true });
  mkdirSync(installed);
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  writeFileSync(join(dir, '.env.local'), ENV_LOCAL);
  // The docs' whole-file blocks for a Next.js app, as they stand, each under app/docs-<i>/.
  DOC_ROUTES.forEach((block, i) => {
    const file = join(dir, 'app', `docs-${i}`, block.path.replace(/^app\//, ''));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
  });
  return dir;
}

/** The docs' whole-file blocks that are Next.js App Router route files. */
const DOC_ROUTES = wholeFiles().filter((w) => /^app\/.*\/route\.ts$/.test(w.path));
/** A session cookie as the docs' userFromSession reads it, signed with the SESSION_SECRET above. */
const session = (user: string) =>
  `session=${user}.${createHmac('sha256', 's'.repeat(32)).update(user).digest('base64url')}`;

interface Server {
  readonly base: string;
  readonly child: ChildProcess;
  output(): string;
}
const servers: ChildProcess[] = [];

/**
 * Runs `npm run <script>` in `dir` on a free port on 127.0.0.1 and waits until `/` answers. The
 * port is free when chosen, but `npm start` builds for a minute before it listens: when another
 * process took the port meanwhile, it runs again on another (the build cache makes that quicker).
 */
async function start(dir: string, script: string): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    const server = await startOnce(dir, script);
    if (server !== 'port taken' || attempt === 3) {
      expect(server).not.toBe('port taken');
      return server as Server;
    }
  }
}

async function startOnce(dir: string, script: string): Promise<Server | 'port taken'> {
  const port = await freePort();
  let output = '';
  const child = spawn('npm', ['run', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      PORT: String(port),
      NEXT_TELEMETRY_DISABLED: '1',
      NO_UPDATE_NOTIFIER: '1',
      CI: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  servers.push(child);
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  // next build takes a minute or more on two busy cores.
  for (const deadline = Date.now() + 360_000; ; ) {
    if (child.exitCode !== null && output.includes('EADDRINUSE')) return 'port taken';
    expect(child.exitCode, output).toBeNull();
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      // Not listening yet.
    }
    expect(Date.now() < deadline, `npm run ${script} did not start: ${output}`).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { base, child, output: () => output };
}

let tarball: string;
beforeAll(() => {
  expectBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'tat-nextjs-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string }];
  tarball = join(scratch, packed.filename);
}, 600_000);

afterAll(async () => {
  // Stopped by process group, and waited for: a dev server still writing .next/ would race the rm.
  await Promise.all(
    servers.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            stop(child, 'SIGKILL');
            resolve();
          }, 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          stop(child, 'SIGTERM');
        }),
    ),
  );
  // npm exits before the Next.js workers it started: wait until the whole process group is gone (a
  // worker still writing .next/ made the rm fail with ENOTEMPTY once, beside another run).
  await Promise.all(servers.map((child) => groupGone(child.pid)));
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, 60_000);

function stop(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function expectToken(base: string) {
  const response = await fetch(`${base}/api/token`, { method: 'POST' });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = JSON.parse(text) as { token: string; identity: string; ttl: number };
  expect(body.identity).toBe('alice');
  expect(body.ttl).toBe(3600);
  const payload = verify(body.token);
  expect(payload.grants.identity).toBe('alice');
  expect(payload.grants.video).toEqual({ room: 'standup' });
}

describe('examples/nextjs with the packed package', () => {
  test('npm start: next build (type check included) and next start serve a token from .env.local', async () => {
    const dir = prepare(tarball);
    const server = await start(dir, 'start');
    // The build ran its TypeScript step over the route file, and generated the route type check.
    expect(server.output()).toMatch(/TypeScript/);
    expect(readFileSync(join(dir, '.next/types/validator.ts'), 'utf8')).toContain('app/api/token/route');
    await expectToken(server.base);
    // Issue 26, finding D1: each whole route.ts of the docs builds (above) and serves as it stands.
    expect(DOC_ROUTES.length).toBeGreaterThanOrEqual(2);
    for (const [i, block] of DOC_ROUTES.entries()) {
      const url = `${server.base}/docs-${i}/${block.path.replace(/^app\//, '').replace(/\/route\.ts$/, '')}`;
      const ok = await fetch(url, { method: 'POST', headers: { cookie: session('alice') } });
      const text = await ok.text();
      expect(ok.status, `${block.origin}: ${text}`).toBe(200);
      expect(verify((JSON.parse(text) as { token: string }).token).grants.identity).toBe('alice');
      const forged = await fetch(url, { method: 'POST', headers: { cookie: 'session=alice.AAAA' } });
      expect(forged.status, block.origin).toBe(401);
    }
    // GET is not exported: Next.js answers 405 itself.
    expect((await fetch(`${server.base}/api/token`)).status).toBe(405);
    // The page renders the client component on the server first, in its loading state.
    expect(await (await fetch(server.base)).text()).toContain('Fetching a token...');
  }, 600_000);

  test('npm run dev serves the same route', async () => {
    const server = await start(prepare(tarball), 'dev');
    await expectToken(server.base);
  }, 600_000);
});
