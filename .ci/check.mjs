// `npm test`: every check the project has, in order, then a plain `N passed, N failed` line from
// vitest's JSON report. A failing step does not stop the later ones, so one run shows everything.
// The root `npm ci` is the light install; the first step installs the rigs (.ci/rigs.mjs): the
// release tools in .ci/, the browser, runtime and Redis test packages in test/browser, test/runtimes
// and test/redis.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = 'node_modules/.cache/vitest-report.json';
const tools = '.ci/node_modules/.bin';
// Property tests run this many times each here; `npm run test:unit` uses the setup file's default.
const numRuns = process.env.FC_NUM_RUNS ?? '500';
const steps = [
  ['rigs', 'node', ['.ci/rigs.mjs', 'tools', 'browser', 'runtimes', 'redis']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['typecheck rigs', 'npm', ['run', '--silent', 'typecheck:rigs']],
  ['lint', 'npx', ['biome', 'check', '.']],
  ['build', 'npx', ['tsup']],
  [
    'tests',
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'test/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { FC_NUM_RUNS: numRuns },
  ],
  ['publint', `${tools}/publint`, ['--strict']],
  [
    'workflows',
    'sh',
    [
      '-c',
      `for f in .github/workflows/*.yml; do ${tools}/action-validator "$f" || exit 1; done && echo "workflows valid"`,
    ],
  ],
  ['attw', `${tools}/attw`, ['--pack', '.']],
  // size-limit finds its plugin, and its budgets, in .ci/package.json.
  ['size-limit', 'sh', ['-c', 'cd .ci && node_modules/.bin/size-limit']],
  ['docs', `${tools}/typedoc`, []],
];

mkdirSync('node_modules/.cache', { recursive: true });
rmSync(report, { force: true });
const failed = [];
const began = Date.now();
for (const [name, command, args, env = {}] of steps) {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
  });
  console.log(
    `── ${name}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (status !== 0) failed.push(name);
}

let passed = 0;
let failedTests = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failedTests =
    json.numFailedTests + (json.numTotalTestSuites > 0 && json.success === false && json.numFailedTests === 0 ? 1 : 0);
  skipped = json.numPendingTests + json.numTodoTests;
} else {
  failedTests = 1;
}
console.log(`\nnpm test took ${((Date.now() - began) / 1000).toFixed(0)} s`);
if (failed.length > 0) console.log(`\nFailed steps: ${failed.join(', ')}`);
console.log(`\n${passed} passed, ${failedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed.length > 0 || failedTests > 0 ? 1 : 0);
