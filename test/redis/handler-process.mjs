// One token endpoint process, as an operator would run several behind a load balancer: the built
// node:http handler (dist/express.js) with a per-identity limit kept in Redis by
// rate-limiter-flexible, so every process shares it. The test starts two of these.
//
// Environment: REDIS_PORT (the test's redis-server on 127.0.0.1), POINTS (tokens per identity per
// minute), INSURANCE=1 to add a RateLimiterMemory for a Redis outage. Prints `{"port":N}` once
// listening; every onError line goes to stderr as `{"onError": message}`.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createExpressHandler } from '../../dist/express.js';
import { videoGrant } from '../../dist/index.js';

const points = Number(process.env.POINTS ?? 5);
// Fail fast while Redis is unreachable instead of queueing commands (rate-limiter-flexible's advice).
const redis = new Redis({
  host: '127.0.0.1',
  port: Number(process.env.REDIS_PORT),
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  lazyConnect: false,
});
redis.on('error', () => {}); // reconnects on its own; a request meanwhile fails or uses the insurance
const limiter = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `token:${process.env.PREFIX ?? 'test'}`,
  points,
  duration: 60,
  ...(process.env.INSURANCE === '1'
    ? { insuranceLimiter: new RateLimiterMemory({ points: Number(process.env.INSURANCE_POINTS ?? 2), duration: 60 }) }
    : {}),
});

const handler = createExpressHandler({
  credentials: {
    accountSid: `AC${'a'.repeat(32)}`,
    apiKeySid: `SK${'b'.repeat(32)}`,
    apiKeySecret: 'redis-rig-secret-0123456789abcdef',
  },
  identify: ({ headers }) => headers['x-user'] ?? null,
  grants: videoGrant(),
  rateLimit: async ({ identity }) => {
    try {
      await limiter.consume(identity);
      return true;
    } catch (rejection) {
      // A refusal resolves the verdict; anything else (Redis down, no insurance) is a 500.
      if (rejection instanceof RateLimiterRes) return { retryAfter: Math.ceil(rejection.msBeforeNext / 1000) };
      throw rejection;
    }
  },
  onError: (error) => process.stderr.write(`${JSON.stringify({ onError: String(error) })}\n`),
});

const server = createServer(handler);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
