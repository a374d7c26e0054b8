import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAccessToken, videoGrant, voiceGrant } from '../../src/index.js';
import { fromTwilioGrant, toTwilioAccessToken } from '../../src/twilio.js';
import {
  arbGrantSpec,
  arbTokenSpec,
  credentials,
  expectError,
  freezeClock,
  type GrantSpec,
  ourGrant,
  ourOptions,
  sid,
  TwilioAccessToken,
  twilioGrant,
} from '../helpers.js';

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

const everyProduct: GrantSpec[] = [
  { product: 'video', options: { room: 'standup' } },
  {
    product: 'chat',
    options: { serviceSid: sid('IS'), endpointId: 'e', deploymentRoleSid: sid('RL'), pushCredentialSid: sid('CR') },
  },
  {
    product: 'voice',
    options: {
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: [1] },
      incomingAllow: true,
      pushCredentialSid: sid('CR'),
      endpointId: 'd',
    },
  },
  { product: 'sync', options: { serviceSid: sid('IS'), endpointId: 'e' } },
  { product: 'taskRouter', options: { workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'worker' } },
  { product: 'playback', options: { grant: { playbackUrl: 'https://example.invalid', playerStreamerSid: sid('VJ') } } },
];

describe('toTwilioAccessToken', () => {
  test('returns a real twilio AccessToken', () => {
    expect(toTwilioAccessToken('alice', videoGrant(), { credentials })).toBeInstanceOf(TwilioAccessToken);
  });

  test.each(everyProduct)('toJwt() equals createAccessToken for $product', (spec) => {
    const grant = ourGrant(spec);
    expect(toTwilioAccessToken('alice', grant, { credentials, ttl: 600, region: 'ie1' }).toJwt()).toBe(
      createAccessToken('alice', grant, { credentials, ttl: 600, region: 'ie1' }),
    );
  });

  test('toJwt(algorithm) equals createAccessToken for random inputs (property)', () => {
    fc.assert(
      fc.property(arbTokenSpec, (spec) => {
        const grants = spec.grants.map(ourGrant);
        const { algorithm, ...options } = ourOptions(spec);
        expect(toTwilioAccessToken(spec.identity, grants, options).toJwt(algorithm)).toBe(
          createAccessToken(spec.identity, grants, ourOptions(spec)),
        );
      }),
    );
  });

  test('validates like createAccessToken', () => {
    expectError(
      () => toTwilioAccessToken('', videoGrant(), { credentials }),
      'ERR_INVALID_IDENTITY',
      'identity',
      /received (""|an empty string)$/,
    );
    expectError(
      () => toTwilioAccessToken('a', [videoGrant(), videoGrant()], { credentials }),
      'ERR_DUPLICATE_GRANT',
      'grants',
      /two "video" grants/,
    );
    expectError(
      () => toTwilioAccessToken('a', videoGrant(), { credentials, ttl: 90_000 }),
      'ERR_INVALID_OPTION',
      'options.ttl',
      /received 90000$/,
    );
    expectError(
      () =>
        toTwilioAccessToken('a', videoGrant(), { credentials: { ...credentials, apiKeySid: credentials.accountSid } }),
      'ERR_INVALID_CREDENTIALS',
      'credentials.apiKeySid',
      /20103/,
    );
  });

  test('refuses algorithm, which twilio takes in toJwt()', () => {
    expectError(
      () => toTwilioAccessToken('a', videoGrant(), { credentials, algorithm: 'HS512' } as never),
      'ERR_INVALID_OPTION',
      'options.algorithm',
      'Invalid options.algorithm: expected no algorithm here: pass it to toJwt(algorithm), received "HS512"',
    );
  });
});

describe('fromTwilioGrant', () => {
  test.each(everyProduct)('round-trips $product', (spec) => {
    expect(fromTwilioGrant(twilioGrant(spec) as never)).toEqual(ourGrant(spec));
  });

  test('round-trips random grants (property)', () => {
    fc.assert(
      fc.property(arbGrantSpec, (spec) => {
        const ours = fromTwilioGrant(twilioGrant(spec) as never);
        expect(ours).toEqual(ourGrant(spec));
        expect(createAccessToken('a', ours, { credentials })).toBe(
          createAccessToken('a', ourGrant(spec), { credentials }),
        );
      }),
    );
  });

  test.each<[string, unknown, string]>([
    [
      'incomingAllow "true"',
      new TwilioAccessToken.VoiceGrant({ incomingAllow: 'true' as never, outgoingApplicationSid: sid('AP') }),
      'grants.voice.incomingAllow',
    ],
    ['a voice grant allowing nothing', new TwilioAccessToken.VoiceGrant({}), 'grants.voice'],
    ['an empty room', new TwilioAccessToken.VideoGrant({ room: '' }), 'grants.video.room'],
    ['a chat grant without a service', new TwilioAccessToken.ChatGrant({}), 'grants.chat.serviceSid'],
    [
      'a TaskRouter grant with a bad worker',
      new TwilioAccessToken.TaskRouterGrant({ workspaceSid: sid('WS'), workerSid: 'WK1' }),
      'grants.taskRouter.workerSid',
    ],
    ['a playback grant without its object', new TwilioAccessToken.PlaybackGrant({}), 'grants.playback.grant'],
    ['an unknown key', { key: 'ip_messaging' }, 'grant.key'],
    ['null', null, 'grant'],
  ])('rejects %s', (_name, grant, path) => {
    expectError(() => fromTwilioGrant(grant as never), 'ERR_INVALID_GRANT', path, /^Invalid /);
  });

  test('gives grants that mint with ours', () => {
    const legacy = new TwilioAccessToken.VoiceGrant({ outgoingApplicationSid: sid('AP'), incomingAllow: true });
    expect(fromTwilioGrant(legacy as never)).toEqual(
      voiceGrant({ outgoingApplicationSid: sid('AP'), incomingAllow: true }),
    );
  });
});

describe('fromTwilioGrant reads a grant once, as own data', () => {
  test('refuses a getter without calling it', () => {
    let called = false;
    const grant = new TwilioAccessToken.VideoGrant({ room: 'r' });
    Object.defineProperty(grant, 'room', {
      get: () => {
        called = true;
        return 'r';
      },
    });
    expectError(
      () => fromTwilioGrant(grant as never),
      'ERR_INVALID_GRANT',
      'grant',
      /received an object with a getter$/,
    );
    expect(called).toBe(false);
  });

  test('refuses a Proxy', () => {
    const proxy = new Proxy(new TwilioAccessToken.VideoGrant({ room: 'r' }), {});
    expectError(
      () => fromTwilioGrant(proxy as never),
      'ERR_INVALID_GRANT',
      'grant',
      /expected a twilio grant instance/,
    );
  });

  test('refuses a Promise: missing await?', () => {
    expectError(
      () => fromTwilioGrant(Promise.resolve(new TwilioAccessToken.VideoGrant({})) as never),
      'ERR_INVALID_GRANT',
      'grant',
      /a Promise: missing await\?/,
    );
  });

  test.each<[string, object, string, RegExp]>([
    [
      'a misspelt field',
      { key: 'video', roomName: 'r' },
      'grant.roomName',
      /unknown option "roomName" \(did you mean "room"\?\)/,
    ],
    [
      'a far field, described by its length',
      { key: 'video', ['s'.repeat(40)]: 1 },
      'grant',
      /unknown option \(a key of 40 characters\)/,
    ],
    ['a field of another product', { key: 'video', incomingAllow: true }, 'grant', /unknown option/],
    [
      'a "__proto__" field',
      JSON.parse('{"key":"video","__proto__":{"room":"r"}}'),
      'grant',
      /unknown option \(a key of 9 characters\)/,
    ],
  ])('refuses a foreign shape: %s', (_name, grant, path, message) => {
    expectError(() => fromTwilioGrant(grant as never), 'ERR_INVALID_GRANT', path, message);
  });

  test('applies the factory rules to every value twilio was given', () => {
    expectError(
      () => fromTwilioGrant({ key: 'voice', incomingAllow: 'x'.repeat(40) } as never),
      'ERR_INVALID_GRANT',
      'grants.voice.incomingAllow',
      /received a string of 40 characters$/,
    );
    expectError(
      () => fromTwilioGrant({ key: 'video', room: null } as never),
      'ERR_INVALID_GRANT',
      'grants.video.room',
      /received null$/,
    );
  });

  test('does not echo a long unknown key value', () => {
    expectError(
      () => fromTwilioGrant({ key: 'z'.repeat(30) } as never),
      'ERR_INVALID_GRANT',
      'grant.key',
      /received a string of 30 characters$/,
    );
  });

  test('returns a grant of this package as it is', () => {
    const g = videoGrant({ room: 'r' });
    expect(fromTwilioGrant(g as never)).toBe(g);
  });

  test('a later change to the twilio grant does not reach the token', () => {
    const legacy = new TwilioAccessToken.VoiceGrant({
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: 1 },
    });
    const ours = fromTwilioGrant(legacy as never);
    const before = createAccessToken('a', ours, { credentials });
    (legacy.outgoingApplicationParams as Record<string, unknown>).a = 2;
    legacy.incomingAllow = true;
    expect(createAccessToken('a', ours, { credentials })).toBe(before);
  });
});

// One copy of the package per process: /twilio, like createAccessToken, takes only the grants this
// copy made. A value with the brand that it did not make (another installed copy's, or a forgery)
// is refused, never read, with the fix named.
describe('toTwilioAccessToken with a grant of another copy', () => {
  const BRAND = Symbol.for('twilio-access-token.grant');
  const OTHER_COPY =
    /^Invalid grants\[0\]: .*received a grant from another copy of twilio-access-token .*same import as createAccessToken/;
  test.each([
    ['one this copy would make', { room: 'standup' }],
    ['one this copy would not make', { room: 'r', admin: true }],
  ])('refuses %s with ERR_INVALID_GRANT', (_name, payload) => {
    const foreign = { product: 'video', key: 'video', payload };
    Object.defineProperty(foreign, BRAND, { value: true });
    expectError(
      () => toTwilioAccessToken('alice', [foreign as never], { credentials }),
      'ERR_INVALID_GRANT',
      'grants[0]',
      OTHER_COPY,
    );
  });
});
