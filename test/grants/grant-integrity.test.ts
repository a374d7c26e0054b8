import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createFetchHandler } from '../../src/handlers/fetch/index.js';
import {
  createAccessToken,
  createTokenMinter,
  type Grant,
  playbackGrant,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { arbGrantSpec, credentials, expectError, freezeClock, type GrantSpec, ourGrant, sid } from '../helpers.js';
import { WIRE_FIELDS } from './fields-table.js';

// A grant and everything reachable from it is frozen; nothing reachable from it, nor the options it
// was made from, can change a token minted from it later.

const BRAND = Symbol.for('twilio-access-token.grant');
const mint = (grants: unknown) => createAccessToken('alice', grants as Grant, { credentials });
const claims = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret }).grants;

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

/** Every object reachable from a value through own properties, symbol keys included. */
function reachable(root: unknown): object[] {
  const seen = new Set<object>();
  const walk = (value: unknown) => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
      walk('value' in d ? d.value : d.get);
    }
  };
  walk(root);
  return [...seen];
}

/** A hand-made value carrying the brand, as another copy of the package (or a forger) would make it. */
function foreign(product: unknown, key: unknown, payload: unknown, extra: object = {}, brand: unknown = true): object {
  const grant = { product, key, payload, ...extra };
  Object.defineProperty(grant, BRAND, { value: brand });
  return grant;
}

describe('a grant made here', () => {
  test('cannot have its brand rewritten to inject claims', () => {
    const g = videoGrant({ room: 'standup' });
    const before = mint(g);
    const attack = '"video":{}},"admin":true,"x":{"y":1';
    expect(() => {
      (g as unknown as Record<symbol, { member: string }>)[BRAND]!.member = attack;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(g, BRAND, { value: { member: attack, json: '{}' } })).toThrow(TypeError);
    expect(mint(g)).toBe(before);
    expect(claims(mint(g))).toEqual({ identity: 'alice', video: { room: 'standup' } });
  });

  test('is frozen all the way down, brand included', () => {
    const g = voiceGrant({
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: { b: [1, { c: 2 }] } },
      incomingAllow: true,
    });
    const objects = reachable(g).filter((o) => o !== Object.prototype && o !== Array.prototype);
    expect(objects.length).toBeGreaterThanOrEqual(6);
    for (const o of objects) expect(Object.isFrozen(o)).toBe(true);
  });

  test('keeps its token when the options, params and playback objects it was made from change', () => {
    const params = { to: 'a', list: [1] as unknown[] };
    const options: Record<string, unknown> = { outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params };
    const inner = { url: 'u', nested: { n: 1 } };
    const playback = { grant: inner };
    const grants = [voiceGrant(options as never), playbackGrant(playback)];
    const before = mint(grants);
    params.to = 'b';
    params.list.push({ admin: true });
    options.incomingAllow = true;
    options.outgoingApplicationSid = sid('AP', 'f');
    inner.nested.n = 2;
    (playback as Record<string, unknown>).grant = { other: true };
    expect(mint(grants)).toBe(before);
  });

  test('a Proxy around it is refused, not obeyed', () => {
    const g = videoGrant({ room: 'standup' });
    const proxy = new Proxy(g, {});
    expectError(() => mint([proxy]), 'ERR_INVALID_GRANT', 'grants[0]', /received .*a Proxy or a forgery/);
  });
});

// One copy of the package makes and mints grants: a value with the brand that this copy did not
// make (a grant of another copy, or a forgery) is refused, never read or adopted.
const OTHER_COPY = /received a grant from another copy of twilio-access-token .*same import as createAccessToken/;

describe('a value with the brand that this copy did not make', () => {
  test('is refused, however genuine it looks, whatever its brand holds', () => {
    const brand = { json: '{"admin":true}', member: '"video":{},"admin":true' };
    const hand = foreign('video', 'video', { room: 'standup' }, {}, brand);
    expectError(() => mint([hand]), 'ERR_INVALID_GRANT', 'grants[0]', OTHER_COPY);
    expectError(() => mint(foreign('video', 'video', { room: 'standup' })), 'ERR_INVALID_GRANT', 'grants', OTHER_COPY);
  });

  test.each<[string, () => object, RegExp]>([
    ['an extra claim in the payload', () => foreign('video', 'video', { room: 'r', admin: true }), OTHER_COPY],
    ['a key other than its product’s', () => foreign('video', 'admin', {}), OTHER_COPY],
    ['a product named after Object.prototype', () => foreign('constructor', 'constructor', {}), OTHER_COPY],
    ['an extra field', () => foreign('video', 'video', {}, { member: '"x":1' }), OTHER_COPY],
    ['a Proxy payload', () => foreign('video', 'video', new Proxy({ room: 'r' }, {})), OTHER_COPY],
    ['a Proxy around the whole grant', () => new Proxy(foreign('video', 'video', {}), {}), OTHER_COPY],
  ])('refuses %s at grants[i]', (_name, make, reason) => {
    expectError(() => mint([videoGrant(), make()].slice(1)), 'ERR_INVALID_GRANT', 'grants[0]', reason);
    expectError(() => mint([voiceGrant({ incomingAllow: true }), make()]), 'ERR_INVALID_GRANT', 'grants[1]', reason);
  });

  test('reads nothing from it: a product getter is never called', () => {
    let reads = 0;
    const hand = foreign(undefined, 'video', {});
    Object.defineProperty(hand, 'product', { get: () => (reads++ === 0 ? 'video' : 'voice'), enumerable: true });
    expectError(() => mint([videoGrant(), hand]), 'ERR_INVALID_GRANT', 'grants[1]', OTHER_COPY);
    expect(reads).toBe(0);
  });

  test('a minter refuses it too', () => {
    const minter = createTokenMinter({ credentials });
    expectError(
      () => minter('alice', [foreign('video', 'video', {}) as never]),
      'ERR_INVALID_GRANT',
      'grants[0]',
      OTHER_COPY,
    );
  });

  // One copy per process (Node's import faces re-export the CJS build; bundlers get the module
  // build for import and require): the handlers refuse another copy's grant as minting does.
  test('a handler refuses it: fixed grants at creation, a grants function with a 500', async () => {
    const options = { identify: () => 'alice', credentials, cors: false as const };
    expectError(
      () => createFetchHandler({ ...options, grants: [foreign('video', 'video', {}) as Grant] }),
      'ERR_INVALID_GRANT',
      'grants[0]',
      OTHER_COPY,
    );
    const onError = vi.fn();
    const handler = createFetchHandler({ ...options, grants: () => foreign('video', 'video', {}) as Grant, onError });
    const response = await handler(new Request('http://127.0.0.1/token', { method: 'POST' }));
    expect(response.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/not a grant/) }),
      expect.anything(),
    );
  });
});

// ---------- properties ----------

/** Fresh options for a spec, so each run mutates its own objects. */
const fresh = (spec: GrantSpec): GrantSpec => structuredClone(spec);

const arbMutation = fc.record({
  target: fc.nat(),
  key: fc.oneof(
    fc.constantFrom('product', 'key', 'payload', 'room', 'member', 'json', '__proto__', 'constructor', 'toJSON'),
    fc.string({ maxLength: 10 }),
    fc.constant(BRAND),
  ),
  action: fc.constantFrom('set', 'delete', 'define', 'getter', 'proto'),
  value: fc.jsonValue({ maxDepth: 2 }),
});

type Mutation = { target: number; key: PropertyKey; action: string; value: unknown };

function mutate(objects: object[], m: Mutation): void {
  const target = objects[m.target % objects.length] as Record<PropertyKey, unknown>;
  try {
    if (m.action === 'set') target[m.key] = m.value;
    else if (m.action === 'delete') delete target[m.key];
    else if (m.action === 'define') Object.defineProperty(target, m.key, { value: m.value, enumerable: true });
    else if (m.action === 'getter') Object.defineProperty(target, m.key, { get: () => m.value, enumerable: true });
    else Object.setPrototypeOf(target, { [m.key]: m.value });
  } catch {
    // Frozen objects refuse: that is the point.
  }
}

describe('properties', () => {
  test('no mutation of anything reachable from a grant, or of the options it was made from, changes its token', () => {
    fc.assert(
      fc.property(arbGrantSpec, fc.array(arbMutation, { minLength: 1, maxLength: 8 }), (spec, mutations) => {
        const own = fresh(spec);
        const grant = ourGrant(own);
        const before = mint(grant);
        const objects = reachable([grant, own.options]).filter(
          (o) => o !== Object.prototype && o !== Array.prototype && o !== Function.prototype,
        );
        for (const m of mutations) mutate(objects, m);
        expect(mint(grant)).toBe(before);
        expect(mint(grant)).toBe(mint(ourGrant(spec)));
      }),
    );
  });

  test('a foreign grant with random JSON is always refused, never minted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('video', 'chat', 'voice', 'sync', 'taskRouter', 'playback', 'data_sync', 'toString'),
        fc.oneof(
          fc.dictionary(fc.constantFrom(...WIRE_FIELDS, 'admin'), fc.jsonValue({ maxDepth: 2 })),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        (product, payload) => {
          expectError(() => mint([foreign(product, product, payload)]), 'ERR_INVALID_GRANT', 'grants[0]', OTHER_COPY);
        },
      ),
      { numRuns: 100 },
    );
  });
});
