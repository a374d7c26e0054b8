import { describe, expect, test } from 'vitest';
import { createTokenProvider } from '../../src/client.js';

// attack4 (round: retry delays refused at options.retry.*). Was failing (LOW, rough edges):
// 1. retry.initialDelay over a timer's range (2^31 ms) with no maxDelay given is reported at
//    options.retry.maxDelay ("expected at least 2147483648 (initialDelay), received 30000"): the
//    caller never wrote maxDelay; the path should be the option they got wrong.
// 2. identity: '' (a user field not filled in yet) is accepted: every token is then refused as
//    ERR_WRONG_IDENTITY at run time, instead of ERR_INVALID_OPTION at creation.
//
// Repro: createTokenProvider({ url: '/t', retry: { initialDelay: 2 ** 31 } })  -> path options.retry.maxDelay
//        createTokenProvider({ url: '/t', identity: '' })                      -> no error

const error = (options: Record<string, unknown>) => {
  try {
    createTokenProvider({ url: '/t', fetch: async () => new Response('{}'), ...options } as never).stop();
  } catch (e) {
    return e as Error & { code?: string; path?: string };
  }
  return undefined;
};

describe('client options (attack4)', () => {
  test('initialDelay over 2^31-1 alone is refused at options.retry.initialDelay', () => {
    const e = error({ retry: { initialDelay: 2 ** 31 } });
    expect(e?.code).toBe('ERR_INVALID_OPTION');
    expect(e?.path).toBe('options.retry.initialDelay');
  });

  test('identity: "" is refused at creation', () => {
    const e = error({ identity: '' });
    expect(e?.code).toBe('ERR_INVALID_OPTION');
    expect(e?.path).toBe('options.identity');
  });

  test('initialDelay under 1000, maxDelay under initialDelay: refused at their paths (holds)', () => {
    expect(error({ retry: { initialDelay: 999 } })?.path).toBe('options.retry.initialDelay');
    expect(error({ retry: { initialDelay: 2000, maxDelay: 1999 } })?.path).toBe('options.retry.maxDelay');
    expect(error({ retry: { initialDelay: undefined } })?.path).toBe('options.retry.initialDelay');
    expect(error({ retry: { initialDelay: Number.NaN } })?.path).toBe('options.retry.initialDelay');
  });
});
