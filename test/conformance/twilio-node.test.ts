import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAccessToken, createTokenMinter } from '../../src/index.js';
import {
  arbTokenSpec,
  FROZEN_S,
  freezeClock,
  type GrantSpec,
  ourGrant,
  ourOptions,
  sid,
  type TokenSpec,
  twilioToken,
} from '../helpers.js';

// Byte-for-byte equality with the real twilio package's AccessToken#toJwt(), clock frozen.

function ours(spec: TokenSpec): string {
  return createAccessToken(spec.identity, spec.grants.map(ourGrant), ourOptions(spec));
}

const each: Record<string, GrantSpec[]> = {
  'video, no room': [{ product: 'video', options: {} }],
  'video with a room name': [{ product: 'video', options: { room: 'standup' } }],
  'video with a room SID': [{ product: 'video', options: { room: sid('RM', 'f') } }],
  'chat, service only': [{ product: 'chat', options: { serviceSid: sid('IS') } }],
  'chat, every field': [
    {
      product: 'chat',
      options: {
        serviceSid: sid('IS'),
        endpointId: 'app:alice:device',
        deploymentRoleSid: sid('RL'),
        pushCredentialSid: sid('CR'),
      },
    },
  ],
  'voice, outgoing only': [{ product: 'voice', options: { outgoingApplicationSid: sid('AP') } }],
  'voice, incoming only': [{ product: 'voice', options: { incomingAllow: true } }],
  'voice, incomingAllow false with outgoing': [
    { product: 'voice', options: { outgoingApplicationSid: sid('AP'), incomingAllow: false } },
  ],
  'voice, every field': [
    {
      product: 'voice',
      options: {
        outgoingApplicationSid: sid('AP', 'A'),
        outgoingApplicationParams: { to: '+15005550006', nested: { list: [1, 'two', null, true] } },
        incomingAllow: true,
        pushCredentialSid: sid('CR'),
        endpointId: 'device-1',
      },
    },
  ],
  'voice, empty params object': [
    { product: 'voice', options: { outgoingApplicationSid: sid('AP'), outgoingApplicationParams: {} } },
  ],
  'sync, no options': [{ product: 'sync', options: {} }],
  'sync, every field': [{ product: 'sync', options: { serviceSid: sid('IS', 'c'), endpointId: 'e1' } }],
  'taskRouter, required fields': [
    { product: 'taskRouter', options: { workspaceSid: sid('WS'), workerSid: sid('WK') } },
  ],
  'taskRouter, with role': [
    { product: 'taskRouter', options: { workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'supervisor' } },
  ],
  playback: [
    {
      product: 'playback',
      options: {
        grant: { requestCredentials: null, playbackUrl: 'https://example.invalid/x', playerStreamerSid: sid('VJ') },
      },
    },
  ],
  'video + voice + chat': [
    { product: 'video', options: { room: 'r' } },
    { product: 'voice', options: { incomingAllow: true } },
    { product: 'chat', options: { serviceSid: sid('IS') } },
  ],
  'chat + voice + video (other order)': [
    { product: 'chat', options: { serviceSid: sid('IS') } },
    { product: 'voice', options: { incomingAllow: true } },
    { product: 'video', options: { room: 'r' } },
  ],
  'all six products': [
    { product: 'playback', options: { grant: { a: 1 } } },
    { product: 'taskRouter', options: { workspaceSid: sid('WS'), workerSid: sid('WK') } },
    { product: 'sync', options: {} },
    { product: 'voice', options: { outgoingApplicationSid: sid('AP') } },
    { product: 'chat', options: { serviceSid: sid('IS') } },
    { product: 'video', options: {} },
  ],
};

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

describe('createAccessToken equals twilio AccessToken#toJwt()', () => {
  test.each(Object.entries(each))('for %s', (_name, grants) => {
    const spec = { identity: 'alice', grants };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test.each([1, 3600, 86_400])('for ttl %i', (ttl) => {
    const spec = { identity: 'alice', grants: each['video + voice + chat']!, ttl };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test.each(['HS256', 'HS384', 'HS512'] as const)('for algorithm %s', (algorithm) => {
    const spec = { identity: 'alice', grants: each['video, no room']!, algorithm };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test.each(['us1', 'ie1', 'au1'])('for region %s', (region) => {
    const spec = { identity: 'alice', grants: each['video, no room']!, region };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test('for nbf as epoch seconds', () => {
    const spec = { identity: 'alice', grants: each['video, no room']!, nbf: FROZEN_S - 60 };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test('for nbf as a Date with milliseconds (floored)', () => {
    const spec = { identity: 'alice', grants: each['video, no room']!, nbf: new Date(FROZEN_S * 1000 + 999) };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test.each([
    ['non-ASCII', 'Zoë Ångström-Δ'],
    ['quotes and backslashes', 'say "hi" \\ o\'brien'],
    ['emoji and a ZWJ sequence', 'alice 👩‍💻🎉'],
    ['CJK', '李小龍'],
    ['an email address', 'alice@example.com'],
    ['256 characters', 'x'.repeat(256)],
    ['a lone surrogate', 'a\ud800b'],
  ])('for an identity with %s', (_name, identity) => {
    const spec = { identity, grants: each['video + voice + chat']! };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test('for everything at once', () => {
    const spec: TokenSpec = {
      identity: 'ünïcode "user" 😀',
      grants: each['all six products']!,
      ttl: 86_400,
      nbf: new Date(FROZEN_S * 1000),
      region: 'ie1',
      algorithm: 'HS512',
    };
    expect(ours(spec)).toBe(twilioToken(spec));
  });

  test('for random valid inputs (property)', () => {
    fc.assert(
      fc.property(arbTokenSpec, (spec) => {
        expect(ours(spec)).toBe(twilioToken(spec));
      }),
    );
  });
});

describe('createTokenMinter equals twilio AccessToken#toJwt()', () => {
  test('for random valid inputs, overrides included (property)', () => {
    fc.assert(
      fc.property(arbTokenSpec, fc.boolean(), (spec, override) => {
        const { ttl, nbf, ...fixed } = ourOptions(spec);
        const mint = createTokenMinter(override ? fixed : ourOptions(spec));
        // Absent, not undefined: a present key with the value undefined is an error.
        const overrides = { ...(ttl === undefined ? {} : { ttl }), ...(nbf === undefined ? {} : { nbf }) };
        const token = mint(spec.identity, spec.grants.map(ourGrant), override ? overrides : undefined);
        expect(token).toBe(twilioToken(spec));
      }),
    );
  });

  test('for the same minter called at different times', () => {
    const mint = createTokenMinter({ credentials: ourOptions({ identity: 'a', grants: [] }).credentials });
    const spec = { identity: 'bob', grants: each['video, no room']! };
    for (const ms of [Date.UTC(2030, 5, 1), Date.UTC(2031, 0, 1, 12, 0, 0, 999)]) {
      vi.setSystemTime(ms);
      expect(mint(spec.identity, spec.grants.map(ourGrant))).toBe(twilioToken(spec));
    }
  });
});
