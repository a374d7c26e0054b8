import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { isAccessTokenError } from '../../../src/base/errors.js';
import type { Grant } from '../../../src/index.js';
import { createKeyring, videoGrant } from '../../../src/index.js';
import { adapters, closeServers } from '../adapters.js';

// attack4 (round: one copy per process). Another copy of the package is simulated by a fresh module
// graph (vi.resetModules + import of src): its grant classes and keyrings are not this copy's.
// Refusal holds everywhere (createAccessToken, minters, handlers at creation, /twilio). Was failing on
// purpose: a `grants` FUNCTION returning another copy's grant gives onError a bare TypeError ("the
// grants function returned something that is not a grant ...") with no code and no word of
// "another copy": the operator sees a grant that looks right called "not a grant". The contract asks
// for a clear AccessTokenError (what was received: a grant from another copy; the fix: the same
// import) there as for the same grant given statically (ERR_INVALID_GRANT, "another copy").
//
// Repro: const other = require('/elsewhere/node_modules/twilio-access-token');
//        createFetchHandler({ identify: () => 'a', grants: () => other.videoGrant(), credentials, onError: console.log })
//        -> POST -> 500, onError(TypeError: the grants function returned something that is not a grant ...)

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'fake-secret-0123456789',
};
let other: typeof import('../../../src/index.js');

beforeAll(async () => {
  vi.resetModules();
  other = await import('../../../src/index.js');
  vi.resetModules();
});
afterAll(closeServers);

describe.each(adapters)('another copy in $name (attack4)', (adapter) => {
  test('a grants function returning another copy’s grant: 500, onError gets an AccessTokenError naming the other copy', async () => {
    const foreign = other.videoGrant({ room: 'r' }) as unknown as Grant;
    expect(foreign).not.toBe(videoGrant({ room: 'r' }));
    const errors: unknown[] = [];
    const send = adapter.create({
      identify: () => 'alice',
      grants: () => [foreign],
      credentials,
      cors: false,
      onError: (e) => errors.push(e),
    });
    const r = await send({ method: 'POST' });
    expect(r.status).toBe(500);
    expect(r.body).not.toContain('another copy');
    expect(errors).toHaveLength(1);
    const e = errors[0] as Error;
    expect(isAccessTokenError(e), `${e.name}: ${e.message}`).toBe(true);
    expect(e.message).toMatch(/another copy of twilio-access-token/);
  });

  test('a credentials function returning another copy’s keyring: 500, onError gets the AccessTokenError (holds)', async () => {
    const keyring = other.createKeyring({
      accountSid: credentials.accountSid,
      keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }],
    });
    const errors: unknown[] = [];
    const send = adapter.create({
      identify: () => 'alice',
      grants: [videoGrant()],
      credentials: () => keyring as never,
      cors: false,
      onError: (e) => errors.push(e),
    });
    const r = await send({ method: 'POST' });
    expect(r.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(isAccessTokenError(errors[0])).toBe(true);
    expect((errors[0] as Error).message).toMatch(/another copy/);
  });

  test('static: another copy’s grant or keyring is refused at creation (holds)', () => {
    const mine = createKeyring({
      accountSid: credentials.accountSid,
      keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }],
    });
    expect(mine).toBeDefined();
    expect(() => adapter.create({ identify: () => 'a', grants: other.videoGrant() as never, credentials })).toThrow(
      /another copy/,
    );
    const keyring = other.createKeyring({
      accountSid: credentials.accountSid,
      keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }],
    });
    expect(() => adapter.create({ identify: () => 'a', grants: videoGrant(), credentials: keyring as never })).toThrow(
      /another copy/,
    );
  });
});
