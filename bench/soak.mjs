// Soak: 100,000 mixed valid and invalid requests against the node:http token handler on
// 127.0.0.1, then the heap compared with the heap after a warm-up (both after a full GC). Not a
// test: run `npm run build && node bench/soak.mjs`. Every request must get its expected status, and
// none may fail at the socket. Traffic goes to 127.0.0.1 only and stops by itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';

const total = Number(process.env.SOAK_REQUESTS ?? 100_000);
const oversized = Math.round(total / 100); // 413s close their connection: sent on their own
const deep = JSON.stringify({ identity: 'x', a: JSON.parse(`${'{"a":'.repeat(80)}1${'}'.repeat(80)}`) });

// Each request and the status it must get.
const mix = [
  { method: 'GET', path: '/token?room=standup', headers: { authorization: 'Bearer soak' }, status: 200 },
  {
    method: 'POST',
    path: '/token',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/json' },
    body: '{"room":"r1"}',
    status: 200,
  },
  {
    method: 'POST',
    path: '/token',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'room=r2',
    status: 200,
  },
  { method: 'GET', path: '/token', headers: {}, status: 401 },
  {
    method: 'POST',
    path: '/token',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/json' },
    body: '{"room":',
    status: 400,
  },
  {
    method: 'POST',
    path: '/token',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/json' },
    body: '{"room":""}',
    status: 400,
  },
  {
    method: 'POST',
    path: '/token',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/json' },
    body: deep,
    status: 400,
  },
  { method: 'PUT', path: '/token', headers: {}, status: 405 },
  { method: 'OPTIONS', path: '/token', headers: { origin: 'https://app.example.com' }, status: 204 },
];

const server = spawn(process.execPath, ['--expose-gc', new URL('./soak-server.mjs', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [chunk] = await once(server.stdout, 'data');
const base = `http://127.0.0.1:${String(chunk).trim()}`;
const heap = async () => Number(await (await fetch(`${base}/__heap`)).text());

const seen = new Map();
async function run(amount) {
  const result = await autocannon({
    url: base,
    connections: 20,
    amount,
    requests: mix.map(({ status: _status, ...request }) => request),
    setupClient(client) {
      client.on('response', (status) => seen.set(status, (seen.get(status) ?? 0) + 1));
    },
  });
  return result.errors + result.timeouts;
}

let errors = await run(10_000);
const before = await heap();
const started = Date.now();
errors += await run(total - 10_000 - oversized);
for (let i = 0; i < oversized; i++) {
  const response = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { authorization: 'Bearer soak', 'content-type': 'application/json' },
    body: 'x'.repeat(17 * 1024),
  });
  seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
  await response.arrayBuffer();
}
const seconds = (Date.now() - started) / 1000;
const after = await heap();
server.kill('SIGTERM');
await once(server, 'exit');

// Expected counts: the mix cycles in order per connection, so each kind gets about its share.
const expected = new Map();
for (const { status } of mix) expected.set(status, (expected.get(status) ?? 0) + 1);
const requests = [...seen.values()].reduce((a, b) => a + b, 0);
const unexpected = [...seen.keys()].filter((s) => !expected.has(s) && s !== 413);
console.log(
  `soak: ${requests.toLocaleString('en-US')} requests in ${seconds.toFixed(1)} s (after a 10,000-request warm-up)`,
);
console.log(
  `statuses: ${[...seen.entries()]
    .sort()
    .map(([s, n]) => `${s} x ${n}`)
    .join(', ')}`,
);
console.log(
  `socket errors and timeouts: ${errors}; unexpected statuses: ${unexpected.length === 0 ? 'none' : unexpected.join(', ')}`,
);
console.log(
  `heap after warm-up ${(before / 1e6).toFixed(1)} MB, after the soak ${(after / 1e6).toFixed(1)} MB (${after >= before ? '+' : ''}${((after - before) / 1e6).toFixed(2)} MB)`,
);
process.exitCode = errors === 0 && unexpected.length === 0 && requests === total ? 0 : 1;
