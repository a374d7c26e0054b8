import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Three tiers, all in one report in `npm test`:
// - `unit`: the tests of src/ in process, no sockets, no child processes, no build (`npm run
//   test:unit`, a few seconds; it runs them without per-file isolation, `npm test` isolates each file).
// - `handlers`: the HTTP handlers over real sockets on 127.0.0.1, no build (`npm run test:handlers`).
// - `integration`: real timers and processes, and the CLI, the packed package, docs, examples, the
//   runtimes and the browser against dist/ (`npm run test:integration` builds first and installs the
//   rigs). test/browser, test/runtimes and test/redis are packages of their own (see .ci/rigs.mjs): their tests
//   import what those packages install.
const root = fileURLToPath(new URL('..', import.meta.url));
const integration = [
  'test/integration/**',
  'test/cli/**',
  'test/probe/**',
  'test/package/**',
  'test/docs/**',
  'test/examples/**',
  'test/init/**',
  'test/browser/**',
  'test/runtimes/**',
  'test/redis/**',
];

export default defineConfig({
  root,
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Property-test run counts: one setting, FC_NUM_RUNS.
    setupFiles: ['test/fast-check.setup.ts'],
    // Package and integration tests spawn processes; two cores, so keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/handlers/**', ...integration],
          // In-process tests: worker threads start faster than forked processes.
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: { name: 'handlers', include: ['test/handlers/**/*.test.ts'], exclude: configDefaults.exclude },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integration.map((dir) => `${dir}/**/*.test.ts`),
          exclude: configDefaults.exclude,
        },
      },
    ],
  },
});
