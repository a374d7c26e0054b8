import { afterEach, describe, expect, test, vi } from 'vitest';
import type { TokenProvider } from '../../src/client/types.js';
import { createTokenStore } from '../../src/react/token-store.js';

// The store behind the React hooks, after an outside attack: the token it renders follows /client's
// rules (never after a 401, never past its exp), and no source or provider makes it throw a TypeError.

afterEach(() => vi.useRealTimers());

const jwt = (exp: number) =>
  `e30.${Buffer.from(JSON.stringify({ exp, grants: { identity: 'alice' } })).toString('base64url')}.sig`;

/** A provider whose token and failures the test sends by hand. */
function handProvider(getToken: () => Promise<string>) {
  const tokens = new Set<(t: string) => void>();
  const errors = new Set<(e: unknown) => void>();
  const provider = {
    getToken,
    attach: () => () => undefined,
    subscribe(l: (t: string) => void) {
      tokens.add(l);
      return () => tokens.delete(l);
    },
    onError(l: (e: unknown) => void) {
      errors.add(l);
      return () => errors.delete(l);
    },
    stop: () => undefined,
  } as unknown as TokenProvider;
  const fail = (e: unknown) => {
    for (const l of errors) l(e);
  };
  return { provider, fail };
}

describe('the rendered token follows /client', () => {
  test('a 401 drops it at once; another failure keeps it only until its exp', async () => {
    vi.useFakeTimers();
    const token = jwt(Math.floor(Date.now() / 1000) + 60);
    const { provider, fail } = handProvider(() => Promise.resolve(token));
    const store = createTokenStore(provider);
    store.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.state()).toEqual({ token, loading: false });

    const serverError = Object.assign(new Error('500'), { status: 500 });
    fail(serverError);
    expect(store.state()).toEqual({ token, error: serverError, loading: false });
    await vi.advanceTimersByTimeAsync(61_000);
    expect(store.state()).toEqual({ error: serverError, loading: false });

    const h = handProvider(() => Promise.resolve(token));
    const revoked = createTokenStore(h.provider);
    revoked.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    h.fail(Object.assign(new Error('401'), { status: 401 }));
    expect(revoked.state().token).toBeUndefined();
  });

  test('a provider whose getToken throws instead of rejecting: an error state, not a crash', () => {
    const boom = new Error('sync');
    const store = createTokenStore(
      handProvider(() => {
        throw boom;
      }).provider,
    );
    expect(() => store.subscribe(() => undefined)).not.toThrow();
    expect(store.state()).toEqual({ error: boom, loading: false });
  });

  test('a null source is ERR_INVALID_OPTION, not a TypeError', () => {
    let code: unknown;
    try {
      createTokenStore(null as never);
    } catch (error) {
      code = (error as { code?: unknown }).code;
    }
    expect(code).toBe('ERR_INVALID_OPTION');
  });
});
