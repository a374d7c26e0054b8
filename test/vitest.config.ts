import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// test/ mirrors src/: the tests of src/<folder>/ live in test/<folder>/ (the architecture test checks
// that each src folder has one). A file's tier comes from where it is and its suffix, never from a
// list of files, so a test moves with its code:
// - `unit`: every test file not selected below: src/ in process, no sockets, no child processes, no
//   build (`npm run test:unit`, a few seconds; it runs them without per-file isolation, `npm test`
//   isolates each file).
// - `properties`: `*.property.test.ts` of the unit folders, the heavy properties and simulations
//   split from their unit files (`npm run test:properties`). The tiers below are by folder; a
//   property file in one of their folders runs with its folder.
// - `twilio`: test/conformance, the tests that load the real `twilio` package (the oracle of
//   byte-identical tokens, and /twilio's conversions); heavy to import, so out of the unit tier.
// - `handlers`: test/handlers, the HTTP handlers over real sockets on 127.0.0.1, no build
//   (`npm run test:handlers`).
// - `integration`: real timers and processes, and the CLI, the packed package, docs, examples, the
//   runtimes and the browser against dist/ (`npm run test:integration` builds first and installs the
//   rigs). test/cli and test/probe are here as folders: the CLI is tested as a process, the probe
//   against a fake Twilio over sockets. test/browser, test/runtimes and test/redis are packages of
//   their own (see .ci/rigs.mjs): their tests import what those packages install.
// `npm test` runs every project, in one report.
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
const properties = 'test/**/*.property.test.ts';
const twilio = 'test/conformance/**';
const handlers = 'test/handlers/**';

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
          exclude: [...configDefaults.exclude, properties, twilio, handlers, ...integration],
          // In-process tests: worker threads start faster than forked processes.
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'properties',
          include: [properties],
          exclude: [...configDefaults.exclude, twilio, handlers, ...integration],
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: { name: 'twilio', include: [`${twilio}/*.test.ts`], exclude: configDefaults.exclude },
      },
      {
        extends: true,
        test: { name: 'handlers', include: [`${handlers}/*.test.ts`], exclude: configDefaults.exclude },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integration.map((dir) => `${dir}/*.test.ts`),
          exclude: configDefaults.exclude,
        },
      },
    ],
  },
});
