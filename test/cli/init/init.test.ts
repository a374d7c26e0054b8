import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { help } from '../../../src/cli/help.js';
import { PLATFORMS } from '../../../src/cli/init/platforms.js';
import { cliPath, emptyDir, runBuilt, runInProcess } from '../harness.js';

// `twilio-token init <platform>`: what it writes, what it refuses, what it prints. The real-parts
// tests (each platform's project built or served) are in test/init/.

const NAMES = ['functions', 'express', 'next', 'workers', 'lambda', 'hono'];
const ENDPOINTS: Record<string, string> = {
  functions: 'functions/token.js',
  express: 'server.mjs',
  next: 'app/api/token/route.ts',
  workers: 'src/token.ts',
  lambda: 'handler.mjs',
  hono: 'src/token.ts',
};

/** Every file under `dir`, relative, sorted. */
const filesIn = (dir: string): string[] =>
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

describe('init', () => {
  test('knows exactly the six platforms', () => {
    expect([...PLATFORMS.keys()]).toEqual(NAMES);
  });

  describe.each(NAMES)('%s', (name) => {
    test('writes the endpoint, a .env.example and a test, and prints them with the next two commands', async () => {
      const dir = emptyDir();
      const outcome = await runInProcess(['init', name], { dir });
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stderr).toBe('');
      const files = filesIn(dir);
      expect(files).toContain(ENDPOINTS[name]);
      expect(files).toContain('.env.example');
      expect(files).toContain('token.node-test.mjs');
      if (name === 'workers') expect(files).toEqual(expect.arrayContaining(['src/index.ts', 'wrangler.toml']));
      if (name === 'hono') expect(files).toContain('src/index.ts');
      for (const file of files) expect(outcome.stdout).toContain(`  ${file}  `);
      expect(outcome.stdout).toMatch(/identify refuses everyone \(401\) until you fill it in: see the TODO in /);
      const next = outcome.stdout.split('Next:\n')[1]?.trim().split('\n') ?? [];
      expect(next).toHaveLength(2);
    });

    test('identify refuses everyone below a TODO; .env.example names every variable the endpoint reads', async () => {
      const dir = emptyDir();
      await runInProcess(['init', name], { dir });
      const endpoint = readFileSync(join(dir, ENDPOINTS[name] ?? ''), 'utf8');
      const body = /identify: async \([^)]*\) => \{\n([\s\S]*?)\n\s*\},/.exec(endpoint)?.[1] ?? '';
      expect(body).toMatch(/\/\/ TODO: /);
      expect(body.trim().split('\n').at(-1)?.trim()).toBe('return null;');
      const declared = [...readFileSync(join(dir, '.env.example'), 'utf8').matchAll(/^(\w+)=$/gm)].map((m) => m[1]);
      expect(declared.length).toBe(3);
      // The credentials are read by the handler itself (process.env, env or context), under these names.
      expect(declared).toEqual(
        name === 'functions'
          ? ['ACCOUNT_SID', 'API_KEY', 'API_SECRET']
          : ['TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET'],
      );
      // Any other variable the endpoint reads is a server setting (PORT, HOST), never a secret.
      for (const [, variable] of endpoint.matchAll(/process\.env\.(\w+)/g))
        expect(['PORT', 'HOST']).toContain(variable);
      // The test mints with fake SIDs only.
      const testFile = readFileSync(join(dir, 'token.node-test.mjs'), 'utf8');
      expect(testFile).toContain("'AC' + 'a'.repeat(32)");
      expect(testFile).toContain('verifyAccessToken');
    });

    test('refuses when any of its files exists: names it, exits 1, writes nothing', async () => {
      const dir = emptyDir();
      writeFileSync(join(dir, '.env.example'), 'MINE=1\n');
      const outcome = await runInProcess(['init', name], { dir });
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(
        /^twilio-token: \.env\.example already exists: nothing written \(--force overwrites\)\n$/,
      );
      expect(filesIn(dir)).toEqual(['.env.example']);
      expect(readFileSync(join(dir, '.env.example'), 'utf8')).toBe('MINE=1\n');
    });

    test('--force overwrites, and says so', async () => {
      const dir = emptyDir();
      mkdirSync(join(dir, ENDPOINTS[name] ?? '', '..'), { recursive: true });
      writeFileSync(join(dir, ENDPOINTS[name] ?? ''), 'old');
      const outcome = await runInProcess(['init', name, '--force'], { dir });
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout).toContain(`(overwrote ${ENDPOINTS[name]})`);
      expect(readFileSync(join(dir, ENDPOINTS[name] ?? ''), 'utf8')).toContain('return null;');
    });
  });

  test('a file that appeared is not overwritten, even a dangling link', async () => {
    const dir = emptyDir();
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'server.mjs'));
    const outcome = await runInProcess(['init', 'express'], { dir });
    expect(outcome.code).toBe(1);
    // A link is refused as one (issue 26, third attack A3), before "already exists".
    expect(outcome.stderr).toContain('server.mjs is a symbolic link');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  test.each([
    [[], 'init needs a platform'],
    [['nope'], 'unknown platform "nope"'],
    [['next', 'hono'], 'init takes one platform'],
  ])('%j exits 2 with the list of platforms', async (args, message) => {
    const dir = emptyDir();
    const outcome = await runInProcess(['init', ...args], { dir });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
    if (args.length < 2) expect(outcome.stderr).toContain(`Platforms: ${NAMES.join(', ')}`);
    expect(filesIn(dir)).toEqual([]);
  });

  test('an unknown flag is a usage error', async () => {
    const outcome = await runInProcess(['init', 'next', '--identity', 'x'], { dir: emptyDir() });
    expect(outcome.code).toBe(2);
  });

  test('the help lists init and its platforms', async () => {
    expect(help()).toContain('twilio-token init <platform>');
    expect(help('init')).toContain('Usage: twilio-token init <platform> [--force]');
    const outcome = await runInProcess(['init', '--help']);
    expect(outcome.code).toBe(0);
    for (const name of NAMES) expect(outcome.stdout.replaceAll('\n', ' ')).toContain(`${name} (${ENDPOINTS[name]}`);
  });

  test("the templates are in the CLI's bundle only, never in a library entry", () => {
    const dist = join(cliPath, '..');
    const holding = readdirSync(dist).filter(
      (file) =>
        file.endsWith('js') && readFileSync(join(dist, file), 'utf8').includes('Until then everyone is refused'),
    );
    expect(holding).toHaveLength(1);
    expect(holding[0]).toMatch(/^init-[\w-]+\.js$/);
  });

  test('the built CLI writes the files (twilio-access-token init next)', () => {
    const dir = emptyDir();
    const outcome = runBuilt(['init', 'next'], { dir });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(filesIn(dir)).toEqual(['.env.example', 'app/api/token/route.ts', 'token.node-test.mjs']);
  });
});
