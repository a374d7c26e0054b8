// The cost of loading the package: `node -e "require(X)"` for ours, for twilio and for bare
// `node -e 0`, interleaved so background noise hits all three alike; medians of N runs.
import { execFileSync } from 'node:child_process';

const runs = Number(process.env.BENCH_LOAD_RUNS ?? 15);
const cases = {
  'node -e 0': '0',
  "require('twilio-access-token')": "require('twilio-access-token')",
  "import('twilio-access-token')": "import('twilio-access-token')",
  "require('twilio')": "require('twilio')",
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, code] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', code], { stdio: 'ignore' });
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples['node -e 0']);
const results = {};
for (const name of Object.keys(cases)) {
  const m = median(samples[name]);
  results[name] = { medianMs: m, addedMs: m - base };
  console.log(
    `${name.padEnd(34)} median ${m.toFixed(1).padStart(6)} ms   adds ${(m - base).toFixed(1).padStart(6)} ms to bare node`,
  );
}
export default results;
