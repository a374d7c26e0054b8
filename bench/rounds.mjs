// Alternating rounds: every task runs for the same slice of time in each round, in a rotated order,
// so drift in a shared machine's load hits all tasks alike. A slice is timed in CPU time of this
// process (process.cpuUsage: user + system, GC threads included), not wall time, so the time the
// machine gives to other processes is not counted against whichever task was running.

/**
 * Runs `tasks` (name to a synchronous or async function) for `rounds` rounds of `ms` each.
 * Returns ops per second per task, and each task's per-round ops per second.
 */
export async function alternate(tasks, { rounds = 40, ms = 50, warmupMs = 300 } = {}) {
  const names = Object.keys(tasks);
  for (const name of names) await slice(tasks[name], warmupMs);
  const totals = Object.fromEntries(names.map((n) => [n, { ops: 0, ns: 0, perRound: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const { ops, ns } = await slice(tasks[name], ms);
      totals[name].ops += ops;
      totals[name].ns += ns;
      totals[name].perRound.push((ops / ns) * 1e9);
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { hz: (totals[n].ops / totals[n].ns) * 1e9, perRound: totals[n].perRound }]),
  );
}

/** Calls `fn` in batches until `ms` of CPU time have passed; awaits it when it returns a Promise. */
async function slice(fn, ms) {
  const budget = ms * 1000;
  const started = process.cpuUsage();
  let ops = 0;
  let elapsed = 0;
  const probe = fn();
  const async = typeof probe?.then === 'function';
  if (async) await probe;
  ops++;
  while (elapsed < budget) {
    if (async) for (let i = 0; i < 64; i++) await fn();
    else for (let i = 0; i < 256; i++) fn();
    ops += async ? 64 : 256;
    const used = process.cpuUsage(started);
    elapsed = used.user + used.system;
  }
  return { ops, ns: elapsed * 1000 };
}

/**
 * The ratio of `a`'s throughput to `b`'s: the median of the per-round ratios (each from two slices
 * run side by side, so a burst of load from elsewhere skews a round, not the figure), with the
 * quartiles of those ratios, which show how steady it was.
 */
export function ratio(results, a, b) {
  const ratios = results[a].perRound.map((hz, i) => hz / results[b].perRound[i]).sort((x, y) => x - y);
  const at = (q) => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))];
  return { median: at(0.5), low: at(0.25), high: at(0.75) };
}

/** One line: `label  1.23x (quartiles 1.10-1.35)` and the target, if any; returns the median. */
export function printRatio(results, label, a, b, target = '') {
  const r = ratio(results, a, b);
  console.log(
    `${label.padEnd(44)} ${r.median.toFixed(2)}x (rounds' quartiles ${r.low.toFixed(2)}-${r.high.toFixed(2)})${target}`,
  );
  return r.median;
}

/** Prints a table of ops/s and microseconds per op. */
export function printRates(results) {
  console.table(
    Object.entries(results).map(([task, { hz }]) => ({
      task,
      'ops/s': Math.round(hz).toLocaleString('en-US'),
      'us/op': (1e6 / hz).toFixed(2),
    })),
  );
}
