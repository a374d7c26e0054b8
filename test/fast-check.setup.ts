import fc from 'fast-check';

// Every property test's run count comes from here: FC_NUM_RUNS, 100 by default (`npm run test:unit`);
// `npm test` sets a larger one. A test that passes its own numRuns says why its count is special.
const raw = process.env.FC_NUM_RUNS ?? '100';
const numRuns = Number(raw);
if (!Number.isInteger(numRuns) || numRuns < 1) {
  throw new Error(`FC_NUM_RUNS must be a positive integer, got a ${typeof raw} of length ${raw.length}`);
}
fc.configureGlobal({ numRuns });
