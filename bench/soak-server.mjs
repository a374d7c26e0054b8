// The server for bench/soak.mjs, in its own process with --expose-gc: the node:http token handler
// with a grants function of the request, plus GET /__heap, which collects garbage and answers the
// heap in use. Listens on 127.0.0.1 and prints its port. SOAK_BODY_TIMEOUT sets bodyTimeout (ms),
// so the soak's stalled bodies get their 408 quickly.
import { createServer } from 'node:http';
import { createExpressHandler } from '../dist/express.js';
import { videoGrant } from '../dist/index.js';

const handler = createExpressHandler({
  credentials: {
    accountSid: `AC${'a'.repeat(32)}`,
    apiKeySid: `SK${'b'.repeat(32)}`,
    apiKeySecret: 'soak-secret-0123456789abcdef0123',
  },
  identify: (request) => (request.headers.authorization === 'Bearer soak' ? 'alice' : null),
  grants: (request) => videoGrant({ room: typeof request.params.room === 'string' ? request.params.room : 'lobby' }),
  bodyTimeout: Number(process.env.SOAK_BODY_TIMEOUT ?? 10_000),
  onError: () => {},
});
const server = createServer((req, res) => {
  if (req.url === '/__heap') {
    globalThis.gc();
    globalThis.gc();
    res.end(String(process.memoryUsage().heapUsed));
    return;
  }
  handler(req, res);
}).listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
