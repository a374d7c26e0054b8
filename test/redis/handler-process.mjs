// One token endpoint process, as an operator would run several behind a load balancer: the built
// node:http handler (dist/express.js) with a per-identity limit kept in Redis by
// rate-limiter-flexible, so every process shares it. The test starts two of these.
//
// Environment: REDIS_PORT (the test's redis-server on 127.0.0.1), POINTS (tokens per identity per
// minute), INSURANCE=1 to add a RateLimiterMemory for a Redis outage (the guide's recipe, with its
// commandTimeout). Prints `{"port":N}` once listening AND connected to Redis (a handler that served
// before its client was ready answered 500s: the flaky "expected length 19 but got 14"), then
// `{"redis":"close"}` when the connection drops; every onError line goes to stderr as `{"onError": message}`.
import { once } from 'node:events';
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
  // A Redis that hangs (SIGSTOP) answers nothing: give up on a command after this, so the insurance
  // limiter answers within the handler's rateLimitTimeout.
  commandTimeout: Number(process.env.COMMAND_TIMEOUT ?? 300),
  lazyConnect: false,
});
redis.on('error', () => {}); // reconnects on its own; a request meanwhile fails or uses the insurance
redis.on('close', () => process.stdout.write(`${JSON.stringify({ redis: 'close' })}\n`));
const limiter = new RateLimiterRedis({
  storeClient: redis,
  keyPrefix: `token:${process.env.PREFIX ?? 'test'}`,
  points,
  duration: 60,
  ...(process.env.INSURANCE === '1'
    ? { insuranceLimiter: new RateLimiterMemory({ points: Number(process.env.INSURANCE_POINTS ?? 2), duration: 60 }) }
    : {}),
});

// EXAMPLE_LIMITER: the path of a copy of examples/express/limiter.mjs (beside this package's
// node_modules), whose rateLimit is used instead of the recipe's, with REDIS_URL as the example reads it.
const example = process.env.EXAMPLE_LIMITER
  ? await (await import(process.env.EXAMPLE_LIMITER)).tokenLimit({
      REDIS_URL: `redis://127.0.0.1:${process.env.REDIS_PORT}`,
      TOKEN_LIMIT: String(points),
    })
  : undefined;

const handler = createExpressHandler({
  credentials: {
    accountSid: `AC${'a'.repeat(32)}`,
    apiKeySid: `SK${'b'.repeat(32)}`,
    apiKeySecret: 'redis-rig-secret-0123456789abcdef',
  },
  identify: ({ headers }) => headers['x-user'] ?? null,
  grants: videoGrant(),
  rateLimitTimeout: Number(process.env.RATE_LIMIT_TIMEOUT ?? 1000),
  rateLimit:
    example?.rateLimit ??
    async function recipe({ identity }) {
      try {
        await limiter.consume(identity);
        return true;
      } catch (rejection) {
        // A refusal resolves the verdict; anything else (Redis down, no insurance) is a 500.
        if (rejection instanceof RateLimiterRes) return { msBeforeNext: rejection.msBeforeNext };
        throw rejection;
      }
    },
  onError: (error) => process.stderr.write(`${JSON.stringify({ onError: String(error) })}\n`),
});

if (redis.status !== 'ready') await once(redis, 'ready');
const server = createServer(handler);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
