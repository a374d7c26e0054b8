// Load: the Express/node:http token handler on 127.0.0.1 under autocannon, beside a bare node:http
// server answering a constant JSON body of the same size, and that bare server plus one HMAC (the
// floor for any endpoint that signs), in the same session. Each server runs in its own process;
// rounds alternate so drift in the machine's load hits all alike.
// Traffic goes to 127.0.0.1 only, for a bounded time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_LOAD_ROUNDS ?? 2);
const connections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);

async function round(kind, duration) {
  const server = spawn(process.execPath, [new URL('./load-server.mjs', import.meta.url).pathname, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = await once(server.stdout, 'data');
  const url = `http://127.0.0.1:${String(chunk).trim()}/token`;
  await autocannon({ url, connections, duration: 1, headers: { authorization: 'Bearer bench' } }); // warm-up
  const r = await autocannon({ url, connections, duration, headers: { authorization: 'Bearer bench' } });
  server.kill('SIGTERM');
  await once(server, 'exit');
  return {
    requests: r.requests.total,
    seconds: duration,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    p99: r.latency.p99,
  };
}

const totals = { bare: [], signed: [], token: [] };
for (let i = 0; i < rounds; i++) {
  for (const kind of ['bare', 'signed', 'token']) totals[kind].push(await round(kind, seconds / rounds));
}
const summary = {};
for (const [kind, rows] of Object.entries(totals)) {
  const requests = rows.reduce((a, r) => a + r.requests, 0);
  summary[kind] = {
    rps: requests / seconds,
    errors: rows.reduce((a, r) => a + r.errors, 0),
    non2xx: rows.reduce((a, r) => a + r.non2xx, 0),
    p99ms: Math.max(...rows.map((r) => r.p99)),
  };
}
const label = {
  bare: 'bare node:http, constant JSON',
  signed: 'bare + one createHmac (signing floor)',
  token: 'token endpoint (createExpressHandler)',
};
for (const kind of ['bare', 'signed', 'token']) {
  const s = summary[kind];
  console.log(
    `${label[kind].padEnd(38)} ${Math.round(s.rps).toLocaleString('en-US').padStart(8)} req/s  errors ${s.errors}  non-2xx ${s.non2xx}  p99 ${s.p99ms} ms`,
  );
}
const ratio = summary.token.rps / summary.bare.rps;
console.log(
  `token endpoint keeps ${(ratio * 100).toFixed(0)}% of the bare server's requests per second over ${seconds} s each at ${connections} connections (target >= 80%)`,
);
const signedRatio = summary.signed.rps / summary.bare.rps;
const vsSigned = summary.token.rps / summary.signed.rps;
console.log(
  `bare + one HMAC alone keeps ${(signedRatio * 100).toFixed(0)}%; the token endpoint keeps ${(vsSigned * 100).toFixed(0)}% of that signing floor`,
);
export default { ...summary, ratio, signedRatio, vsSigned, seconds, connections };
