// The token endpoint's per-identity limit: TOKEN_LIMIT tokens per user per minute (default 10).
// With REDIS_URL set, the count lives in Redis, so every instance of the app shares one limit, and
// a Redis outage falls back to a per-instance memory limit (insuranceLimiter) instead of failing
// every request. A Redis that hangs (stopped, or a network that drops packets) is the same outage:
// each command gives up after COMMAND_TIMEOUT ms and the insurance limiter answers, so every request
// is answered (200 or 429) within the handler's rateLimitTimeout (1000 ms by default), never held.
// Without REDIS_URL, the count lives in this process's memory: one instance only.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Milliseconds a Redis command may take before the insurance limiter answers instead. */
export const COMMAND_TIMEOUT = 300;

/**
 * The limiter for `env`, and the `rateLimit` hook that asks it.
 *
 * @param {Record<string, string | undefined>} env
 */
export async function tokenLimit(env) {
  const points = Number(env.TOKEN_LIMIT ?? 10);
  if (!Number.isInteger(points) || points < 1) throw new Error('TOKEN_LIMIT: a whole number of tokens per minute');
  const options = { keyPrefix: 'token-limit', points, duration: 60 };
  /** @type {RateLimiterMemory | RateLimiterRedis} */
  let limiter = new RateLimiterMemory(options);
  let store = 'memory';
  if (env.REDIS_URL) {
    // Loaded only when used: an app without Redis never touches the client.
    const { Redis } = await import('ioredis');
    // Fail fast while Redis is unreachable (the insurance limiter answers) instead of queueing, and
    // give up on a command Redis does not answer within COMMAND_TIMEOUT ms: shorter than the
    // handler's rateLimitTimeout, so the insurance answers before the handler gives up (a 500).
    const redis = new Redis(env.REDIS_URL, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT,
    });
    redis.on('error', () => {}); // it reconnects on its own; the insurance limiter covers the gap
    limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    store = 'redis';
  }
  // Keyed by the identity `identify` returned: the app's canonical user id, never a raw request
  // value (an email as typed, in whatever case, would give one user several limits).
  /** @type {(subject: { identity: string }) => Promise<true | { msBeforeNext: number }>} */
  const rateLimit = async ({ identity }) => {
    try {
      await limiter.consume(identity);
      return true;
    } catch (rejection) {
      // Over the limit: 429 with Retry-After (msBeforeNext is milliseconds; the handler rounds it
      // up to seconds). Anything else is a fault: the handler answers 500.
      if (rejection instanceof RateLimiterRes) {
        const { msBeforeNext } = /** @type {RateLimiterRes} */ (rejection);
        return { msBeforeNext };
      }
      throw rejection;
    }
  };
  return { rateLimit, store };
}
