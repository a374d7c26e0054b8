// A server for bench/load.mjs, in its own process so it does not share a thread with the load
// generator: `node bench/load-server.mjs bare|token`. Listens on 127.0.0.1 and prints its port.
import { createServer } from 'node:http';
import { createExpressHandler } from '../dist/express.js';
import { videoGrant, voiceGrant } from '../dist/index.js';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
// The bare server answers a body the size of a real token response.
const body = JSON.stringify({
  token: 'x'.repeat(560),
  identity: 'alice',
  ttl: 3600,
  expiresAt: new Date().toISOString(),
});

const listener =
  process.argv[2] === 'bare'
    ? (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          'access-control-allow-origin': '*',
        });
        res.end(body);
      }
    : createExpressHandler({
        credentials,
        identify: (request) => (request.headers.authorization === 'Bearer bench' ? 'alice' : null),
        grants: [
          videoGrant({ room: 'standup' }),
          voiceGrant({ outgoingApplicationSid: `AP${'c'.repeat(32)}`, incomingAllow: true }),
        ],
      });
const server = createServer(listener).listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
