import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider } from '../../src/client.js';
import { MAX_TIMER, MINUTE, recordTimers, source, useFakeClock } from './fakes.js';

// Retries are jittered: a thousand providers failing at once spread their retries. A tier of its own
// (`npm run test:properties`): each test simulates a fleet of providers.

useFakeClock();

describe('retries are jittered', () => {
  /** Starts `count` providers whose source always fails, at the same instant; returns each one's request times. */
  async function fleet(count: number, retry?: { initialDelay?: number; maxDelay?: number }) {
    const fleetTimes: number[][] = [];
    const providers = Array.from({ length: count }, () => {
      const times: number[] = [];
      fleetTimes.push(times);
      return createTokenProvider({
        ...(retry && { retry }), // a retry key holding undefined is refused
        fetchToken: async () => {
          times.push(Date.now());
          throw new Error('down');
        },
      });
    });
    await Promise.all(providers.map((p) => p.getToken().catch(() => {})));
    return {
      fleetTimes,
      stop: () => {
        for (const p of providers) p.stop();
      },
    };
  }

  test('1,000 providers failing at once retry over a spread of times, never sooner than 1 s', async () => {
    const start = Date.now();
    const { fleetTimes, stop } = await fleet(1000);
    await vi.advanceTimersByTimeAsync(3100);
    // First retry: the 1 s step less 20% is under the floor, so every provider waits exactly 1 s.
    expect(new Set(fleetTimes.map((t) => t[1]! - start))).toEqual(new Set([1000]));
    // Second retry: the 2 s step less up to 20%: spread over [1600, 2000] ms after the first retry.
    const second = fleetTimes.map((t) => t[2]! - t[1]!);
    expect(Math.min(...second)).toBeGreaterThanOrEqual(1600);
    expect(Math.max(...second)).toBeLessThanOrEqual(2000);
    expect(Math.max(...second) - Math.min(...second)).toBeGreaterThanOrEqual(300); // of a 400 ms window
    expect(new Set(second).size).toBeGreaterThan(200); // not a few lockstep waves
    stop();
  });

  test('with a 10 s initialDelay the first retries spread over [8 s, 10 s]', async () => {
    const start = Date.now();
    const { fleetTimes, stop } = await fleet(1000, { initialDelay: 10_000, maxDelay: 60_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    const first = fleetTimes.map((t) => t[1]! - start);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...first)).toBeLessThanOrEqual(10_000);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThanOrEqual(1500); // of a 2 s window
    // No 50 ms window holds more than a tenth of the fleet (uniform: about 2.5%).
    const windows = new Map<number, number>();
    for (const t of first) windows.set(Math.floor(t / 50), (windows.get(Math.floor(t / 50)) ?? 0) + 1);
    expect(Math.max(...windows.values())).toBeLessThan(100);
    stop();
  });

  test('jitter takes up to 20% off a step, and never goes under the 1 s floor', async () => {
    for (const [random, initialDelay, expected] of [
      [0, 5000, 5000],
      [0.5, 5000, 4500],
      [0.999_999, 5000, 4000],
      [0.999_999, 1100, 1000],
    ] as const) {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      const { fetchToken, times } = source(async () => {
        throw new Error('down');
      });
      const provider = createTokenProvider({ fetchToken, retry: { initialDelay } });
      await provider.getToken().catch(() => {});
      await vi.advanceTimersByTimeAsync(expected - 1);
      expect(times).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(times).toHaveLength(2);
      provider.stop();
      vi.restoreAllMocks();
    }
  });

  test('a retry.maxDelay beyond what a timer can hold waits at most 2^31-1 ms', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const delays = recordTimers();
    const { fetchToken, times } = source(async () => {
      throw new Error('down');
    });
    const provider = createTokenProvider({
      fetchToken,
      retry: { initialDelay: 1e12, maxDelay: Number.POSITIVE_INFINITY },
    });
    await provider.getToken().catch(() => {});
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(times).toHaveLength(1);
    expect(delays).toEqual([MAX_TIMER]);
    provider.stop();
  });
});
