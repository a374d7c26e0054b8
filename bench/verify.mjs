// Verifying: the main entry's verifyAccessToken beside the JWT libraries an app would pick instead
// (fast-jwt's createVerifier with its default cache: false, jsonwebtoken with a KeyObject) and a
// floor that checks nothing but the signature and exp, all on the same token, in alternating rounds.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import jwt from 'jsonwebtoken';
import * as ours from '../dist/index.js';
import { alternate, printRates, printRatio } from './rounds.mjs';

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const ms = Number(process.env.BENCH_ROUND_MS ?? 50);

// One token, a video and a voice grant, as minted for the mint bench.
const token = ours.createAccessToken(
  'alice',
  [
    ours.videoGrant({ room: 'standup' }),
    ours.voiceGrant({ outgoingApplicationSid: `AP${'c'.repeat(32)}`, incomingAllow: true }),
  ],
  { credentials, ttl: 3600 },
);
const options = { apiKeySecret: credentials.apiKeySecret };
const fastJwt = createVerifier({ key: credentials.apiKeySecret, algorithms: ['HS256'] });
const keyObject = createSecretKey(Buffer.from(credentials.apiKeySecret));
const jwtOptions = { algorithms: ['HS256'] };
// The floor: split, HMAC with a prepared key, constant-time compare, decode and parse, check exp.
function floor(t) {
  const a = t.indexOf('.');
  const b = t.indexOf('.', a + 1);
  const expected = createHmac('sha256', keyObject).update(t.slice(0, b)).digest();
  const received = Buffer.from(t.slice(b + 1), 'base64url');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) throw new Error('signature');
  const payload = JSON.parse(Buffer.from(t.slice(a + 1, b), 'base64url').toString('utf8'));
  if (!(Date.now() / 1000 < payload.exp)) throw new Error('expired');
  return payload;
}

const tasks = {
  'verifyAccessToken (main entry)': () => ours.verifyAccessToken(token, options),
  'fast-jwt createVerifier (cache: false)': () => fastJwt(token),
  'jsonwebtoken verify (KeyObject)': () => jwt.verify(token, keyObject, jwtOptions),
  'floor: createHmac + timingSafeEqual + Buffer decode + JSON.parse': () => floor(token),
};
// Every verifier accepts the token and returns the same claims before anything is timed.
const expected = JSON.stringify(ours.decodeAccessToken(token).payload);
for (const [name, fn] of Object.entries(tasks)) {
  if (JSON.stringify(fn()) !== expected) throw new Error(`${name} does not return the token's claims`);
}

const r = await alternate(tasks, { rounds, ms });
printRates(r);
const names = Object.keys(tasks);
const [o, f, j, fl] = names;
const results = {
  vsFastJwt: printRatio(r, 'verifyAccessToken vs fast-jwt:', o, f, ' the throughput (target >= 1.0x)'),
  vsJsonwebtoken: printRatio(r, 'verifyAccessToken vs jsonwebtoken:', o, j, ' the throughput (target >= 1.0x)'),
  vsFloor: printRatio(r, 'verifyAccessToken vs floor (no claim checks):', o, fl, ' the throughput'),
  rounds,
  roundMs: ms,
  opsPerSecond: Object.fromEntries(names.map((n) => [n, r[n].hz])),
};
export default results;
