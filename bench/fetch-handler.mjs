// The /fetch handler on Node, in one process: the same Request in, a Response out, beside a floor
// handler that answers the same Request with `new Response` of a token minted by the main entry's
// minter (nothing read, nothing checked), in alternating CPU-timed rounds.
import { createFetchHandler } from '../dist/fetch.js';
import * as ours from '../dist/index.js';
import { alternate, printRates, printRatio } from './rounds.mjs';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const ms = Number(process.env.BENCH_ROUND_MS ?? 50);
const grants = [
  ours.videoGrant({ room: 'standup' }),
  ours.voiceGrant({ outgoingApplicationSid: `AP${'c'.repeat(32)}`, incomingAllow: true }),
];

const handler = createFetchHandler({
  credentials,
  identify: (request) => (request.headers.authorization === 'Bearer bench' ? 'alice' : null),
  grants,
});
const minter = ours.createTokenMinter({ credentials, ttl: 3600 });
const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
async function floor(request) {
  if (request.headers.get('authorization') !== 'Bearer bench') return new Response(null, { status: 401 });
  const token = minter('alice', grants);
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + 3600) * 1000).toISOString();
  return new Response(`{"token":"${token}","identity":"alice","ttl":3600,"expiresAt":"${expiresAt}"}`, {
    status: 200,
    headers,
  });
}
// A GET as a browser's fetch sends it; without a body, one Request serves every call.
const request = new Request('http://127.0.0.1/token', {
  headers: { authorization: 'Bearer bench', accept: '*/*', 'user-agent': 'bench', origin: 'http://127.0.0.1' },
});

// Both answer 200 with a token that verifies, before anything is timed.
for (const fn of [handler, floor]) {
  const response = await fn(request);
  const { token } = await response.json();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  ours.verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
}

const tasks = {
  'createFetchHandler (node:crypto on Node)': () => handler(request),
  'floor: new Response of a minted token': () => floor(request),
};
const r = await alternate(tasks, { rounds, ms });
printRates(r);
const [h, f] = Object.keys(tasks);
const floorVsHandler = printRatio(r, 'floor vs createFetchHandler:', f, h, ' the throughput (target <= 1.5x)');
export default {
  floorVsHandler,
  usPerRequest: Object.fromEntries(Object.entries(r).map(([n, { hz }]) => [n, 1e6 / hz])),
  rounds,
  roundMs: ms,
};
