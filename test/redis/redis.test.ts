import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RedisServer, startRedisServer } from '../redis-server.js';

// The contract's proof with a real engine: Debian's redis-server, started here on 127.0.0.1, and
// two processes each running the built node:http handler with a per-identity limit kept in Redis
// by rate-limiter-flexible (handler-process.mjs). Whichever process a request reaches, the limit
// is one limit: exactly POINTS tokens per identity, every other request a 429 with Retry-After.

const here = new URL('.', import.meta.url).pathname;
const POINTS = 5;
const children: ChildProcess[] = [];
let redisServer: RedisServer | undefined;

interface Endpoint {
  readonly url: string;
  readonly errors: string[];
  /** Resolves at the process's next stdout line that matches. */
  next(match: (line: Record<string, unknown>) => boolean): Promise<void>;
}

/**
 * Starts one handler process; resolves once it listens and its Redis client is ready (it prints
 * its port only then: a handler that served before the client was connected answered 500s, the
 * flaky "expected length 19 but got 14").
 */
async function startHandler(env: Record<string, string>): Promise<Endpoint> {
  const child = spawn(process.execPath, [`${here}handler-process.mjs`], {
    // Generous timeouts: here a slow round trip under load is no outage (outage.test.ts hangs Redis on purpose).
    env: {
      ...process.env,
      REDIS_PORT: String(redisServer?.port),
      POINTS: String(POINTS),
      COMMAND_TIMEOUT: '10000',
      RATE_LIMIT_TIMEOUT: '30000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const errors: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => errors.push(line));
  const waiting: { match: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  let onPort: (port: number) => void = () => {};
  const port = new Promise<number>((resolve, reject) => {
    onPort = resolve;
    child.once('exit', () => reject(new Error(`the handler process exited: ${errors.join('\n')}`)));
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    if (typeof line.port === 'number') onPort(line.port);
    for (const w of waiting.filter((w) => w.match(line))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  return {
    url: `http://127.0.0.1:${await port}/token`,
    errors,
    next: (match) => new Promise((resolve) => waiting.push({ match, resolve })),
  };
}

async function ask(endpoint: Endpoint, user: string) {
  const response = await fetch(endpoint.url, { headers: { 'x-user': user, origin: 'https://app.example.com' } });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

let a: Endpoint;
let b: Endpoint;

beforeAll(async () => {
  redisServer = await startRedisServer();
  [a, b] = await Promise.all([startHandler({ PREFIX: 'shared' }), startHandler({ PREFIX: 'shared' })]);
}, 60_000);

afterAll(async () => {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(running.map((c) => once(c, 'exit')));
  await redisServer?.stop();
});

describe('a per-identity limit shared by two handler processes through Redis', () => {
  test(`${POINTS} per identity across both processes: exactly ${POINTS} tokens, every other request a 429`, async () => {
    // 24 concurrent requests for alice, alternating between the processes, and 12 for bob.
    const requests = [
      ...Array.from({ length: 24 }, (_, i) =>
        ask(i % 2 === 0 ? a : b, 'alice').then((r) => ({ user: 'alice', i, ...r })),
      ),
      ...Array.from({ length: 12 }, (_, i) => ask(i % 2 === 0 ? b : a, 'bob').then((r) => ({ user: 'bob', i, ...r }))),
    ];
    const answers = await Promise.all(requests);
    for (const user of ['alice', 'bob']) {
      const mine = answers.filter((r) => r.user === user);
      expect(mine.filter((r) => r.status === 200)).toHaveLength(POINTS);
      expect(mine.filter((r) => r.status === 429)).toHaveLength(mine.length - POINTS);
    }
    // A limit per process would have let 2 x POINTS through: exactly POINTS means one shared limit.
    for (const refused of answers.filter((r) => r.status === 429)) {
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.headers['access-control-allow-origin']).toBe('*');
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    }
    // Redis holds the one counter per identity.
    const redis = new Redis({ host: '127.0.0.1', port: redisServer?.port as number });
    try {
      expect(Number(await redis.get('token:shared:alice'))).toBe(24);
      expect(Number(await redis.get('token:shared:bob'))).toBe(12);
    } finally {
      redis.disconnect();
    }
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  test('Redis down: without insurance every request is a 500 (fail closed); with insuranceLimiter the memory limit takes over', async () => {
    const insured = await startHandler({ PREFIX: 'outage', INSURANCE: '1', INSURANCE_POINTS: '2' });
    const bare = await startHandler({ PREFIX: 'outage' });
    expect((await ask(insured, 'carol')).status).toBe(200);
    // Each handler process's client tells when it has seen the connection close: a condition, not a time.
    const closed = Promise.all([insured, bare].map((e) => e.next((line) => line.redis === 'close')));
    await redisServer?.stop();
    await closed;
    const bareAnswers = await Promise.all([ask(bare, 'dave'), ask(bare, 'dave')]);
    expect(bareAnswers.map((r) => r.status)).toEqual([500, 500]);
    expect(bareAnswers.every((r) => !r.body.includes('"token"'))).toBe(true);
    expect(bare.errors.length).toBeGreaterThanOrEqual(2);
    // Insurance: 2 points per identity in this process's memory.
    const insuredAnswers = [];
    for (let i = 0; i < 4; i++) insuredAnswers.push((await ask(insured, 'erin')).status);
    expect(insuredAnswers).toEqual([200, 200, 429, 429]);
  });
});
