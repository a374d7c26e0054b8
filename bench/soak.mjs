// Soak: 100,000 mixed requests against the node:http token handler on 127.0.0.1, through clients
// that keep connections alive, then the heap compared with the heap after a warm-up (both after a
// full GC). Not a test: run `npm run build && node bench/soak.mjs` (SOAK_REQUESTS=N for another
// total). Three clients share the total:
// - autocannon (60%): valid and invalid requests (200, 400, 401, 405, 204) over 20 connections;
// - Node's http.Agent({ keepAlive: true }) (20%) and undici's fetch, Node's global fetch (20%),
//   20 concurrent each: the same kinds interleaved with refused bodies, a 17 KiB body (413 at
//   once), a streamed body past 16 KiB (413 while it arrives) and a stalled body (408), each of
//   which must close its connection without costing any later request.
// Every request must get its expected status; none may be lost (no answer, or a socket error).
// Traffic goes to 127.0.0.1 only and stops by itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';

const total = Number(process.env.SOAK_REQUESTS ?? 100_000);
const WARM_UP = Math.min(10_000, Math.round(total / 10));
const CONCURRENCY = 20;
const deep = JSON.stringify({ identity: 'x', a: JSON.parse(`${'{"a":'.repeat(80)}1${'}'.repeat(80)}`) });
const auth = { authorization: 'Bearer soak' };
const json = { ...auth, 'content-type': 'application/json' };

// Each request and the status it must get.
const mix = [
  { method: 'GET', path: '/token?room=standup', headers: auth, status: 200 },
  { method: 'POST', path: '/token', headers: json, body: '{"room":"r1"}', status: 200 },
  {
    method: 'POST',
    path: '/token',
    headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'room=r2',
    status: 200,
  },
  { method: 'GET', path: '/token', headers: {}, status: 401 },
  { method: 'POST', path: '/token', headers: json, body: '{"room":', status: 400 },
  { method: 'POST', path: '/token', headers: json, body: '{"room":""}', status: 400 },
  { method: 'POST', path: '/token', headers: json, body: deep, status: 400 },
  { method: 'PUT', path: '/token', headers: {}, status: 405 },
  { method: 'OPTIONS', path: '/token', headers: { origin: 'https://app.example.com' }, status: 204 },
];
// Refused bodies, interleaved with the mix in the keep-alive phases.
const refused = [
  { kind: 'oversize', status: 413 },
  { kind: 'streamed', status: 413 },
  { kind: 'stalled', status: 408 },
];
// One cycle: the mix twice, each refused kind once (21 requests, 3 of them refused).
const cycle = [...mix, refused[0], ...mix, refused[1], refused[2]];

const server = spawn(process.execPath, ['--expose-gc', new URL('./soak-server.mjs', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, SOAK_BODY_TIMEOUT: '100' },
});
const [chunk] = await once(server.stdout, 'data');
const port = Number(String(chunk).trim());
const base = `http://127.0.0.1:${port}`;
const heap = async () => Number(await (await fetch(`${base}/__heap`)).text());

const tally = { sent: 0, answered: 0, errors: 0, unexpected: 0, statuses: new Map(), errorCodes: new Map() };
const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
function answered(status, expected) {
  tally.answered += 1;
  count(tally.statuses, status);
  if (status !== expected) tally.unexpected += 1;
}
function failed(error) {
  tally.errors += 1;
  count(tally.errorCodes, error?.cause?.code ?? error?.code ?? error?.message ?? String(error));
}

async function viaAutocannon(amount) {
  const before = tally.answered;
  const result = await autocannon({
    url: base,
    connections: CONCURRENCY,
    amount,
    requests: mix.map(({ status: _status, ...request }) => request),
    setupClient(client) {
      client.on('response', (status) => {
        tally.answered += 1;
        count(tally.statuses, status);
        if (!mix.some((m) => m.status === status)) tally.unexpected += 1;
      });
    },
  });
  tally.sent += amount;
  tally.errors += result.errors + result.timeouts;
  return { answered: tally.answered - before, p99: result.latency.p99 };
}

const junk = (size) => Buffer.alloc(size, 0x78);

/** One request through the keep-alive http.Agent; resolves with the status, or rejects. */
function agentRequest(agent, item) {
  return new Promise((resolve, reject) => {
    const r = item.kind === undefined ? item : { method: 'POST', path: '/token', headers: json };
    const headers = { ...r.headers };
    if (item.kind === 'oversize' || item.kind === 'stalled' || typeof r.body === 'string')
      headers['content-length'] = String(
        item.kind === 'oversize' ? 17 * 1024 : item.kind === 'stalled' ? 100 : Buffer.byteLength(r.body),
      );
    const req = httpRequest({ agent, host: '127.0.0.1', port, path: r.path, method: r.method, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        // A client that stalled gives up on its body once it has the answer.
        if (item.kind === 'stalled') req.destroy();
        resolve(res.statusCode);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (item.kind === 'oversize') req.end(junk(17 * 1024));
    else if (item.kind === 'streamed') {
      for (let i = 0; i < 3; i++) req.write(junk(8 * 1024));
      req.end();
    } else if (item.kind === 'stalled') req.write('{"room":');
    else req.end(r.body);
  });
}

/** One request through undici's fetch (keep-alive by default). */
async function fetchRequest(item) {
  const r = item.kind === undefined ? item : { method: 'POST', path: '/token', headers: json };
  let release = () => {};
  let body = r.body;
  if (item.kind === 'oversize') body = junk(17 * 1024);
  if (item.kind === 'streamed' || item.kind === 'stalled') {
    const parts = item.kind === 'streamed' ? [junk(8 * 1024), junk(8 * 1024), junk(8 * 1024)] : [junk(8)];
    const hang = new Promise((resolve) => {
      release = resolve;
    });
    body = new ReadableStream({
      async pull(controller) {
        const next = parts.shift();
        if (next !== undefined) controller.enqueue(new Uint8Array(next));
        else {
          // A stalled body stays open until the answer came; then the client gives up on it.
          if (item.kind === 'stalled') await hang;
          controller.close();
        }
      },
    });
  }
  try {
    const response = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body, duplex: 'half' });
    await response.arrayBuffer();
    return response.status;
  } finally {
    release();
  }
}

async function keepAlivePhase(amount, send) {
  let next = 0;
  const worker = async () => {
    while (next < amount) {
      const item = cycle[next % cycle.length];
      next += 1;
      tally.sent += 1;
      try {
        answered(await send(item), item.status);
      } catch (error) {
        failed(error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

await viaAutocannon(WARM_UP);
const before = await heap();
const started = Date.now();
const benchShare = Math.round(total * 0.6) - WARM_UP;
const phases = [];
const timed = async (name, run) => {
  const t = Date.now();
  const result = await run();
  phases.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return result;
};
const { p99 } = await timed('autocannon', () => viaAutocannon(benchShare));
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const agentShare = Math.round(total * 0.2);
await timed('http.Agent', () => keepAlivePhase(agentShare, (item) => agentRequest(agent, item)));
agent.destroy();
await timed('fetch', () => keepAlivePhase(total - WARM_UP - benchShare - agentShare, fetchRequest));
const seconds = (Date.now() - started) / 1000;
const after = await heap();
server.kill('SIGTERM');
await once(server, 'exit');

const lost = tally.sent - tally.answered;
const list = (map) =>
  [...map.entries()]
    .sort()
    .map(([k, n]) => `${k} x ${n.toLocaleString('en-US')}`)
    .join(', ') || 'none';
console.log(
  `soak: ${tally.sent.toLocaleString('en-US')} requests in ${seconds.toFixed(1)} s after a ${WARM_UP.toLocaleString('en-US')}-request warm-up (autocannon p99 ${p99} ms)`,
);
console.log(
  `clients: autocannon ${(WARM_UP + benchShare).toLocaleString('en-US')}, http.Agent keep-alive ${agentShare.toLocaleString('en-US')}, fetch ${(total - WARM_UP - benchShare - agentShare).toLocaleString('en-US')} (${phases.join(', ')})`,
);
console.log(`statuses: ${list(tally.statuses)}`);
console.log(
  `errors: ${tally.errors} (${list(tally.errorCodes)}); lost: ${lost}; unexpected statuses: ${tally.unexpected}`,
);
console.log(
  `heap after warm-up ${(before / 1e6).toFixed(1)} MB, after the soak ${(after / 1e6).toFixed(1)} MB (${after >= before ? '+' : ''}${((after - before) / 1e6).toFixed(2)} MB)`,
);
process.exitCode = tally.errors === 0 && lost === 0 && tally.unexpected === 0 && tally.sent === total ? 0 : 1;
