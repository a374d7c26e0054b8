import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
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
    expectError(() => mint([proxy]), 'ERR_INVALID_GRANT', 'grants[0]', /received a Proxy$/);
  });
});

describe('a value with the brand that this copy did not make', () => {
  test('is accepted only as what videoGrant() would make, whatever its brand holds', () => {
    const brand = { json: '{"admin":true}', member: '"video":{},"admin":true' };
    const hand = foreign('video', 'video', { room: 'standup' }, {}, brand);
    expect(mint([hand])).toBe(mint([videoGrant({ room: 'standup' })]));
  });

  test.each<[string, () => object, RegExp]>([
    [
      'an extra claim in the payload',
      () => foreign('video', 'video', { room: 'r', admin: true }),
      /differs from what videoGrant\(\) makes/,
    ],
    ['a payload the factory refuses', () => foreign('chat', 'chat', { service_sid: 'IS1' }), /chatGrant\(\) refuses/],
    [
      'an incoming grant that is not allow: true',
      () => foreign('voice', 'voice', { incoming: { allow: 'yes' } }),
      /voiceGrant\(\) refuses/,
    ],
    ['a key other than its product’s', () => foreign('video', 'admin', {}), /key does not match its product/],
    ['an unknown product', () => foreign('admin', 'admin', {}), /unknown product/],
    ['a product named after Object.prototype', () => foreign('constructor', 'constructor', {}), /unknown product/],
    ['an extra field', () => foreign('video', 'video', {}, { member: '"x":1' }), /unknown field/],
    ['a payload that is not a plain object', () => foreign('video', 'video', new Date(0)), /not plain JSON data/],
    [
      'a payload getter',
      () =>
        foreign('video', 'video', {
          get room() {
            return 'r';
          },
        }),
      /not plain JSON data/,
    ],
    ['a Proxy payload', () => foreign('video', 'video', new Proxy({ room: 'r' }, {})), /a Proxy/],
    ['a Proxy around the whole grant', () => new Proxy(foreign('video', 'video', {}), {}), /a Proxy/],
  ])('refuses %s at grants[i]', (_name, make, reason) => {
    expectError(() => mint([videoGrant(), make()].slice(1)), 'ERR_INVALID_GRANT', 'grants[0]', reason);
    expectError(() => mint([voiceGrant({ incomingAllow: true }), make()]), 'ERR_INVALID_GRANT', 'grants[1]', reason);
  });

  test('refuses a product getter, which once produced two "video" members', () => {
    let reads = 0;
    const hand = foreign(undefined, 'video', {});
    Object.defineProperty(hand, 'product', { get: () => (reads++ === 0 ? 'video' : 'voice'), enumerable: true });
    expectError(() => mint([videoGrant(), hand]), 'ERR_INVALID_GRANT', 'grants[1]', /getter|data properties/);
    expect(reads).toBe(0);
  });

  test('keeps the content it was accepted with: later changes do not reach tokens', () => {
    const payload: Record<string, unknown> = { room: 'standup' };
    const hand = foreign('video', 'video', payload) as Record<string, unknown>;
    const minter = createTokenMinter({ credentials });
    const before = minter('alice', [hand as never]);
    payload.room = 'other';
    payload.admin = true;
    hand.product = 'voice';
    expect(minter('alice', [hand as never])).toBe(before);
    expect(minter('alice', [hand as never, voiceGrant({ incomingAllow: true })])).toBe(
      minter('alice', [videoGrant({ room: 'standup' }), voiceGrant({ incomingAllow: true })]),
    );
  });

  test('counts as its product for duplicates', () => {
    expectError(
      () => mint([videoGrant(), foreign('video', 'video', {})]),
      'ERR_DUPLICATE_GRANT',
      'grants',
      /two "video" grants, grants\[0\] and grants\[1\]/,
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

  test("a foreign grant with random JSON is refused, or mints exactly what this copy's factory makes", () => {
    const arbPayload = fc.oneof(
      // A genuine payload, sometimes with one field added, changed or removed.
      fc
        .tuple(arbGrantSpec, fc.option(fc.tuple(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))))
        .map(([spec, edit]) => {
          const g = ourGrant(spec);
          const payload: Record<string, unknown> = structuredClone(g.payload) as Record<string, unknown>;
          // Defined, not assigned: `payload.__proto__ = x` would swap the prototype, not add a field.
          if (edit !== null)
            Object.defineProperty(payload, edit[0], {
              value: edit[1],
              enumerable: true,
              writable: true,
              configurable: true,
            });
          return { product: g.product as string, payload };
        }),
      // Anything under any product.
      fc.record({
        product: fc.constantFrom('video', 'chat', 'voice', 'sync', 'taskRouter', 'playback', 'data_sync', 'toString'),
        payload: fc.oneof(
          fc.dictionary(fc.constantFrom(...WIRE_FIELDS, 'admin'), fc.jsonValue({ maxDepth: 2 })),
          fc.jsonValue({ maxDepth: 3 }),
        ),
      }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(arbPayload, ({ product, payload }) => {
        const key = Object.hasOwn(KEYS, product) ? KEYS[product as keyof typeof KEYS] : product;
        const hand = foreign(product, key, payload);
        let expected: string | undefined;
        try {
          const ours = rebuild(product, payload as Record<string, unknown>);
          if (JSON.stringify(ours.payload) === JSON.stringify(payload)) expected = mint(ours);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          expectError(() => mint([hand]), 'ERR_INVALID_GRANT', 'grants[0]', /^Invalid grants\[0\]: expected a grant/);
        } else {
          accepted++;
          expect(mint([hand])).toBe(expected);
        }
      }),
      { numRuns: 300 }, // the check below wants 20+ accepted, and about 1 random grant in 10 is
    );
    expect(accepted).toBeGreaterThan(20);
  });
});

const KEYS = {
  video: 'video',
  chat: 'chat',
  voice: 'voice',
  sync: 'data_sync',
  taskRouter: 'task_router',
  playback: 'player',
} as const;

/** The test's own reading of a wire payload as factory options, independent of src/. */
function rebuild(product: string, p: Record<string, unknown>): Grant {
  const pick = (from: unknown, names: Record<string, string>) => {
    const out: Record<string, unknown> = {};
    if (typeof from !== 'object' || from === null) return out;
    for (const [wire, option] of Object.entries(names))
      if (Object.hasOwn(from, wire)) out[option] = (from as Record<string, unknown>)[wire];
    return out;
  };
  const common = { endpoint_id: 'endpointId', push_credential_sid: 'pushCredentialSid' };
  const spec = (s: GrantSpec) => ourGrant(s);
  switch (product) {
    case 'video':
      return spec({ product, options: pick(p, { room: 'room' }) });
    case 'chat':
      return spec({
        product,
        options: pick(p, { service_sid: 'serviceSid', deployment_role_sid: 'deploymentRoleSid', ...common }) as never,
      });
    case 'sync':
      return spec({ product, options: pick(p, { service_sid: 'serviceSid', endpoint_id: 'endpointId' }) });
    case 'taskRouter':
      return spec({
        product,
        options: pick(p, { workspace_sid: 'workspaceSid', worker_sid: 'workerSid', role: 'role' }) as never,
      });
    case 'playback':
      return spec({ product, options: { grant: p } });
    case 'voice': {
      const incoming = p.incoming as { allow?: unknown } | undefined;
      return spec({
        product,
        options: {
          ...(Object.hasOwn(p, 'incoming') ? { incomingAllow: incoming?.allow as boolean } : {}),
          ...pick(p.outgoing, { application_sid: 'outgoingApplicationSid', params: 'outgoingApplicationParams' }),
          ...pick(p, common),
        },
      });
    }
    default:
      throw new Error('unknown product');
  }
}
