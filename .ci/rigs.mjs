// The root `npm ci` installs only what building the library and its unit tests need. Everything
// else has a package of its own, with its own lockfile, installed here by the scripts that need it:
//
//   tools     .ci/           publint, attw, size-limit, typedoc, changesets, the workflow linter
//   browser   test/browser/  the /client and /react tests in Chromium (playwright-core, the Twilio SDKs, React,
//                            esbuild) and in a React Native-shaped Node process (react-test-renderer)
//   runtimes  test/runtimes/ workerd (Miniflare), @edge-runtime/vm, esbuild, Hono and @hono/node-server
//   bench     bench/         autocannon, tinybench, twilio (the comparison)
//   redis     test/redis/    rate-limiter-flexible, ioredis, express-rate-limit, OpenTelemetry (the guards
//                            against a real Redis; Debian's redis-server itself comes from .ci/run)
//
// `node .ci/rigs.mjs [name...]` (no name: all) runs `npm ci --prefix <dir>` for each one whose
// node_modules is missing or older than its lockfile, and says nothing when all are up to date.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Rig name to its folder, relative to the repository root. */
export const RIGS = {
  tools: '.ci',
  browser: 'test/browser',
  runtimes: 'test/runtimes',
  bench: 'bench',
  redis: 'test/redis',
};

const root = fileURLToPath(new URL('..', import.meta.url));

/** True when `<dir>/node_modules` is missing or older than `<dir>/package-lock.json`. */
function stale(dir) {
  const installed = `${root}${dir}/node_modules/.package-lock.json`;
  if (!existsSync(installed)) return true;
  return statSync(installed).mtimeMs < statSync(`${root}${dir}/package-lock.json`).mtimeMs;
}

/** Installs the named rigs that need it; returns false if an install failed. */
export function installRigs(names = Object.keys(RIGS)) {
  for (const name of names) {
    const dir = RIGS[name];
    if (dir === undefined) {
      console.error(`unknown rig "${name}": one of ${Object.keys(RIGS).join(', ')}`);
      return false;
    }
    if (!stale(dir)) continue;
    console.error(`installing ${dir}/node_modules (npm ci --prefix ${dir})`);
    const { status } = spawnSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], {
      cwd: root,
      // npm's report goes to stderr: a script's stdout (`npm run --silent changeset status`) stays its own.
      stdio: ['ignore', 2, 2],
    });
    if (status !== 0) return false;
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(installRigs(process.argv.slice(2)) ? 0 : 1);
}
