// A server for bench/load.mjs, in its own process so it does not share a thread with the load
// generator: `node bench/load-server.mjs bare|signed|token`. Listens on 127.0.0.1, prints its port.
// bare: a constant JSON body the size of a token response. signed: the same plus one HMAC over a
// token-sized input with a prepared key, the least any token endpoint must do. token: the library.
import { createHmac, createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import { createExpressHandler } from '../dist/express.js';
import { videoGrant, voiceGrant } from '../dist/index.js';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
const body = JSON.stringify({
  token: 'x'.repeat(560),
  identity: 'alice',
  ttl: 3600,
  expiresAt: new Date().toISOString(),
});
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'access-control-allow-origin': '*',
};
const key = createSecretKey(Buffer.from(credentials.apiKeySecret));
const input = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0.${'x'.repeat(420)}`;

const listeners = {
  bare: (_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  },
  signed: (_req, res) => {
    const signature = createHmac('sha256', key).update(input).digest('base64url');
    res.writeHead(200, headers);
    res.end(body.replace('xx', signature.slice(0, 2)));
  },
  token: createExpressHandler({
    credentials,
    identify: (request) => (request.headers.authorization === 'Bearer bench' ? 'alice' : null),
    grants: [
      videoGrant({ room: 'standup' }),
      voiceGrant({ outgoingApplicationSid: `AP${'c'.repeat(32)}`, incomingAllow: true }),
    ],
  }),
};
const server = createServer(listeners[process.argv[2]]).listen(0, '127.0.0.1', () =>
  console.log(server.address().port),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
