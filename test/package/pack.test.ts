import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The package as users get it: packed, installed from the tarball into an empty project, then
// imported and required there. Runs against dist/, built by `npm test` before the tests.

const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let app: string;
let files: string[];
let tarballBytes: number;

const run = (args: string[], input?: string) =>
  execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8', input, env: { PATH: process.env.PATH } });

const SNIPPET = `
  const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 's3cret' };
  const token = m.createAccessToken('alice', [m.videoGrant({ room: 'r' }), m.voiceGrant({ incomingAllow: true })], { credentials: c });
  const p = m.verifyAccessToken(token, { apiKeySecret: 's3cret' });
  console.log(JSON.stringify([p.grants.identity, Object.keys(p.grants), m.isAccessTokenError(new m.AccessTokenError('ERR_NO_GRANTS', 'x'))]));
`;
const EXPECTED = JSON.stringify(['alice', ['identity', 'video', 'voice'], true]);
// /twilio and /react load their optional peers, absent from the app: /twilio is checked from the
// repository (where twilio is installed).
const SUBPATHS = ['', '/web', '/fetch', '/express', '/lambda', '/twilio-functions', '/client', '/probe'];

beforeAll(() => {
  expect(existsSync(join(root, 'dist/index.js')), 'dist/ is missing: run `npm run build` first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'tat-pack-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string; size: number; files: { path: string }[] }];
  files = packed.files.map((f) => f.path).sort();
  tarballBytes = packed.size;
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
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.mjs',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
      ]),
    );
  });

  test('is at most 250 kB, with one copy of the core per format (none per entry, none for the CLI)', () => {
    expect(tarballBytes).toBeLessThanOrEqual(250_000);
    const installed = join(app, 'node_modules/twilio-access-token');
    const code = files.filter((f) => /\.(c|m)?js$/.test(f));
    const contents = new Map<string, string>();
    for (const f of code) {
      const text = readFileSync(join(installed, f), 'utf8');
      // Modules of types only are empty files in the ESM build: alike, and nothing to copy.
      if (text.trim() === '') continue;
      expect(contents.get(text), `${f} repeats another file`).toBeUndefined();
      contents.set(text, f);
    }
    // What defines the error class, the grant brand and the keyring brand: in one file per format.
    for (const brand of ['AccessTokenError', 'grant', 'Keyring']) {
      const holders = code.filter((f) =>
        readFileSync(join(installed, f), 'utf8').includes(`Symbol.for("twilio-access-token.${brand}")`),
      );
      const esm = holders.filter((f) => f.startsWith('dist/esm/'));
      const cjs = holders.filter((f) => f.endsWith('.cjs'));
      // dist/client.js is /client whole in one file, for a page to import without a bundler.
      const others = holders.filter((f) => !esm.includes(f) && !cjs.includes(f) && f !== 'dist/client.js');
      expect([esm.length, cjs.length, others], brand).toEqual([1, 1, []]);
    }
  });

  test("import * lists exactly the names of the bundlers' ESM build, for every subpath", () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/twilio-access-token/package.json'), 'utf8'));
    const out = run([
      '--input-type=module',
      '-e',
      `const subpaths = ${JSON.stringify(SUBPATHS)};
       const out = {};
       for (const p of subpaths) {
         const node = Object.keys(await import('twilio-access-token' + p));
         const esm = Object.keys(await import('./node_modules/twilio-access-token/' + ${JSON.stringify(
           Object.fromEntries(SUBPATHS.map((p) => [p, manifest.exports[`.${p}`].module.default.slice(2)])),
         )}[p]));
         out[p] = [node, esm];
       }
       console.log(JSON.stringify(out));`,
    ]);
    const names = JSON.parse(out) as Record<string, [string[], string[]]>;
    for (const p of SUBPATHS) {
      const [node, esm] = names[p] ?? [[], []];
      expect(node.length, p).toBeGreaterThan(0);
      expect(node, p).toEqual(esm);
    }
    // /twilio where twilio is installed: the repository's own dist/.
    const peers = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const out = [];
         for (const e of ['twilio'])
           out.push([Object.keys(await import('./dist/' + e + '.mjs')), Object.keys(await import('./dist/' + e + '.js'))]);
         console.log(JSON.stringify(out));`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    for (const [node, esm] of JSON.parse(peers) as [string[], string[]][]) {
      expect(node.length).toBeGreaterThan(0);
      expect(node).toEqual(esm);
    }
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
      // The one line naming the fix (issue 26), for import too: Node's import loads the CommonJS build.
      expect(r.stderr, kind).toMatch(/npm install react/);
    }
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/twilio-access-token/package.json'), 'utf8'));
    expect(manifest.peerDependenciesMeta.react).toEqual({ optional: true });
    expect(manifest.exports['./react'].require.types).toBe('./dist/react.d.cts');
  });

  test('import and require share one copy in Node: same classes, one core module loaded', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       import { readFileSync } from 'node:fs';
       import * as esm from 'twilio-access-token';
       import * as esmWeb from 'twilio-access-token/web';
       import { createFetchHandler } from 'twilio-access-token/fetch';
       const require = createRequire(import.meta.url);
       const cjs = require('twilio-access-token');
       const cjsWeb = require('twilio-access-token/web');
       for (const p of ['/express', '/lambda', '/twilio-functions', '/probe', '/client']) {
         require('twilio-access-token' + p);
         await import('twilio-access-token' + p);
       }
       let e; try { cjs.videoGrant({ room: '' }); } catch (x) { e = x; }
       const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 's' };
       const t = esm.createAccessToken('a', cjs.videoGrant(), { credentials: c });
       // A grant made by the main entry (CommonJS), answered by /fetch (imported).
       const handler = createFetchHandler({ identify: () => 'bob', grants: cjs.videoGrant({ room: 'r' }), credentials: c, cors: false });
       const res = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
       const body = await res.json();
       // Every module file Node loaded that defines the grant brand: one.
       const holders = Object.keys(require.cache).filter((f) => readFileSync(f, 'utf8').includes('Symbol.for("twilio-access-token.grant")'));
       console.log(JSON.stringify([
         esm.AccessTokenError === cjs.AccessTokenError,
         esmWeb.AccessTokenError === cjs.AccessTokenError,
         cjsWeb.isAccessTokenError === esm.isAccessTokenError,
         esm.videoGrant === cjs.videoGrant,
         Object.getPrototypeOf(esm.videoGrant()) === Object.getPrototypeOf(cjsWeb.videoGrant()),
         esm.isAccessTokenError(e), e instanceof esm.AccessTokenError, typeof t,
         res.status, esm.decodeAccessToken(body.token).payload.grants.video,
         holders.length,
       ]));`,
    ]);
    expect(JSON.parse(out.trim())).toEqual([true, true, true, true, true, true, true, 'string', 200, { room: 'r' }, 1]);
  });

  // A bundler resolves import and require alike to the module build (the `module` condition): one
  // copy in the bundle, so a grant made through either is accepted by every entry, handlers included.
  test('a bundle that imports and requires shares one copy: grants cross entries', async () => {
    writeFileSync(
      join(app, 'bundled.js'),
      `import { createFetchHandler } from 'twilio-access-token/fetch';
       import { videoGrant, decodeAccessToken } from 'twilio-access-token';
       const cjs = require('twilio-access-token');
       const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 's' };
       const answer = async (grants) => {
         const handler = createFetchHandler({ identify: () => 'bob', grants, credentials: c, cors: false });
         const res = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
         return [res.status, decodeAccessToken((await res.json()).token).payload.grants.video];
       };
       (async () => console.log(JSON.stringify([await answer(videoGrant({ room: 'i' })), await answer(cjs.videoGrant({ room: 'r' }))])))();`,
    );
    const result = await build({
      entryPoints: [join(app, 'bundled.js')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(app, 'bundle.cjs'),
      logLevel: 'error',
      metafile: true,
    });
    const ours = Object.keys(result.metafile.inputs).filter((f) => f.includes('node_modules/twilio-access-token/'));
    expect(
      ours.every((f) => /\/dist\/(esm\/.*|[\w-]+)\.js$/.test(f)),
      ours.join(', '),
    ).toBe(true);
    expect(readFileSync(join(app, 'bundle.cjs'), 'utf8').split('Symbol.for("twilio-access-token.grant")')).toHaveLength(
      2,
    );
    expect(JSON.parse(run(['bundle.cjs']).trim())).toEqual([
      [200, { room: 'i' }],
      [200, { room: 'r' }],
    ]);
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
