import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// The main entry and /web never load twilio: checked in a fresh process for require and import.

const root = new URL('../..', import.meta.url).pathname;
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('loading the package', () => {
  test.each([
    'twilio-access-token',
    'twilio-access-token/web',
    'twilio-access-token/express',
    'twilio-access-token/lambda',
  ])('require(%s) loads no module from twilio', (id) => {
    const loaded = node([
      '-e',
      `require(${JSON.stringify(id)}); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/node_modules/'))))`,
    ]);
    expect(JSON.parse(loaded)).toEqual([]);
  });

  const hooks = `data:text/javascript,${encodeURIComponent(
    'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("/node_modules/")) console.log("loaded", r.url); return r; }',
  )}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`)}`;
  const importing = (id: string) =>
    node([
      '--import',
      register,
      '--input-type=module',
      '-e',
      // twilio is loaded with createRequire, which no resolve hook sees: the CJS cache shows it.
      `await import(${JSON.stringify(id)}); const { createRequire } = await import('node:module'); for (const f of Object.keys(createRequire(import.meta.url).cache)) if (f.includes('/node_modules/')) console.log('loaded', 'file://' + f);`,
    ])
      .split('\n')
      .filter((l) => l.startsWith('loaded'));

  test.each(['twilio-access-token', 'twilio-access-token/web', 'twilio-access-token/fetch'])(
    'import(%s) resolves no module from twilio',
    (id) => {
      expect(importing(id)).toEqual([]);
    },
  );

  test('the import check sees twilio when it is loaded (control)', () => {
    // twilio's AccessToken module and its own dependencies (jsonwebtoken...).
    expect(importing('twilio-access-token/twilio')).toContainEqual(
      expect.stringMatching(/node_modules\/twilio\/lib\/jwt\/AccessToken\.js$/),
    );
  });

  test('the /twilio entry does load twilio, and only its AccessToken module', () => {
    const loaded = JSON.parse(
      node([
        '-e',
        `require('twilio-access-token/twilio'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/node_modules/twilio/'))))`,
      ]),
    ) as string[];
    expect(loaded.map((f) => f.slice(f.indexOf('/node_modules/twilio/')))).toEqual([
      '/node_modules/twilio/lib/jwt/AccessToken.js',
    ]);
  });
});

describe('/twilio without twilio installed', () => {
  // The built package alone in a folder of its own: nothing up the tree can resolve twilio.
  const run = (code: string, type: 'commonjs' | 'module') => {
    const dir = mkdtempSync(join(tmpdir(), 'tat-no-twilio-'));
    try {
      const pkg = join(dir, 'node_modules', 'twilio-access-token');
      mkdirSync(pkg, { recursive: true });
      cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
      writeFileSync(join(dir, 'main.js'), code);
      const result = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
      return { status: result.status, stderr: result.stderr.trim() };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const line =
    'Error: twilio-access-token/twilio needs the twilio package, an optional peer dependency that is not installed: npm install twilio';

  test.each([
    ['require', "require('twilio-access-token/twilio');", 'commonjs' as const],
    ['import', "await import('twilio-access-token/twilio');", 'module' as const],
  ])('%s fails with one line naming the fix, not MODULE_NOT_FOUND', (_how, code, type) => {
    const { status, stderr } = run(code, type);
    expect(status).toBe(1);
    expect(stderr).toContain(line);
    expect(stderr).not.toMatch(/MODULE_NOT_FOUND|Cannot find module|Require stack/);
    expect(stderr.split('\n').filter((l) => l.includes('twilio')).length).toBeLessThanOrEqual(2);
  });

  test('the main entry still loads there (control)', () => {
    expect(run("require('twilio-access-token'); console.error('ok');", 'commonjs')).toEqual({
      status: 0,
      stderr: 'ok',
    });
  });
});
