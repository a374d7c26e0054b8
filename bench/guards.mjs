// The guards' price for handlers that do not use them: the Express/node:http and fetch handlers as
// they are now, with no hook set, against the same handlers as they were before the guards existed
// (the source at the parent of the commit that added src/handlers/core/guards.ts, or BENCH_GUARDS_REF),
// both bundled by esbuild from source in the same way and timed side by side in this process. The
// handlers are called directly (no sockets), so the difference is not lost in HTTP's cost.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Bench } from 'tinybench';

const root = fileURLToPath(new URL('..', import.meta.url));
const time = Number(process.env.BENCH_TIME_MS ?? 4000);
const rounds = Number(process.env.BENCH_GUARDS_ROUNDS ?? 8);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** The commit before the guards, or undefined where there is no git history (a tarball). */
function referenceCommit() {
  if (process.env.BENCH_GUARDS_REF) return git('rev-parse', process.env.BENCH_GUARDS_REF);
  try {
    const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/handlers/core/guards.ts').split('\n').pop();
    return added ? git('rev-parse', `${added}^`) : undefined;
  } catch {
    return undefined;
  }
}

async function bundle(srcRoot, out) {
  await build({
    entryPoints: {
      express: join(srcRoot, 'src/handlers/node-http/index.ts'),
      fetch: join(srcRoot, 'src/handlers/fetch/index.ts'),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return {
    express: await import(join(out, 'express.js')),
    fetch: await import(join(out, 'fetch.js')),
  };
}

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};

/** A GET as node:http hands it over (no body to stream), and a response that records nothing. */
function expressCall(mod, grantsMod) {
  const handler = mod.createExpressHandler({ credentials, identify: () => 'alice', grants: grantsMod });
  const socket = { remoteAddress: '127.0.0.1', destroyed: false, end() {} };
  const noop = () => {};
  const res = { headersSent: false, writeHead: noop, end: noop };
  return () => {
    const req = {
      method: 'GET',
      url: '/token',
      headers: { host: '127.0.0.1', authorization: 'Bearer bench' },
      readableEnded: true,
      socket,
      on: noop,
      removeListener: noop,
      pause: noop,
      resume: noop,
      destroy: noop,
    };
    handler(req, res);
  };
}

function fetchCall(mod, grantsMod) {
  const handler = mod.createFetchHandler({ credentials, identify: () => 'alice', grants: grantsMod });
  return () => handler(new Request('http://127.0.0.1/token', { headers: { authorization: 'Bearer bench' } }));
}

export async function guardsBench() {
  const ref = referenceCommit();
  if (ref === undefined) {
    console.log('guards A/B: skipped (no git history to take the reference from)');
    return undefined;
  }
  const work = mkdtempSync(join(tmpdir(), 'tat-guards-bench-'));
  try {
    const before = join(work, 'before');
    mkdirSync(before);
    execFileSync('sh', ['-c', `git archive ${ref} src | tar -x -C "${before}"`], { cwd: root });
    const a = await bundle(before, join(work, 'out-before'));
    const b = await bundle(root, join(work, 'out-now'));
    const { videoGrant } = await import('../dist/index.js');
    const grants = videoGrant({ room: 'standup' });
    const pairs = {
      express: [expressCall(a.express, grants), expressCall(b.express, grants)],
      fetch: [fetchCall(a.fetch, grants), fetchCall(b.fetch, grants)],
    };
    // Each pair side by side in short rounds, in alternating order, so drift in the machine's load
    // hits both sides alike; the median of the rounds' ratios is the figure.
    const results = { reference: ref.slice(0, 12) };
    for (const [name, [before, now]] of Object.entries(pairs)) {
      const ratios = [];
      const hz = { before: [], now: [] };
      for (let round = 0; round < rounds; round++) {
        const bench = new Bench({ time: time / rounds, warmup: true, warmupTime: 100 });
        const order = round % 2 === 0 ? ['before', 'now'] : ['now', 'before'];
        for (const side of order) bench.add(side, side === 'before' ? before : now);
        await bench.run();
        const of = (side) => bench.tasks.find((t) => t.name === side).result.throughput.mean;
        hz.before.push(of('before'));
        hz.now.push(of('now'));
        ratios.push(of('now') / of('before'));
      }
      results[name] = {
        nowVsBefore: median(ratios),
        beforeOpsPerSecond: median(hz.before),
        nowOpsPerSecond: median(hz.now),
      };
      console.log(
        `${name.padEnd(8)} before ${Math.round(median(hz.before)).toLocaleString('en-US').padStart(9)} ops/s, now without hooks ${Math.round(median(hz.now)).toLocaleString('en-US').padStart(9)} ops/s: ${median(ratios).toFixed(2)}x (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      );
    }
    console.log(
      `handler without hooks vs before the guards (${results.reference}): express ${results.express.nowVsBefore.toFixed(2)}x, fetch ${results.fetch.nowVsBefore.toFixed(2)}x the throughput (target >= 0.95x)`,
    );
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await guardsBench();
