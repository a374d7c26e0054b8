import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  chatGrant,
  createAccessToken,
  type Grant,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { credentials, expectError, sid, TwilioAccessToken } from '../helpers.js';

// What the factories do with what they are given: every option read once, `undefined` refused in
// every option, unknown keys named only when close to a known one, long strings never echoed.

type Factory = (options: never) => Grant;
/** Each factory with options that make a valid grant, every option set. */
const FULL: readonly [string, Factory, Record<string, unknown>][] = [
  ['video', videoGrant as Factory, { room: 'standup' }],
  [
    'chat',
    chatGrant as Factory,
    { serviceSid: sid('IS'), endpointId: 'e', deploymentRoleSid: sid('RL'), pushCredentialSid: sid('CR') },
  ],
  [
    'voice',
    voiceGrant as Factory,
    {
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: 1 },
      incomingAllow: true,
      pushCredentialSid: sid('CR'),
      endpointId: 'e',
    },
  ],
  ['sync', syncGrant as Factory, { serviceSid: sid('IS'), endpointId: 'e' }],
  ['taskRouter', taskRouterGrant as Factory, { workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'worker' }],
  ['playback', playbackGrant as Factory, { grant: { url: 'u' } }],
];
const EVERY_OPTION = FULL.flatMap(([product, factory, options]) =>
  Object.keys(options).map((key) => [product, key, factory, options] as const),
);

describe('a key present with the value undefined', () => {
  test.each(EVERY_OPTION)('is refused at grants.%s.%s', (product, key, factory, options) => {
    expectError(
      () => factory({ ...options, [key]: undefined } as never),
      'ERR_INVALID_GRANT',
      `grants.${product}.${key}`,
      new RegExp(
        `^Invalid grants\\.${product}\\.${key}: expected a value, or no such key, received undefined\\. Omit the key.*set the variable`,
      ),
    );
  });

  test('voiceGrant({ outgoingApplicationSid: process.env.UNSET, incomingAllow: true }) does not drop outgoing calls', () => {
    expectError(
      () => voiceGrant({ outgoingApplicationSid: process.env.TWILIO_ACCESS_TOKEN_TEST_UNSET, incomingAllow: true }),
      'ERR_INVALID_GRANT',
      'grants.voice.outgoingApplicationSid',
      /Omit the key, or set the variable it was read from/,
    );
  });

  test.each([
    ['video', () => videoGrant({ room: undefined }), 'grants.video.room', /Omit the key to mean every Room/],
    [
      'sync',
      () => syncGrant({ serviceSid: undefined }),
      'grants.sync.serviceSid',
      /Omit the key to mean the account's default Sync service/,
    ],
  ])('where it would widen access (%s), says what omitting the key means', (_p, fn, path, message) => {
    expectError(fn, 'ERR_INVALID_GRANT', path, message);
  });
});

describe('options are read once, as they were when the factory ran', () => {
  test('a getter that answers differently the second time cannot widen a grant', () => {
    let reads = 0;
    const options = {
      get room() {
        reads++;
        return reads === 1 ? 'standup' : undefined;
      },
    };
    expect(videoGrant(options).payload).toEqual({ room: 'standup' });
    expect(reads).toBe(1);
  });

  test('a Proxy is asked once per key', () => {
    const gets: PropertyKey[] = [];
    const proxy = new Proxy(
      { incomingAllow: true },
      {
        get: (t, k) => {
          gets.push(k);
          return Reflect.get(t, k);
        },
      },
    );
    expect(voiceGrant(proxy).payload).toEqual({ incoming: { allow: true } });
    expect(gets).toEqual(['incomingAllow']);
  });

  test('a polluted Object.prototype adds nothing', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.room = 'polluted';
    proto.incomingAllow = true;
    try {
      expect(videoGrant().payload).toEqual({});
      expect(videoGrant({}).payload).toEqual({});
      expectError(() => voiceGrant({}), 'ERR_INVALID_GRANT', 'grants.voice', /allows nothing/);
    } finally {
      delete proto.room;
      delete proto.incomingAllow;
    }
  });

  test('params with a getter are refused, not called', () => {
    let called = false;
    const params = {
      get to() {
        called = true;
        return 'x';
      },
    };
    expectError(
      () => voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params }),
      'ERR_INVALID_GRANT',
      'grants.voice.outgoingApplicationParams.to',
      /expected a JSON value, received a getter$/,
    );
    expect(called).toBe(false);
  });

  test('a playback grant whose references expand exponentially is refused quickly', () => {
    let node: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 30; i++) node = { a: node, b: node };
    const started = Date.now();
    expect(() => playbackGrant({ grant: node })).toThrow(/expected JSON of at most 10000 values/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('unknown and prototype-named keys', () => {
  test('a near miss is named with the suggestion', () => {
    expectError(
      () => videoGrant({ roomName: 'r' } as never),
      'ERR_INVALID_GRANT',
      'grants.video.roomName',
      'Invalid grants.video.roomName: unknown option "roomName" (did you mean "room"?); known options: room',
    );
    expectError(
      () => voiceGrant({ incomingallow: true } as never),
      'ERR_INVALID_GRANT',
      'grants.voice.incomingallow',
      /unknown option "incomingallow" \(did you mean "incomingAllow"\?\)/,
    );
  });

  test.each([
    ['a key far from every known one', { apiKeySecret: 'x' }, 12],
    ['a long key', { ['s'.repeat(40)]: 'x' }, 40],
    ['"constructor"', JSON.parse('{"constructor":{"prototype":{"polluted":1}}}'), 11],
    ['"__proto__" from JSON.parse', JSON.parse('{"__proto__":{"polluted":1}}'), 9],
  ])('%s is described by its length, in neither message nor path, and pollutes nothing', (_name, options, length) => {
    const [key] = Object.keys(options);
    for (const [product, factory] of FULL) {
      expectError(
        () => factory(options as never),
        'ERR_INVALID_GRANT',
        `grants.${product}`,
        new RegExp(`^Invalid grants\\.${product}: unknown option \\(a key of ${length} characters\\)`),
      );
      try {
        factory(options as never);
      } catch (error) {
        expect((error as Error).message).not.toContain(key);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a symbol key is refused as unknown', () => {
    expectError(
      () => videoGrant({ [Symbol('room')]: 'x' } as never),
      'ERR_INVALID_GRANT',
      'grants.video',
      /unknown option \(a symbol key\)/,
    );
  });
});

describe('values in messages', () => {
  const long = 'zq'.repeat(20);
  const shown = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return `${(error as Error).message} ${(error as { path?: string }).path} ${JSON.stringify(error)}`;
    }
    throw new Error('did not throw');
  };

  test.each<[string, () => unknown, RegExp]>([
    ['room', () => videoGrant({ room: 42 as never }), /received 42$/],
    ['a long non-string room', () => videoGrant({ room: [long] as never }), /received an array/],
    ['a long incomingAllow', () => voiceGrant({ incomingAllow: long as never }), /received a string of 40 characters$/],
    [
      'a long SID',
      () => chatGrant({ serviceSid: `MG${long}` }),
      /received a string of 42 characters starting with "MG"$/,
    ],
    ['a long SID in lower case', () => chatGrant({ serviceSid: long }), /received a string of 40 characters$/],
    [
      'a long string in params',
      () => voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: { [long]: Number.NaN } }),
      /received NaN$/,
    ],
    [
      'a long playback grant string',
      () => playbackGrant({ grant: long as never }),
      /received a string of 40 characters$/,
    ],
    [
      'a playback grant with a long key',
      () => playbackGrant({ grant: { [long]: () => 1 } as never }),
      /received a function$/,
    ],
  ])('%s: a caller string longer than 8 characters is never shown', (_name, fn, tail) => {
    const text = shown(fn);
    expect(text).toMatch(tail.source.endsWith('$') ? new RegExp(tail.source.slice(0, -1)) : tail);
    for (let i = 0; i + 6 <= long.length; i++) expect(text).not.toContain(long.slice(i, i + 6));
  });

  test('a short string is shown', () => {
    expectError(
      () => voiceGrant({ incomingAllow: 'true' as never }),
      'ERR_INVALID_GRANT',
      'grants.voice.incomingAllow',
      /received "true"$/,
    );
  });

  test('no 32-40 character string in any option position reaches a message or path (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVERY_OPTION),
        fc.string({ unit: fc.constantFrom(...'qxzjkvwy23456789'.split('')), minLength: 32, maxLength: 40 }),
        fc.constantFrom('value', 'nested', 'key'),
        ([, key, factory, options], secret, where) => {
          const value = where === 'value' ? secret : where === 'nested' ? { a: [secret, () => 1] } : { [secret]: 1n };
          const text = (() => {
            try {
              factory({ ...options, [key]: value } as never);
              return '';
            } catch (error) {
              return `${(error as Error).message} ${(error as { path?: string }).path} ${JSON.stringify(error)}`;
            }
          })();
          for (let i = 0; i + 6 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 6));
        },
      ),
    );
  });
});

describe('common mistakes name the fix', () => {
  const mint = (grants: unknown) => createAccessToken('alice', grants as never, { credentials });

  test.each<[string, unknown]>([
    ['a twilio VideoGrant', new TwilioAccessToken.VideoGrant({ room: 'r' })],
    ['a twilio VoiceGrant', new TwilioAccessToken.VoiceGrant({ incomingAllow: true })],
    ['an object with toPayload()', { key: 'video', toPayload: () => ({}) }],
  ])('%s in the grants position points at fromTwilioGrant', (_name, grant) => {
    expectError(
      () => mint(grant),
      'ERR_INVALID_GRANT',
      'grants',
      /A grant of the twilio package must be converted with fromTwilioGrant\(\) from 'twilio-access-token\/twilio'$/,
    );
    expectError(() => mint([videoGrant(), grant]), 'ERR_INVALID_GRANT', 'grants[1]', /fromTwilioGrant\(\)/);
  });

  test('a Promise in the grants position: missing await?', () => {
    const pending = Promise.resolve(videoGrant());
    expectError(() => mint(pending), 'ERR_INVALID_GRANT', 'grants', /a Promise: missing await\?/);
    expectError(() => mint([pending]), 'ERR_INVALID_GRANT', 'grants[0]', /a Promise: missing await\?/);
  });

  test.each(FULL)('%sGrant given a Promise: missing await?', (product, factory, options) => {
    expectError(
      () => factory(Promise.resolve(options) as never),
      'ERR_INVALID_GRANT',
      `grants.${product}`,
      /a Promise: missing await\?/,
    );
  });

  test('a hostile Proxy in the grants position is an AccessTokenError, not a crash', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
        getPrototypeOf: () => {
          throw new Error('boom');
        },
      },
    );
    expectError(() => mint([hostile]), 'ERR_INVALID_GRANT', 'grants[0]', /^Invalid grants\[0\]/);
  });
});
