// The cost of loading the package: `node -e "require(X)"` for ours, for twilio and for bare
// `node -e 0`, interleaved so background noise hits all alike; medians of N runs. ESM is measured
// against its own baseline and beside a one-file package (tinybench), since Node 20's ESM
// resolution of any package costs more than the module itself; es-errors (a 66-byte CJS module with
// an exports map) shows what Node's package resolution alone costs.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_LOAD_RUNS ?? 15);
// Each `node -e` starts in bench/, whose node_modules (the bench package: `node .ci/rigs.mjs bench`)
// holds twilio, es-errors, tinybench and this package, linked (file:..), as an app would see them.
const cwd = fileURLToPath(new URL('.', import.meta.url));
const cases = {
  'node -e 0': ['-e', '0'],
  "require('twilio-access-token')": ['-e', "require('twilio-access-token')"],
  "require('twilio')": ['-e', "require('twilio')"],
  "require('es-errors') (tiny package with exports)": ['-e', "require('es-errors')"],
  'node --input-type=module -e 0': ['--input-type=module', '-e', '0'],
  "import 'twilio-access-token'": ['--input-type=module', '-e', "import 'twilio-access-token'"],
  "import 'tinybench' (one-file package)": ['--input-type=module', '-e', "import 'tinybench'"],
};
const baselineOf = (name) =>
  name.startsWith('import') || name.includes('module') ? 'node --input-type=module -e 0' : 'node -e 0';

const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
    samples[name].push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const name of Object.keys(cases)) {
  const m = median(samples[name]);
  const base = median(samples[baselineOf(name)]);
  results[name] = { medianMs: m, addedMs: m - base };
  if (name === baselineOf(name)) console.log(`${name.padEnd(40)} median ${m.toFixed(1).padStart(6)} ms`);
  else
    console.log(
      `${name.padEnd(40)} median ${m.toFixed(1).padStart(6)} ms   adds ${(m - base).toFixed(1).padStart(6)} ms to ${baselineOf(name)}`,
    );
}
export default results;
