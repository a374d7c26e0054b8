// `npm run bench`: every measurement, printed as ratios, saved to bench/results.json, and turned
// into the performance guide's table and chart (bench/report.mjs).
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const mint = (await import('./mint.mjs')).default;
console.log();
const verify = (await import('./verify.mjs')).default;
console.log();
const fetchHandler = (await import('./fetch-handler.mjs')).default;
console.log();
const express = (await import('./express.mjs')).default;
console.log();
const load = (await import('./load-time.mjs')).default;
console.log();
const http = (await import('./load.mjs')).default;
console.log();
const guards = await (await import('./guards.mjs')).guardsBench();
console.log();
const lightCore = (await import('./light-core.mjs')).default;
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown' },
  mint,
  verify,
  fetchHandler,
  express,
  load,
  http,
  guards,
  lightCore,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
await import('./report.mjs');
