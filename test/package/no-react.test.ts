import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// Issue 26, the first hour: require('twilio-access-token/react') without React printed "Cannot find
// module 'react'" and a require stack of four files. Now one line names the fix, as /twilio does.

const root = new URL('../..', import.meta.url).pathname;
const browserReact = join(root, 'test/browser/node_modules/react');

/** The built package alone in a folder (with React beside it when `withReact`), running `code`. */
function run(code: string, withReact = false) {
  const dir = mkdtempSync(join(tmpdir(), 'tat-no-react-'));
  try {
    const pkg = join(dir, 'node_modules', 'twilio-access-token');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    if (withReact) symlinkSync(browserReact, join(dir, 'node_modules', 'react'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    writeFileSync(join(dir, 'main.js'), code);
    const result = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('/react without React installed', () => {
  test('require fails with one line naming npm install react, no MODULE_NOT_FOUND or require stack', () => {
    const { status, stderr } = run("require('twilio-access-token/react');");
    expect(status).toBe(1);
    expect(stderr).toContain(
      'Error: twilio-access-token/react needs the react package, an optional peer dependency that is not installed: npm install react',
    );
    expect(stderr).not.toMatch(/MODULE_NOT_FOUND|Cannot find module|Require stack/);
    expect(stderr.split('\n').filter((l) => l.includes('react')).length).toBeLessThanOrEqual(2);
  });

  test.runIf(existsSync(browserReact))('with React installed it loads (control)', () => {
    expect(
      run("const r = require('twilio-access-token/react'); console.error(typeof r.useAccessToken);", true),
    ).toEqual({ status: 0, stderr: 'function' });
  });
});
