import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyDir, runInProcess } from '../harness.js';

// `init` fits the project it finds, as a newcomer's scaffolder leaves it (issue 30, the newcomer
// path tried for real): Next.js's src/ folder, create-hono's and create-cloudflare's own
// src/index.ts and wrangler.jsonc, an .env that exists, package.json's packages and scripts,
// create-next-app's `.env*` in .gitignore.

/** A project folder holding `files` (path to text). */
function project(files: Record<string, string>): string {
  const dir = emptyDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const manifest = (dependencies: Record<string, string>, scripts: Record<string, string> = {}) =>
  JSON.stringify({ name: 'app', private: true, scripts, dependencies });

const filesIn = (dir: string) =>
  (
    readdirSync(dir, { recursive: true, withFileTypes: true }) as {
      isFile(): boolean;
      parentPath: string;
      name: string;
    }[]
  )
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();

/** The two commands under "Next:". */
const nextSteps = (stdout: string) =>
  (stdout.split('Next:\n')[1] ?? '')
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/ {2,}# /)[0]);

describe('init next', () => {
  test('beside an src/app (create-next-app --src-dir), the route goes in src/app: a root app/ would hide src/app', async () => {
    const dir = project({ 'src/app/page.tsx': 'export default function Page() {}\n' });
    const r = await runInProcess(['init', 'next'], { dir });
    expect(r.code, r.stderr).toBe(0);
    expect(filesIn(dir)).toContain('src/app/api/token/route.ts');
    expect(filesIn(dir).some((file) => file.startsWith('app/'))).toBe(false);
    expect(r.stdout).toContain('see the TODO in src/app/api/token/route.ts');
  });

  test('with a root app/ (or pages/) the route goes in app/, whatever src/ holds', async () => {
    for (const root of ['app/page.tsx', 'pages/index.tsx']) {
      const dir = project({ [root]: 'x\n', 'src/app/page.tsx': 'x\n' });
      expect((await runInProcess(['init', 'next'], { dir })).code).toBe(0);
      expect(filesIn(dir)).toContain('app/api/token/route.ts');
    }
  });

  test("create-next-app's `.env*` ignores .env.example: said, with the line that commits it", async () => {
    const dir = project({
      '.gitignore': 'node_modules\n.env*\n',
      'package.json': manifest({ next: '16' }, { dev: 'next dev' }),
    });
    const r = await runInProcess(['init', 'next'], { dir });
    expect(r.stdout).toContain('.gitignore ignores .env.example (its line .env*): add the line !.env.example');
    expect(nextSteps(r.stdout)).toEqual(['cp .env.example .env.local', 'npm run dev']);
    const kept = project({ '.gitignore': '.env*\n!.env.example\n' });
    expect((await runInProcess(['init', 'next'], { dir: kept })).stdout).not.toContain('.gitignore');
  });
});

describe.each([
  ['hono', "app.route('/', token);", 'tsx watch src/index.ts', 'npm run dev'],
  ['workers', 'return token(request, env);', 'wrangler dev', 'npm run dev'],
])('init %s in a project with its own src/index.ts', (name, mountLine, devScript, run) => {
  test('writes src/token.ts, leaves src/index.ts alone and prints how to mount the endpoint', async () => {
    const index = "export default {}; // the project's own\n";
    const dir = project({
      'src/index.ts': index,
      'package.json': manifest({}, { dev: devScript }),
      ...(name === 'workers' ? { 'wrangler.jsonc': '{ "main": "src/index.ts" }\n' } : {}),
    });
    const r = await runInProcess(['init', name], { dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toBe(index);
    expect(filesIn(dir)).toContain('src/token.ts');
    expect(r.stdout).toContain('src/index.ts exists, so init left it alone: mount the endpoint in it.');
    expect(r.stdout).toContain("  import { token } from './token.js';");
    expect(r.stdout).toContain(mountLine);
    expect(r.stdout).not.toMatch(/^ {2}src\/index\.ts /m);
    expect(nextSteps(r.stdout)[1]).toBe(run);
    if (name === 'workers') {
      expect(filesIn(dir)).not.toContain('wrangler.toml');
      expect(r.stdout).toContain('wrangler.jsonc exists, so init wrote no wrangler.toml');
    }
  });
});

describe('the next steps', () => {
  test('an env file that exists is never a cp target: the step says to add the variables', async () => {
    const env = 'ACCOUNT_SID=AC...\nAUTH_TOKEN=kept\n';
    const dir = project({ '.env': env });
    const r = await runInProcess(['init', 'functions'], { dir });
    expect(nextSteps(r.stdout)[0]).toBe('edit .env');
    expect(r.stdout).toContain('it exists, so no cp: add ACCOUNT_SID, API_KEY, API_SECRET (see .env.example)');
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(env);
  });

  test('without a matching script, the tool itself: npx wrangler dev, npx tsx, npx next dev, npx twilio-run', async () => {
    const run = async (name: string) => nextSteps((await runInProcess(['init', name], { dir: emptyDir() })).stdout)[1];
    expect(await run('workers')).toBe('npx wrangler dev');
    expect(await run('hono')).toBe('npx tsx src/index.ts');
    expect(await run('next')).toBe('npx next dev');
    expect(await run('functions')).toBe('npx twilio-run');
    const toolkit = project({ 'package.json': manifest({}, { start: 'twilio-run' }) });
    expect(nextSteps((await runInProcess(['init', 'functions'], { dir: toolkit })).stdout)[1]).toBe('npm start');
  });

  test('lambda: invoke.mjs calls the handler locally; the zip to upload is in the output', async () => {
    const dir = emptyDir();
    const r = await runInProcess(['init', 'lambda'], { dir });
    expect(filesIn(dir)).toContain('invoke.mjs');
    expect(nextSteps(r.stdout)).toEqual(['cp .env.example .env', 'node --env-file=.env invoke.mjs']);
    expect(r.stdout).toContain('zip -qr token.zip handler.mjs node_modules');
  });
});

describe('what the project lacks', () => {
  test.each([
    [
      { 'package.json': manifest({ express: '5' }) },
      'package.json lacks twilio-access-token: npm install twilio-access-token',
    ],
    [
      { 'package.json': manifest({ 'twilio-access-token': '0' }) },
      'package.json lacks hono, @hono/node-server, tsx: npm install hono @hono/node-server && npm install --save-dev tsx',
    ],
    [{}, "No package.json here: run init in your project's folder, or start one: npm init -y && npm install"],
    [{ 'package.json': '{ not json' }, 'package.json is not valid JSON; the project needs: npm install'],
  ])('%j', async (files, line) => {
    const name = line.includes('hono') ? 'hono' : 'express';
    expect((await runInProcess(['init', name], { dir: project(files) })).stdout).toContain(line);
  });

  test('nothing is said when package.json has every package', async () => {
    const dir = project({ 'package.json': manifest({ 'twilio-access-token': '0', express: '5' }) });
    const r = await runInProcess(['init', 'express'], { dir });
    expect(r.stdout).not.toMatch(/lacks|npm install|package\.json/);
  });
});

test('no identify takes a parameter it does not use (create-next-app lints for that)', async () => {
  for (const [name, endpoint] of [
    ['next', 'app/api/token/route.ts'],
    ['express', 'server.mjs'],
    ['workers', 'src/token.ts'],
    ['hono', 'src/token.ts'],
    ['lambda', 'handler.mjs'],
    ['functions', 'functions/token.js'],
  ] as const) {
    const dir = emptyDir();
    await runInProcess(['init', name], { dir });
    expect(readFileSync(join(dir, endpoint), 'utf8')).toMatch(/^ *identify: async \(\) => \{$/m);
  }
});
