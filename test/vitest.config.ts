import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two tiers. `unit`: the tests of src/, no build needed, seconds (`npm run test:unit`).
// `integration`: real timers and processes, and the CLI, the packed package, docs, examples and the
// browser against dist/ (`npm run test:integration` builds first). `npm test` runs both in one report.
const root = fileURLToPath(new URL('..', import.meta.url));
const integration = [
  'test/integration/**',
  'test/cli/**',
  'test/package/**',
  'test/docs/**',
  'test/examples/**',
  'test/browser/**',
];

export default defineConfig({
  root,
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Package and integration tests spawn processes; two cores, so keep the pool small.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: integration } },
      { extends: true, test: { name: 'integration', include: integration.map((dir) => `${dir}/*.test.ts`) } },
    ],
  },
});
