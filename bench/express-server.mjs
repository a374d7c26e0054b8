// A server for bench/express.mjs, in its own process: `node bench/express-server.mjs KIND`, where
// KIND is http-empty, http-token, express-empty or express-token. Listens on 127.0.0.1 and prints
// its port. GET /token is the measured route. The handler answers a GET synchronously, so the time
// from calling it to its return is the handler's whole cost, writing the answer included; each
// call is timed, and GET /stats answers (then forgets) the median of those times, the number of
// requests, and the CPU time this process has used.
import { createServer } from 'node:http';
import express from 'express';
import { createExpressHandler } from '../dist/express.js';
import { videoGrant, voiceGrant } from '../dist/index.js';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
// The empty handlers answer a constant body of a token response's size, with the same headers.
const body = JSON.stringify({
  token: 'x'.repeat(560),
  identity: 'alice',
  ttl: 3600,
  expiresAt: new Date().toISOString(),
});
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'content-length': String(Buffer.byteLength(body)),
};
const empty = (_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
};
const token = createExpressHandler({
  credentials,
  identify: (request) => (request.headers.authorization === 'Bearer bench' ? 'alice' : null),
  grants: [
    videoGrant({ room: 'standup' }),
    voiceGrant({ outgoingApplicationSid: `AP${'c'.repeat(32)}`, incomingAllow: true }),
  ],
});

let answered = 0;
let samples = [];
const timed = (handler) => (req, res, next) => {
  answered++;
  const started = process.hrtime.bigint();
  handler(req, res, next);
  samples.push(Number(process.hrtime.bigint() - started) / 1000);
};
const stats = (_req, res) => {
  const { user, system } = process.cpuUsage();
  const sorted = samples.sort((a, b) => a - b);
  samples = [];
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ cpuMicros: user + system, answered, handlerMicros: sorted[sorted.length >> 1] ?? 0 }));
};

const kind = process.argv[2];
const handler = kind.endsWith('-token') ? token : empty;
let listener;
if (kind.startsWith('express-')) {
  // An app as one is usually written: JSON and URL-encoded body parsers, then the route.
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.get('/token', timed(handler));
  app.get('/stats', stats);
  listener = app;
} else {
  const route = timed(handler);
  listener = (req, res) => (req.url === '/stats' ? stats(req, res) : route(req, res));
}
const server = createServer(listener).listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
