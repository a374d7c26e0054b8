import { afterEach, beforeEach, vi } from 'vitest';
import type { FetchedToken } from '../../src/client.js';

// Fakes shared by the /client tests: tokens with chosen claims, a fake token endpoint, and a log of
// every request and timer the provider makes.

/** A JWT-shaped token (unsigned: the provider never verifies) with the given payload. */
export const tokenWith = (payload: unknown, header = 'h', signature = 's'): string =>
  `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;

/** A token issued at a fixed iat, living `lifetime` seconds, optionally for an identity. */
export const tokenFor = (lifetime: number, identity?: string, n = 0): string =>
  tokenWith({ n, iat: 1_000_000, exp: 1_000_000 + lifetime, grants: identity === undefined ? {} : { identity } });

/** One hour, the lifetime of most tokens in these tests. */
export const HOUR = 3600;

/** A fetch whose answers come from `answer` (status and JSON body), recording when each request started. */
export function fakeEndpoint(answer: (n: number) => { status?: number; body?: unknown; raw?: string }) {
  const times: number[] = [];
  const signals: AbortSignal[] = [];
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    times.push(Date.now());
    if (init?.signal) signals.push(init.signal);
    const { status = 200, body, raw } = answer(times.length);
    return new Response(raw ?? JSON.stringify(body), { status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, mock: fetch, times, signals };
}

/** Records the delay of every setTimeout call (call after vi.useFakeTimers). */
export function recordTimers(): number[] {
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, delay?: number) => {
    delays.push(delay ?? 0);
    return real(handler, delay);
  }) as typeof setTimeout);
  return delays;
}

/** The smallest gap between consecutive times (Infinity for fewer than two). */
export const smallestGap = (times: readonly number[]): number =>
  times.slice(1).reduce((gap, t, i) => Math.min(gap, t - times[i]!), Number.POSITIVE_INFINITY);

/**
 * Every /client test file runs on a fake clock from 2026-01-01; after each test the real timers,
 * mocks and stubbed globals come back. Call once at the top of a test file.
 */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 0, 1));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}

/** The longest delay a timer can hold. */
export const MAX_TIMER = 2 ** 31 - 1;
export const MINUTE = 60_000;

/** A fetchToken answering `answer()` and recording when each call started. */
export function source(answer: () => FetchedToken | Promise<FetchedToken>) {
  const times: number[] = [];
  const fetchToken = vi.fn(async () => {
    times.push(Date.now());
    return answer();
  });
  return { fetchToken, times };
}
