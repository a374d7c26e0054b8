import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installExample } from '../examples/run-example.js';
import {
  expectRefused,
  expectToken,
  fillEnv,
  fillIdentify,
  initProject,
  pack,
  post,
  type Running,
  runGeneratedTest,
  serve,
} from './init-project.js';

// `twilio-access-token init next` in a fresh Next.js App Router project (a package.json, a layout
// and a page, as create-next-app leaves them; Next.js writes tsconfig.json itself), with Next.js 16
// from examples/nextjs's install and the package from its tarball. One `next build` (its route type
// check included) and `next start`: 401 as generated. Then identify is filled in and `npm run dev`,
// the README's newcomer path, serves a verified token.

const MANIFEST = `{
  "name": "app",
  "private": true,
  "scripts": { "dev": "next dev", "build": "next build", "start": "next start" }
}
`;
const LAYOUT = `export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`;
const PAGE = `export default function Home() {
  return <main>Hello</main>;
}
`;

let scratch: string;
let tarball: string;
const running: Running[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tat-init-next-'));
  tarball = pack(scratch);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, 30_000);

describe('init next: app/api/token/route.ts', () => {
  test('next build and next start: 401 as generated; npm run dev once identify returns a user: a verified token', async () => {
    const { dir, stdout } = initProject({
      scratch,
      platform: 'next',
      tarball,
      modules: installExample('nextjs'),
      files: { 'package.json': MANIFEST },
    });
    expect(stdout).toContain('app/api/token/route.ts');
    expect(stdout).toMatch(/cp \.env\.example \.env\.local .*\n {2}npm run dev /);
    writeFileSync(join(dir, 'app/layout.tsx'), LAYOUT);
    writeFileSync(join(dir, 'app/page.tsx'), PAGE);
    fillEnv(dir, '.env.local');
    const next = join(dir, 'node_modules/next/dist/bin/next');
    const env = { NODE_ENV: 'production' };
    const build = execFileSync(process.execPath, [next, 'build'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, CI: 'true', NEXT_TELEMETRY_DISABLED: '1', ...env },
    });
    expect(build).toMatch(/TypeScript/);
    expect(readFileSync(join(dir, '.next/types/validator.ts'), 'utf8')).toContain('app/api/token/route');
    expect(existsSync(join(dir, 'tsconfig.json'))).toBe(true);
    const started = await serve({
      command: process.execPath,
      args: (port) => [next, 'start', '-H', '127.0.0.1', '-p', String(port)],
      cwd: dir,
      env,
      ready: '/',
    });
    running.push(started);
    expectRefused(...(await post(`${started.base}/api/token`)));
    await started.stop();

    fillIdentify(join(dir, 'app/api/token/route.ts'));
    const dev = await serve({
      command: 'npm',
      args: (port) => ['run', 'dev', '--', '-H', '127.0.0.1', '-p', String(port)],
      cwd: dir,
      ready: '/',
      timeout: 180_000,
    });
    running.push(dev);
    expectToken(...(await post(`${dev.base}/api/token`)));
    await dev.stop();
    expect(runGeneratedTest(dir)).toMatch(/# pass 1\n/);
  }, 600_000);
});
