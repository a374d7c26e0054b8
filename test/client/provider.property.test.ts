import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { createTokenProvider, type FetchedToken } from '../../src/client.js';
import { recordTimers, smallestGap, tokenWith, useFakeClock } from './fakes.js';

// The storm property: whatever a server or fetchToken answers (any status, any body, ttl and
// lifetimes in any unit, NaN, Infinity, negative, huge), and however often the page calls getToken
// or fires `online`, over a simulated hour no timer is longer than 2^31-1 ms and no two token
// requests start less than 1 s apart.

const MAX_TIMER = 2 ** 31 - 1;
const HOUR_MS = 3_600_000;

useFakeClock();

/** Numbers a careless or hostile server puts where seconds belong. */
const anyNumber = fc.oneof(
  fc.double(), // NaN, Infinity, -0, subnormals included
  fc.integer({ min: -10, max: 10 }),
  fc.constantFrom(0.001, 0.5, 1, 2, 86_400, 86_401, 3_600_000, 2 ** 31, Number.MAX_VALUE),
);
/** Tokens: JWT-shaped with any iat and exp (mostly short lifetimes, the stormiest), or not JWTs at all. */
const anyToken = fc.oneof(
  fc.record({ iat: fc.constant(1_000_000), exp: fc.integer({ min: 999_990, max: 1_000_010 }) }).map(tokenWith),
  fc.record({ iat: anyNumber, exp: anyNumber }).map(tokenWith),
  fc.constantFrom('a.b.c', '', 'h..s', 'h.e30.s'),
  fc.string(),
  fc.anything(),
);
/** What fetchToken returns or throws: a token, `{ token, ttl }` with any ttl, anything at all, or a rejection. */
const anyFetched = fc.oneof(
  anyToken,
  fc.record({ token: anyToken, ttl: fc.oneof(anyNumber, fc.anything()) }, { requiredKeys: [] }),
  fc.anything().map((reason) => ({ reject: reason })),
);
/** What a token endpoint answers: any status from 200 to 599 and any body (JSON or not). */
const anyAnswer = fc.record({
  status: fc.oneof(fc.constantFrom(200, 401, 403, 500), fc.integer({ min: 200, max: 599 })),
  body: fc.oneof(
    anyFetched.map((value) => JSON.stringify(value) ?? ''),
    fc.string(),
    fc.constant('{"token":'),
  ),
});
/** The page: a getToken or an `online` event after a pause. */
const anyCaller = fc.array(
  fc.record({ after: fc.integer({ min: 0, max: 300_000 }), action: fc.constantFrom('getToken', 'online') }),
  { maxLength: 40 },
);

/** One step of the simulated page. */
type Step = { after: number; action: 'getToken' | 'online' };

async function simulateHour(makeProvider: () => ReturnType<typeof createTokenProvider>, caller: Step[]) {
  const target = new EventTarget();
  vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
  vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
  const provider = makeProvider();
  const start = Date.now();
  void provider.getToken().catch(() => {});
  for (const { after, action } of caller) {
    await vi.advanceTimersByTimeAsync(Math.min(after, start + HOUR_MS - Date.now()));
    if (action === 'getToken') void provider.getToken().catch(() => {});
    else target.dispatchEvent(new Event('online'));
  }
  await vi.advanceTimersByTimeAsync(start + HOUR_MS - Date.now());
  provider.stop();
}

describe('createTokenProvider over a simulated hour', () => {
  test('fetchToken answering anything: timers <= 2^31-1 ms, requests >= 1 s apart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyFetched, { minLength: 1, maxLength: 8 }),
        anyCaller,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.record({
          refreshAt: fc.double({ min: 0.001, max: 0.999, noNaN: true }),
          initialDelay: fc.oneof(fc.integer({ min: 1000, max: 100_000 }), fc.constant(1e12)),
          extra: fc.oneof(fc.integer({ min: 0, max: 1e7 }), fc.constant(Number.POSITIVE_INFINITY)),
        }),
        async (answers, caller, random, { refreshAt, initialDelay, extra }) => {
          vi.restoreAllMocks();
          vi.spyOn(Math, 'random').mockReturnValue(random);
          const delays = recordTimers();
          const times: number[] = [];
          await simulateHour(
            () =>
              createTokenProvider({
                refreshAt,
                retry: { initialDelay, maxDelay: initialDelay + extra },
                fetchToken: async () => {
                  const answer = answers[times.length % answers.length] as FetchedToken | { reject: unknown };
                  times.push(Date.now());
                  if (typeof answer === 'object' && answer !== null && 'reject' in answer) throw answer.reject;
                  return answer as FetchedToken;
                },
              }),
            caller,
          );
          expect(delays.every((delay) => delay >= 0 && delay <= MAX_TIMER)).toBe(true);
          expect(smallestGap(times)).toBeGreaterThanOrEqual(1000);
          expect(times.length).toBeLessThanOrEqual(3601);
        },
      ),
    );
  }, 120_000);

  test('a token endpoint answering any status and body: the same bounds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyAnswer, { minLength: 1, maxLength: 8 }), anyCaller, async (answers, caller) => {
        vi.restoreAllMocks();
        const delays = recordTimers();
        const times: number[] = [];
        const fetch = async () => {
          const { status, body } = answers[times.length % answers.length]!;
          times.push(Date.now());
          return new Response(body, { status });
        };
        await simulateHour(
          () => createTokenProvider({ url: '/token', fetch: fetch as unknown as typeof globalThis.fetch }),
          caller,
        );
        expect(delays.every((delay) => delay >= 0 && delay <= MAX_TIMER)).toBe(true);
        expect(smallestGap(times)).toBeGreaterThanOrEqual(1000);
      }),
    );
  }, 120_000);
});
