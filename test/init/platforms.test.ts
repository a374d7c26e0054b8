import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  typecheck,
} from './init-project.js';

// `twilio-access-token init <platform>` in a fresh project of each platform but Next.js (see
// next.test.ts), then the project run for real as the printed next steps say: the generated endpoint
// answers 401, and once identify returns a user, a 200 whose token verifies. Express 5 and
// twilio-run come from the examples' installs, Hono, esbuild and workerd (Miniflare) from the
// runtimes rig; the package from its tarball.

const root = new URL('../..', import.meta.url).pathname;
const runtimes = join(root, 'test/runtimes/node_modules');
let scratch: string;
let tarball: string;
const running: Running[] = [];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tat-init-'));
  tarball = pack(scratch);
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, 30_000);

/** Serves the project, POSTs to `path`, stops it; returns the answer. */
async function ask(options: Parameters<typeof serve>[0], path: string): Promise<[number, string]> {
  const server = await serve(options);
  running.push(server);
  try {
    return await post(`${server.base}${path}`);
  } finally {
    await server.stop();
  }
}

describe('init express: node --env-file=.env server.mjs (Express 5)', () => {
  test('401 as generated, 200 with a verified token once identify returns a user', async () => {
    const { dir, stdout } = initProject({
      scratch,
      platform: 'express',
      tarball,
      modules: installExample('express'),
      files: { 'package.json': '{ "name": "app", "private": true, "type": "module" }\n' },
    });
    expect(stdout).toContain('node --env-file=.env server.mjs');
    fillEnv(dir, '.env');
    const start = { command: process.execPath, args: () => ['--env-file=.env', 'server.mjs'], cwd: dir, ready: '/' };
    expectRefused(...(await ask(start, '/token')));
    fillIdentify(join(dir, 'server.mjs'));
    expectToken(...(await ask(start, '/token')));
    expect(runGeneratedTest(dir)).toMatch(/# pass 1/);
  }, 120_000);
});

describe('init hono: src/index.ts built by esbuild, on Node (@hono/node-server)', () => {
  test('401 as generated, 200 with a verified token once identify returns a user', async () => {
    const { dir } = initProject({
      scratch,
      platform: 'hono',
      tarball,
      modules: runtimes,
      files: { 'package.json': '{ "name": "app", "private": true, "type": "module" }\n' },
    });
    fillEnv(dir, '.env');
    typecheck(dir, 'node');
    const build = () =>
      execFileSync(
        join(dir, 'node_modules/.bin/esbuild'),
        // Bundled: src/index.ts imports ./token.js, which is src/token.ts.
        [
          'src/index.ts',
          '--bundle',
          '--packages=external',
          '--outfile=dist/index.js',
          '--format=esm',
          '--platform=node',
          '--log-level=warning',
        ],
        { cwd: dir },
      );
    const start = {
      command: process.execPath,
      args: () => ['--env-file=.env', 'dist/index.js'],
      cwd: dir,
      ready: '/',
    };
    build();
    expectRefused(...(await ask(start, '/token')));
    fillIdentify(join(dir, 'src/token.ts'));
    build();
    expectToken(...(await ask(start, '/token')));
  }, 120_000);
});

// create-hono's Node starter, as it leaves src/index.ts: init keeps it and prints the two lines that
// mount the endpoint; the test adds them where they go.
const HONO_STARTER = `import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()

app.get('/', (c) => {
  return c.text('Hello Hono!')
})

serve({
  fetch: app.fetch,
  port: Number(process.env.PORT),
  hostname: '127.0.0.1'
})
`;

describe("init hono in create-hono's starter: src/token.ts mounted as init says", () => {
  test('the starter kept and still answering; /token 401 as generated, then a verified token', async () => {
    const { dir, stdout } = initProject({
      scratch,
      platform: 'hono',
      tarball,
      modules: runtimes,
      files: {
        'package.json': '{ "type": "module", "scripts": { "dev": "tsx watch src/index.ts" } }\n',
        'src/index.ts': HONO_STARTER,
      },
    });
    const [importLine, mountLine] =
      stdout
        .split('mount the endpoint in it.\n')[1]
        ?.split('\n')
        .map((line) => line.trim()) ?? [];
    expect([importLine, mountLine]).toEqual(["import { token } from './token.js';", "app.route('/', token);"]);
    const index = join(dir, 'src/index.ts');
    writeFileSync(
      index,
      `${importLine}\n${HONO_STARTER.replace('const app = new Hono()\n', `const app = new Hono()\n${mountLine}\n`)}`,
    );
    fillEnv(dir, '.env');
    typecheck(dir, 'node');
    const build = () =>
      execFileSync(
        join(dir, 'node_modules/.bin/esbuild'),
        [
          'src/index.ts',
          '--bundle',
          '--packages=external',
          '--outfile=dist/index.js',
          '--format=esm',
          '--platform=node',
          '--log-level=warning',
        ],
        { cwd: dir },
      );
    // No --env-file: src/token.ts reads .env itself, as under `npm run dev`.
    const start = { command: process.execPath, args: () => ['dist/index.js'], cwd: dir, ready: '/' };
    build();
    expectRefused(...(await ask(start, '/token')));
    fillIdentify(join(dir, 'src/token.ts'));
    build();
    const server = await serve(start);
    running.push(server);
    expectToken(...(await post(`${server.base}/token`)));
    expect(await (await fetch(`${server.base}/`)).text()).toBe('Hello Hono!');
    await server.stop();
  }, 120_000);
});

// What `wrangler dev` does, with the same parts: esbuild bundles wrangler.toml's `main` for workerd,
// workerd (through Miniflare) serves it with .dev.vars as the env, on 127.0.0.1.
const WORKERD = `import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
const toml = readFileSync('wrangler.toml', 'utf8');
const main = /^main = "(.+)"$/m.exec(toml)[1];
const compatibilityDate = /^compatibility_date = "(.+)"$/m.exec(toml)[1];
const bindings = Object.fromEntries(readFileSync('.dev.vars', 'utf8').split('\\n').filter((l) => /^\\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const out = await build({ entryPoints: [main], bundle: true, format: 'esm', platform: 'browser', conditions: ['workerd', 'worker', 'browser'], write: false, logLevel: 'warning' });
const mf = new Miniflare({ modules: true, script: out.outputFiles[0].text, compatibilityDate, bindings, host: '127.0.0.1', port: Number(process.env.PORT) });
await mf.ready;
console.log('ready');
process.on('SIGTERM', () => mf.dispose().then(() => process.exit(0)));
`;

describe('init workers: src/index.ts and wrangler.toml in workerd', () => {
  test('401 as generated, 200 with a verified token once identify returns a user; other paths 404', async () => {
    const { dir, stdout } = initProject({
      scratch,
      platform: 'workers',
      tarball,
      modules: runtimes,
      files: { 'package.json': '{ "name": "worker", "private": true }\n', 'dev.mjs': WORKERD },
    });
    expect(stdout).toContain('cp .env.example .dev.vars');
    fillEnv(dir, '.dev.vars');
    typecheck(dir, 'dom');
    const start = { command: process.execPath, args: () => ['dev.mjs'], cwd: dir, ready: '/' };
    expectRefused(...(await ask(start, '/token')));
    fillIdentify(join(dir, 'src/token.ts'));
    const server = await serve(start);
    running.push(server);
    expectToken(...(await post(`${server.base}/token`)));
    expect((await fetch(`${server.base}/elsewhere`)).status).toBe(404);
    await server.stop();
  }, 120_000);
});

describe('init functions: functions/token.js under twilio-run', () => {
  test('401 as generated, 200 with a verified token once identify returns a user', async () => {
    const { dir } = initProject({
      scratch,
      platform: 'functions',
      tarball,
      modules: installExample('twilio-function'),
      files: { 'package.json': '{ "name": "token-service", "private": true, "dependencies": {} }\n' },
    });
    fillEnv(dir, '.env');
    const start = {
      command: process.execPath,
      args: (port: number) => ['node_modules/twilio-run/bin/twilio-run.js', '--port', String(port)],
      cwd: dir,
      ready: '/token',
    };
    expectRefused(...(await ask(start, '/token')));
    fillIdentify(join(dir, 'functions/token.js'));
    expectToken(...(await ask(start, '/token')));
  }, 180_000);
});

describe('init lambda: node --env-file=.env invoke.mjs, an API Gateway (HTTP API) event through handler.handler', () => {
  test('401 as generated, 200 with a verified token once identify returns a user; the generated test passes', () => {
    const { dir } = initProject({
      scratch,
      platform: 'lambda',
      tarball,
      files: { 'package.json': '{ "name": "token-function", "private": true }\n' },
    });
    fillEnv(dir, '.env');
    // invoke.mjs, as init wrote it, prints the status and the body.
    const invoke = (): [number, string] => {
      const out = execFileSync(process.execPath, ['--env-file=.env', 'invoke.mjs'], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      }).trim();
      return [Number(out.slice(0, out.indexOf(' '))), out.slice(out.indexOf(' ') + 1)];
    };
    expectRefused(...invoke());
    fillIdentify(join(dir, 'handler.mjs'));
    expectToken(...invoke());
    expect(readFileSync(join(dir, 'token.node-test.mjs'), 'utf8')).toContain("'AC' + 'a'.repeat(32)");
    expect(runGeneratedTest(dir)).toMatch(/# pass 1\n/);
  }, 60_000);
});
