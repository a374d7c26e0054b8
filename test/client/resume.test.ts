import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { type AppStateLike, createTokenProvider, resumeOnAppState } from '../../src/client.js';
import { fakeEndpoint, HOUR, tokenFor, useFakeClock } from './fakes.js';

// `resume`: "the app is back" events, on which the provider checks its token at once (a phone's
// timers do not run while the app sleeps), and `resumeOnAppState`, React Native's AppState adapted.

useFakeClock();

/** A `resume` option that records its subscriptions and lets the test fire "the app is back". */
function manualResume() {
  const checks = new Set<() => void>();
  const resume = vi.fn((check: () => void) => {
    checks.add(check);
    return () => void checks.delete(check);
  });
  return {
    resume,
    checks,
    fire: () => {
      for (const check of checks) check();
    },
  };
}

/** React Native's AppState shape: `addEventListener('change', fn)` returns `{ remove() }`. */
function fakeAppState() {
  const listeners = new Set<(state: string) => void>();
  const remove = vi.fn();
  const appState: AppStateLike = {
    addEventListener: (_type, listener) => {
      listeners.add(listener);
      return {
        remove: () => {
          remove();
          listeners.delete(listener);
        },
      };
    },
  };
  const change = (state: string) => {
    for (const listener of listeners) listener(state);
  };
  return { appState, listeners, remove, change };
}

const tokenSource = () => vi.fn(async () => ({ token: tokenFor(HOUR), ttl: HOUR }));

describe('resume', () => {
  test('is subscribed once, at the first getToken, and unsubscribed by stop', async () => {
    const { resume, checks } = manualResume();
    const provider = createTokenProvider({ fetchToken: tokenSource(), resume });
    expect(resume).not.toHaveBeenCalled();
    await provider.getToken();
    await provider.getToken();
    expect(resume).toHaveBeenCalledTimes(1);
    expect(checks.size).toBe(1);
    provider.stop();
    expect(checks.size).toBe(0);
  });

  test('replaces the DOM default: no online or visibilitychange listener', async () => {
    const added = vi.fn();
    vi.stubGlobal('addEventListener', added);
    vi.stubGlobal('document', { visibilityState: 'visible', addEventListener: added, removeEventListener: vi.fn() });
    const provider = createTokenProvider({ fetchToken: tokenSource(), resume: manualResume().resume });
    await provider.getToken();
    expect(added).not.toHaveBeenCalled();
    provider.stop();
  });

  test('a check past the refresh point refreshes at once; before it, nothing', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { resume, fire } = manualResume();
    const fetchToken = tokenSource();
    const provider = createTokenProvider({ fetchToken, resume });
    await provider.getToken();
    fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    // Asleep past the refresh point (0.8 h): the timer did not run, the clock moved.
    vi.setSystemTime(Date.now() + 0.9 * HOUR * 1000);
    fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    provider.stop();
  });

  test('100 resumes in one second past the refresh point make one request', async () => {
    const { resume, fire } = manualResume();
    const { fetch, times } = fakeEndpoint(() => ({ body: { token: tokenFor(HOUR), ttl: HOUR } }));
    const provider = createTokenProvider({ url: 'https://example.test/token', fetch, resume });
    await provider.getToken();
    vi.setSystemTime(Date.now() + HOUR * 1000);
    for (let i = 0; i < 100; i++) {
      fire();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(times).toHaveLength(2);
    provider.stop();
  });

  test('100 resumes in one second while the endpoint fails make at most one request', async () => {
    let failing = false;
    const { fetch, times } = fakeEndpoint(() =>
      failing ? { status: 503, body: {} } : { body: { token: tokenFor(HOUR), ttl: HOUR } },
    );
    const { resume, fire } = manualResume();
    const provider = createTokenProvider({ url: 'https://example.test/token', fetch, resume });
    await provider.getToken();
    failing = true;
    vi.setSystemTime(Date.now() + HOUR * 1000);
    fire();
    await vi.advanceTimersByTimeAsync(0);
    const before = times.length;
    const start = Date.now();
    for (let i = 0; i < 100; i++) {
      fire();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(1);
    expect(times.length - before).toBeLessThanOrEqual(1);
    provider.stop();
  });

  test('a resume after stop() makes no request', async () => {
    const checks: (() => void)[] = [];
    const fetchToken = tokenSource();
    // A leaky resume that never unsubscribes: the provider itself must ignore it after stop.
    const resume = (check: () => void) => {
      checks.push(check);
      return () => {};
    };
    const provider = createTokenProvider({ fetchToken, resume });
    await provider.getToken();
    provider.stop();
    vi.setSystemTime(Date.now() + 2 * HOUR * 1000);
    for (const check of checks) for (let i = 0; i < 100; i++) check();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('a resume that throws rejects getToken with its error; the next getToken subscribes again', async () => {
    const thrown = new Error('no AppState here');
    const resume = vi.fn().mockImplementationOnce(() => {
      throw thrown;
    });
    const provider = createTokenProvider({ fetchToken: tokenSource(), resume });
    await expect(provider.getToken()).rejects.toBe(thrown);
    await expect(provider.getToken()).resolves.toMatch(/\./);
    expect(resume).toHaveBeenCalledTimes(2);
    provider.stop();
  });

  test.each([
    ['undefined', undefined],
    ['an AppState subscription object', { remove: () => {} }],
    ['a number', 7],
    ['null', null],
  ])('a resume returning %s is subscribed once and stop() does not throw', async (_name, value) => {
    const resume = vi.fn(() => value as unknown as () => void);
    const provider = createTokenProvider({ fetchToken: tokenSource(), resume });
    await provider.getToken();
    await provider.getToken();
    expect(resume).toHaveBeenCalledTimes(1);
    expect(() => provider.stop()).not.toThrow();
  });

  test.each([
    ['a string', 'AppState'],
    ['an object', {}],
    ['undefined', undefined],
    ['null', null],
  ])('%s as resume is ERR_INVALID_OPTION at options.resume', (_name, resume) => {
    expect(() => createTokenProvider({ fetchToken: tokenSource(), resume } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', path: 'options.resume' }),
    );
  });
});

describe('resumeOnAppState', () => {
  test("checks on each change to 'active' only; stop() removes the subscription", async () => {
    const { appState, change, listeners, remove } = fakeAppState();
    const check = vi.fn();
    const off = resumeOnAppState(appState)(check);
    for (const state of ['background', 'inactive', 'unknown', 'extension', 'Active', 'active ', '']) change(state);
    expect(check).not.toHaveBeenCalled();
    change('active');
    change('background');
    change('active');
    expect(check).toHaveBeenCalledTimes(2);
    off();
    expect(remove).toHaveBeenCalledTimes(1);
    expect(listeners.size).toBe(0);
  });

  test('property: any sequence of states calls check exactly once per "active"', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom('active', 'background', 'inactive', '__proto__', 'constructor', 'toString'),
            fc.string(),
          ),
        ),
        (states) => {
          const { appState, change } = fakeAppState();
          const check = vi.fn();
          resumeOnAppState(appState)(check);
          for (const state of states) change(state);
          expect(check).toHaveBeenCalledTimes(states.filter((s) => s === 'active').length);
        },
      ),
    );
  });

  test('wired to a provider: back to the foreground past the refresh point refreshes once', async () => {
    const { appState, change, listeners } = fakeAppState();
    const fetchToken = tokenSource();
    const provider = createTokenProvider({ fetchToken, resume: resumeOnAppState(appState) });
    await provider.getToken();
    change('background');
    vi.setSystemTime(Date.now() + 2 * HOUR * 1000);
    change('inactive');
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    change('active');
    change('active');
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    provider.stop();
    expect(listeners.size).toBe(0);
  });

  test('an AppState without addEventListener makes the first getToken reject, not crash', async () => {
    const provider = createTokenProvider({
      fetchToken: tokenSource(),
      resume: resumeOnAppState({} as AppStateLike),
    });
    await expect(provider.getToken()).rejects.toBeInstanceOf(TypeError);
    provider.stop();
  });
});

describe('resume, after the third attack (issue 29)', () => {
  test('a storm of resumes during a backoff does not cut it short (finding A7): the retries still double', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { resume, fire } = manualResume();
    let calls = 0;
    const fetchToken = vi.fn(async () => {
      calls++;
      if (calls === 1) return { token: tokenFor(HOUR), ttl: HOUR };
      throw new Error('server down');
    });
    const provider = createTokenProvider({ fetchToken, resume, retry: { initialDelay: 1000, maxDelay: 60_000 } });
    provider.onError(() => {});
    await provider.getToken();
    // Past the refresh point: the refresh fails, and the backoff begins (1 s, 2 s, 4 s, ...).
    await vi.advanceTimersByTimeAsync(HOUR * 1000 * 0.8 + 1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    // 100 resumes a second for 8 s: without the storm, the retries come at +1 s, +3 s, +7 s.
    for (let ms = 0; ms < 8000; ms += 10) {
      fire();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(fetchToken).toHaveBeenCalledTimes(5);
    provider.stop();
  });

  test('stop() with a pre-0.65 AppState (addEventListener returns nothing) removes the listener, no throw (finding A8)', async () => {
    const listeners = new Set<(state: string) => void>();
    const appState: AppStateLike = {
      addEventListener: (_type, listener) => {
        listeners.add(listener);
        return undefined;
      },
      removeEventListener: (_type, listener) => void listeners.delete(listener),
    };
    const provider = createTokenProvider({ fetchToken: tokenSource(), resume: resumeOnAppState(appState) });
    await provider.getToken();
    expect(listeners.size).toBe(1);
    expect(() => provider.stop()).not.toThrow();
    expect(listeners.size).toBe(0);
  });

  test('stop() whose unsubscribe throws: stop completes, the error reaches onError (finding A8)', async () => {
    const seen: unknown[] = [];
    const fetchToken = tokenSource();
    const provider = createTokenProvider({
      fetchToken,
      resume: () => () => {
        throw new Error('unsubscribe broke');
      },
    });
    provider.onError((e) => seen.push(e));
    await provider.getToken();
    expect(() => provider.stop()).not.toThrow();
    expect(seen).toHaveLength(1);
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'ERR_STOPPED' });
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });
});
