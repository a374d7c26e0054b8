import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials } from '../helpers.js';
import { expectBuilt } from './example-helpers.js';
import { freePort, manifestWithoutPackage } from './run-example.js';

// What every example promises as a folder someone copies: it depends on the package by version
// (never `file:../..`), pins the rest in a lockfile the tests install from, and its README has one
// command to run it from the registry and one to run it here against this repository's build.

const root = new URL('../..', import.meta.url).pathname;
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
const examples = readdirSync(join(root, 'examples')).filter((n) => statSync(join(root, 'examples', n)).isDirectory());
const read = (name: string, file: string) => readFileSync(join(root, 'examples', name, file), 'utf8');

test('there are the five examples', () => {
  expect(examples.sort()).toEqual(['express', 'fetch', 'lambda', 'nextjs', 'twilio-function']);
});

describe.each(examples)('examples/%s', (name) => {
  const manifest = JSON.parse(read(name, 'package.json'));
  const lock = JSON.parse(read(name, 'package-lock.json'));

  test('depends on twilio-access-token by the current version, not by path', () => {
    expect(manifest.dependencies['twilio-access-token']).toBe(`^${version}`);
    expect(read(name, 'package.json')).not.toMatch(/file:|link:/);
  });

  test('its lockfile is in sync and leaves twilio-access-token to the install', () => {
    const rest = manifestWithoutPackage(name) as { dependencies?: object; devDependencies?: object };
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[''].dependencies ?? {}).toEqual(rest.dependencies ?? {});
    expect(lock.packages[''].devDependencies ?? {}).toEqual(rest.devDependencies ?? {});
    expect(Object.keys(lock.packages)).not.toContain('node_modules/twilio-access-token');
    for (const [path, entry] of Object.entries(lock.packages as Record<string, Record<string, unknown>>)) {
      if (path === '') continue;
      // From the registry, pinned by hash: no links, no local paths, no git.
      expect(entry.link, path).toBeUndefined();
      if (entry.resolved !== undefined) expect(entry.resolved, path).toMatch(/^https:\/\/.+\.tgz$/);
      expect(entry.integrity, path).toMatch(/^sha512-/);
    }
  });

  test('its README runs it with npm install && npm start, and here with the local build', () => {
    const readme = read(name, 'README.md');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain(`cd examples/${name}\n`);
    expect(readme).toContain('npm install --no-save ../.. && npm start');
    expect(readme).not.toContain('file:../..');
  });
});

test('twilio-run is a devDependency of the Twilio Function example only', () => {
  const manifest = JSON.parse(read('twilio-function', 'package.json'));
  expect(manifest.devDependencies['twilio-run']).toMatch(/^\^5\./);
  expect(manifest.dependencies['twilio-run']).toBeUndefined();
});

test('express-rate-limit is a dependency of the Express example', () => {
  expect(JSON.parse(read('express', 'package.json')).dependencies['express-rate-limit']).toMatch(/^\^8\./);
});

describe("the README's in-repository command, exactly: npm install --no-save ../.. && npm start", () => {
  let child: ChildProcess | undefined;
  let scratch: string | undefined;
  afterAll(() => {
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  test('examples/lambda in a copy of the repository layout serves a token', async () => {
    expectBuilt();
    // The repository as `../..` sees it: its package.json and dist/, and the example two levels down.
    scratch = mkdtempSync(join(tmpdir(), 'tat-repo-'));
    cpSync(join(root, 'package.json'), join(scratch, 'package.json'));
    symlinkSync(join(root, 'dist'), join(scratch, 'dist'), 'dir');
    mkdirSync(join(scratch, 'examples'));
    const dir = join(scratch, 'examples/lambda');
    cpSync(join(root, 'examples/lambda'), dir, { recursive: true, filter: (s) => !s.endsWith('node_modules') });
    const command = 'npm install --no-save ../.. && npm start';
    const readme = read('lambda', 'README.md');
    expect(readme).toContain(command);
    const port = await freePort();
    let output = '';
    child = spawn('sh', ['-c', command], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        CI: 'true',
        NO_UPDATE_NOTIFIER: '1',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEY_SID: credentials.apiKeySid,
        TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
        LOCAL_ID_TOKEN_SECRET: randomBytes(32).toString('hex'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    let id: string | undefined;
    while (id === undefined) {
      expect(child.exitCode, output).toBeNull();
      expect(Date.now() < deadline, `did not start: ${output}`).toBe(true);
      try {
        id = await (await fetch(`${base}/dev-id-token?sub=erin`, { method: 'POST' })).text();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    const response = await fetch(`${base}/token`, { method: 'POST', headers: { authorization: `Bearer ${id}` } });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants.identity).toBe('erin');
    // The install did not touch the example's manifest or lockfile.
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(read('lambda', 'package.json'));
    expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(read('lambda', 'package-lock.json'));
  }, 120_000);
});
