import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { createAccessToken, videoGrant } from '../../../src/index.js';
import { FROZEN_MS } from '../../helpers.js';
import { keyring, NEW, OLD, SWITCH } from '../../token/keyring/fixtures.js';
import { adapters, closeServers } from '../adapters.js';

// Every adapter, running, switches keys at a pending key's signFrom without being recreated:
// the keyring is resolved per token, given fixed or returned by a credentials function.

afterAll(closeServers);
afterEach(() => vi.useRealTimers());

describe.each(adapters)('$name', (adapter) => {
  test.each([
    ['a fixed keyring', keyring],
    ['a keyring from a credentials function', () => keyring],
  ] as const)('%s: the old key before signFrom, the new key from it, byte-identical', async (_, credentials) => {
    // Only Date is faked: sockets and timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const handler = adapter.create({ identify: () => 'alice', grants: videoGrant(), credentials, ttl: 3600 });
    const tokenAt = async (ms: number) => {
      vi.setSystemTime(ms);
      const response = await handler({ method: 'POST' });
      expect(response.status).toBe(200);
      return (JSON.parse(response.body) as { token: string }).token;
    };
    const before = await tokenAt(FROZEN_MS);
    expect(before).toBe(createAccessToken('alice', videoGrant(), { credentials: OLD, ttl: 3600 }));
    const at = await tokenAt(SWITCH * 1000);
    expect(at).toBe(createAccessToken('alice', videoGrant(), { credentials: NEW, ttl: 3600 }));
  });
});
