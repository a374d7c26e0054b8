import { afterAll, describe, expect, test } from 'vitest';
import type { TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { decodeAccessToken, type Grant, syncGrant, verifyAccessToken, videoGrant } from '../../../src/index.js';
import { adapters, closeServers } from '../adapters.js';

// attack4 (round: handlers validate their options once). Whatever the caller does to the options
// object after the handler is made (mutation, getters answering differently, Proxies), the handler
// behaves as created and never reads the options again.

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'fake-secret-0123456789',
};
const GOOD = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

afterAll(closeServers);

const post = (origin?: string): { method: string; headers: Record<string, string> } => ({
  method: 'POST',
  headers: origin ? { origin } : {},
});

describe.each(adapters)('options snapshot in $name (attack4)', (adapter) => {
  test('cors.origins, cors.credentials, ttl, identify, grants, rateLimit, credentials mutated after creation change nothing', async () => {
    const origins = [GOOD];
    const cors = { origins, credentials: false };
    const grants: Grant[] = [videoGrant({ room: 'r' })];
    const creds = { ...credentials };
    const options: Record<string, unknown> = {
      identify: () => 'alice',
      grants,
      credentials: creds,
      ttl: 600,
      cors,
      rateLimit: () => true,
    };
    const send = adapter.create(options as unknown as TokenHandlerOptions);
    const before = await send(post(EVIL));
    expect(before.status).toBe(200);
    origins.push(EVIL);
    origins[0] = EVIL;
    cors.credentials = true;
    (cors as Record<string, unknown>).origins = '*';
    grants.push(syncGrant());
    grants[0] = videoGrant({ room: 'other' });
    creds.apiKeySecret = 'changed-secret-9876543210';
    creds.apiKeySid = `SK${'c'.repeat(32)}`;
    options.identify = () => 'mallory';
    options.ttl = 60;
    options.rateLimit = () => false;
    options.cors = false;
    options.grants = () => syncGrant();
    const after = await send(post(EVIL));
    expect(after.status).toBe(200);
    expect(after.headers['access-control-allow-origin']).toBeUndefined();
    expect(after.headers['access-control-allow-credentials']).toBeUndefined();
    const good = await send(post(GOOD));
    expect(good.headers['access-control-allow-origin']).toBe(GOOD);
    const body = JSON.parse(after.body) as { token: string; identity: string; ttl: number };
    expect(body.identity).toBe('alice');
    expect(body.ttl).toBe(600);
    const { header, payload } = decodeAccessToken(body.token);
    expect(header.alg).toBe('HS256');
    expect(payload.iss).toBe(credentials.apiKeySid);
    expect(Object.keys(payload.grants)).toEqual(['identity', 'video']);
    expect(payload.grants.video).toEqual({ room: 'r' });
    expect(() => verifyAccessToken(body.token, { apiKeySecret: credentials.apiKeySecret })).not.toThrow();
  });

  test('getters answering differently the second time: the handler keeps the first answers', async () => {
    let corsReads = 0;
    let limitReads = 0;
    let credReads = 0;
    const options = {
      identify: () => 'alice',
      grants: [videoGrant()],
      get credentials() {
        return credReads++ === 0 ? credentials : { ...credentials, apiKeySid: `SK${'d'.repeat(32)}` };
      },
      get cors() {
        return corsReads++ === 0 ? { origins: [GOOD] } : { origins: '*' as const };
      },
      get rateLimit() {
        return limitReads++ === 0 ? () => false : () => true;
      },
    };
    const send = adapter.create(options as unknown as TokenHandlerOptions);
    const r = await send(post(EVIL));
    expect(r.status).toBe(429);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(corsReads).toBeLessThanOrEqual(1);
    expect(limitReads).toBeLessThanOrEqual(1);
    expect(credReads).toBeLessThanOrEqual(1);
  });

  test('a Proxy over the options: each key read at most once, nothing read at request time', async () => {
    const reads: string[] = [];
    const target = {
      identify: () => 'alice',
      grants: [videoGrant()],
      credentials,
      cors: { origins: [GOOD], allowHeaders: ['x-a'] },
      ttl: 900,
    };
    const spy = <T extends object>(o: T, at: string): T =>
      new Proxy(o, {
        get(t, k, rcv) {
          reads.push(`${at}.${String(k)}`);
          const v = Reflect.get(t, k, rcv);
          return typeof v === 'object' && v !== null && !Object.isFrozen(v) && !Array.isArray(v)
            ? spy(v as object, `${at}.${String(k)}`)
            : v;
        },
      });
    const send = adapter.create(spy(target, 'options') as unknown as TokenHandlerOptions);
    const created = [...reads];
    const counts = new Map<string, number>();
    for (const r of created) counts.set(r, (counts.get(r) ?? 0) + 1);
    for (const [k, n] of counts) expect(n, `${k} read ${n} times at creation`).toBe(1);
    reads.length = 0;
    const r = await send(post(GOOD));
    expect(r.status).toBe(200);
    expect(reads, 'read at request time').toEqual([]);
  });
  test('cors.allowHeaders and maxAge mutated after creation: the preflight is unchanged', async () => {
    const allowHeaders = ['x-passcode'];
    const cors = { origins: [GOOD], allowHeaders, maxAge: 60 };
    const send = adapter.create({ identify: () => 'alice', grants: [videoGrant()], credentials, cors });
    const preflight = { method: 'OPTIONS', headers: { origin: GOOD, 'access-control-request-method': 'POST' } };
    const before = await send(preflight);
    allowHeaders.push('x-evil');
    allowHeaders[0] = 'x-other';
    cors.maxAge = 999;
    cors.origins.push(EVIL);
    const after = await send(preflight);
    expect(after.status).toBe(before.status);
    expect(after.headers['access-control-allow-headers']).toBe(before.headers['access-control-allow-headers']);
    expect(after.headers['access-control-max-age']).toBe(before.headers['access-control-max-age']);
    const evil = await send({ ...preflight, headers: { ...preflight.headers, origin: EVIL } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});
