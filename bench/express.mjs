// The token handler's own cost inside Express 5 and on bare node:http. Each server (bench/
// express-server.mjs) runs in its own process on 127.0.0.1 under autocannon; rounds alternate
// between the four. On a platform, the handler's own cost is the median time of its (synchronous)
// call minus that of an empty handler answering a constant body of the same size with the same
// calls (writeHead, end), so writing to the socket cancels out; Express's own cost is the CPU time
// per request of the empty handler inside Express minus that on bare node:http.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const rounds = Number(process.env.BENCH_EXPRESS_ROUNDS ?? 6);
const amount = Number(process.env.BENCH_EXPRESS_REQUESTS ?? 6000);
const connections = 10;
const KINDS = ['http-empty', 'http-token', 'express-empty', 'express-token'];

async function start(kind) {
  const server = spawn(process.execPath, [new URL('./express-server.mjs', import.meta.url).pathname, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = await once(server.stdout, 'data');
  return { kind, server, base: `http://127.0.0.1:${String(chunk).trim()}` };
}
async function stats(base) {
  return (await fetch(`${base}/stats`)).json();
}
async function load(base, n) {
  const r = await autocannon({
    url: `${base}/token`,
    connections,
    amount: n,
    headers: { authorization: 'Bearer bench' },
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${base}: ${r.non2xx} non-2xx, ${r.errors} errors`);
}

const servers = await Promise.all(KINDS.map(start));
const inHandler = Object.fromEntries(KINDS.map((k) => [k, []]));
const cpuPerRequest = Object.fromEntries(KINDS.map((k) => [k, []]));
for (const s of servers) {
  await load(s.base, 2000); // warm-up
  await stats(s.base);
}
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < servers.length; i++) {
    const s = servers[(i + r) % servers.length];
    const before = await stats(s.base);
    await load(s.base, amount);
    const after = await stats(s.base);
    inHandler[s.kind].push(after.handlerMicros);
    cpuPerRequest[s.kind].push((after.cpuMicros - before.cpuMicros) / (after.answered - before.answered));
  }
}
for (const s of servers) {
  s.server.kill('SIGTERM');
  await once(s.server, 'exit');
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const handlerUs = Object.fromEntries(KINDS.map((k) => [k, median(inHandler[k])]));
const cpuUs = Object.fromEntries(KINDS.map((k) => [k, median(cpuPerRequest[k])]));
for (const k of KINDS)
  console.log(
    `${k.padEnd(14)} handler call ${handlerUs[k].toFixed(1).padStart(5)} us (median)   whole request ${cpuUs[k].toFixed(1).padStart(6)} us of CPU`,
  );
// Each round's own difference, so a round's load hits both sides of the subtraction alike.
const own = (platform) => median(inHandler[`${platform}-token`].map((t, i) => t - inHandler[`${platform}-empty`][i]));
const ownOnHttp = own('http');
const ownInExpress = own('express');
const ratio = ownInExpress / ownOnHttp;
const expressCost = median(cpuPerRequest['express-empty'].map((t, i) => t - cpuPerRequest['http-empty'][i]));
console.log(
  `handler's own cost: ${ownOnHttp.toFixed(1)} us on bare node:http, ${ownInExpress.toFixed(1)} us inside Express 5`,
);
console.log(`inside Express vs bare node:http:   ${ratio.toFixed(2)}x the handler's own cost (target <= 1.5x)`);
console.log(`Express's own cost (empty handler): ${expressCost.toFixed(1)} us of CPU per request over bare node:http`);
export default { handlerUs, cpuUs, ownOnHttp, ownInExpress, ratio, expressCost, rounds, amount, connections };
