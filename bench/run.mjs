// `npm run bench`: every measurement, printed as ratios, and saved to bench/results.json for the
// performance guide's chart (docs/performance.md).
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const mint = (await import('./mint.mjs')).default;
console.log();
const load = (await import('./load-time.mjs')).default;
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, model: os.cpus()[0]?.model },
  mint,
  load,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
