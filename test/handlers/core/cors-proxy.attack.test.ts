import { describe, expect, test } from 'vitest';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { videoGrant } from '../../../src/index.js';

// attack4 (round: handlers validate their options once). Was failing (LOW: it takes the
// app's own code passing a lying array, but the brief asks for Proxies): cors.origins is validated
// through the array's own `map`, so an array whose `map` is not Array.prototype.map (a Proxy's get
// trap, or an Array subclass) hands back origins that were never validated: 'null' (sandboxed
// iframes, data: URLs) and a wildcard pattern are then allowed WITH credentials, though section 8
// says each origin, 'null' included, is ERR_INVALID_OPTION at creation.
//
// Repro: const origins = new Proxy(['https://app.example.com'], { get: (t, k, r) => k === 'map' ? () => ['null'] : Reflect.get(t, k, r) });
//        createFetchHandler({ identify, grants, credentials, cors: { origins, credentials: true } })
//        -> created; a request with `Origin: null` gets ACAO: null and ACAC: true.

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'fake-secret-0123456789',
};

class LyingArray<T> extends Array<T> {
  // biome-ignore lint/suspicious/noExplicitAny: the override answers whatever it likes
  override map(): any {
    return ['null'];
  }
}

const lying: [string, () => readonly string[]][] = [
  [
    'a Proxy whose map lies',
    () =>
      new Proxy(['https://app.example.com'], {
        get: (t, k, r) => (k === 'map' ? () => ['null'] : Reflect.get(t, k, r)),
      }),
  ],
  ['an Array subclass whose map lies', () => LyingArray.from(['https://app.example.com']) as unknown as string[]],
];

describe('cors.origins validated whatever the array’s own methods say (attack4)', () => {
  test.each(lying)('%s: refused at creation, or "null" never allowed', async (_name, make) => {
    let handler: ReturnType<typeof createFetchHandler> | undefined;
    try {
      handler = createFetchHandler({
        identify: () => 'alice',
        grants: videoGrant(),
        credentials,
        cors: { origins: make(), credentials: true },
      });
    } catch {
      return; // refused: fine
    }
    const response = await (handler as (r: Request) => Promise<Response>)(
      new Request('http://127.0.0.1/token', { method: 'POST', headers: { origin: 'null' } }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
