import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The package as users get it: packed, installed from the tarball into an empty project, then
// imported and required there. Runs against dist/, built by `npm test` before the tests.

const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let app: string;
let files: string[];

const run = (args: string[], input?: string) =>
  execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8', input, env: { PATH: process.env.PATH } });

const SNIPPET = `
  const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 's3cret' };
  const token = m.createAccessToken('alice', [m.videoGrant({ room: 'r' }), m.voiceGrant({ incomingAllow: true })], { credentials: c });
  const p = m.verifyAccessToken(token, { apiKeySecret: 's3cret' });
  console.log(JSON.stringify([p.grants.identity, Object.keys(p.grants), m.isAccessTokenError(new m.AccessTokenError('ERR_NO_GRANTS', 'x'))]));
`;
const EXPECTED = JSON.stringify(['alice', ['identity', 'video', 'voice'], true]);

beforeAll(() => {
  expect(existsSync(join(root, 'dist/index.js')), 'dist/ is missing: run `npm run build` first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'tat-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string; files: { path: string }[] }];
  files = packed.files.map((f) => f.path).sort();
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed.filename)], {
    cwd: app,
    stdio: 'ignore',
  });
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('ships only dist/, the README, LICENSE, CHANGELOG and package.json', () => {
    const outside = files.filter((f) => !f.startsWith('dist/'));
    expect(outside.sort()).toEqual(
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'].filter((f) => existsSync(join(root, f))),
    );
    expect(files.some((f) => f.endsWith('.map') || f.includes('test') || f.startsWith('src/'))).toBe(false);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']),
    );
  });

  test('works with require()', () => {
    expect(run(['-e', `const m = require('twilio-access-token');${SNIPPET}`]).trim()).toBe(EXPECTED);
  });

  test('works with import', () => {
    expect(run(['--input-type=module', '-e', `import * as m from 'twilio-access-token';${SNIPPET}`]).trim()).toBe(
      EXPECTED,
    );
  });

  test('every subpath resolves with import and require', () => {
    const subpaths = ['', '/web', '/fetch', '/express', '/lambda', '/twilio-functions', '/client', '/probe'];
    const names = [
      'createAccessToken',
      'createAccessToken',
      'createFetchHandler',
      'createExpressHandler',
      'createLambdaHandler',
      'createTwilioFunction',
      'createTokenProvider',
      'probeCredentials',
    ];
    const script = (kind: string) =>
      subpaths.map((p, i) => `typeof (${kind}('twilio-access-token${p}')).${names[i]}`).join(' + " " + ');
    const expected = subpaths.map(() => 'function').join(' ');
    expect(run(['-e', `console.log(${script('require')})`]).trim()).toBe(expected);
    expect(
      run([
        '--input-type=module',
        '-e',
        `${subpaths.map((p, i) => `import * as m${i} from 'twilio-access-token${p}';`).join('')}console.log(${subpaths.map((_, i) => `typeof m${i}.${names[i]}`).join(' + " " + ')});`,
      ]).trim(),
    ).toBe(expected);
  });

  test('/react resolves with import and require, and needs React (an optional peer) to load', () => {
    // React is not installed in this app: the entry is found, then says it needs `react`.
    const load = (kind: string) =>
      spawnSync(
        process.execPath,
        kind === 'require'
          ? ['-e', "require('twilio-access-token/react')"]
          : ['--input-type=module', '-e', "await import('twilio-access-token/react')"],
        { cwd: app, encoding: 'utf8', env: { PATH: process.env.PATH } },
      );
    for (const kind of ['require', 'import']) {
      const r = load(kind);
      expect(r.status, kind).not.toBe(0);
      // require: the one line naming the fix (issue 26); import: Node names the missing package.
      expect(r.stderr, kind).toMatch(kind === 'require' ? /npm install react/ : /Cannot find (module|package) 'react'/);
    }
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/twilio-access-token/package.json'), 'utf8'));
    expect(manifest.peerDependenciesMeta.react).toEqual({ optional: true });
    expect(manifest.exports['./react'].require.types).toBe('./dist/react.d.cts');
  });

  // One copy makes and mints grants: where import and require load one copy, a grant from either
  // mints; where they load two, the other copy's grant is refused with a message that says so.
  test('recognises errors across its ESM and CJS copies; grants mint in one copy, or are refused clearly', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import * as esm from 'twilio-access-token';
       const cjs = createRequire(import.meta.url)('twilio-access-token');
       let e; try { cjs.videoGrant({ room: '' }); } catch (x) { e = x; }
       const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 's' };
       let t; try { t = typeof esm.createAccessToken('a', cjs.videoGrant(), { credentials: c }); }
       catch (x) { t = x.code + ' ' + /another copy of twilio-access-token/.test(x.message); }
       const one = esm.AccessTokenError === cjs.AccessTokenError;
       console.log(esm.isAccessTokenError(e), e instanceof esm.AccessTokenError, t === (one ? 'string' : 'ERR_INVALID_GRANT true'));`,
    ]);
    expect(out.trim()).toBe('true true true');
  });

  test('npm publish --dry-run passes without npm correcting the manifest', () => {
    const r = spawnSync('npm', ['publish', '--dry-run', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const report = JSON.parse(r.stdout) as Record<string, { version: string; files: { path: string }[] }>;
    expect(report['twilio-access-token']?.version).toBe(version);
    expect(report['twilio-access-token']?.files.map((f) => f.path)).toContain('dist/cli.js');
    // npm silently drops what it "corrects" (a ./-prefixed bin, for one): none of that here.
    expect(r.stderr).not.toMatch(/errors corrected|invalid and removed|auto-corrected/);
  });

  test('installs both bins: npx twilio-token and npx twilio-access-token print the version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const bin of ['twilio-token', 'twilio-access-token']) {
      const out = execFileSync('npx', ['--no', '--', bin, '--version'], {
        cwd: app,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir },
      });
      expect(out).toBe(`${version}\n`);
    }
    const token = execFileSync('npx', ['--no', '--', 'twilio-token', 'video', '--identity', 'packed', '--demo'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(
      run([
        '-e',
        `console.log(require('twilio-access-token').decodeAccessToken(${JSON.stringify(token.trim())}).payload.grants.identity)`,
      ]).trim(),
    ).toBe('packed');
  });
});
