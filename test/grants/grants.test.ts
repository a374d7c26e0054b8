import { describe, expect, test } from 'vitest';
import {
  chatGrant,
  conversationsGrant,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { expectError, sid } from '../helpers.js';

describe('grant factories', () => {
  test('return frozen plain data with product, wire key and payload', () => {
    const g = voiceGrant({
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { a: { b: 1 } },
      incomingAllow: true,
    });
    expect(g).toEqual({
      product: 'voice',
      key: 'voice',
      payload: { incoming: { allow: true }, outgoing: { application_sid: sid('AP'), params: { a: { b: 1 } } } },
    });
    expect(Object.isFrozen(g)).toBe(true);
    expect(Object.isFrozen(g.payload)).toBe(true);
    expect(Object.isFrozen(g.payload.outgoing)).toBe(true);
    expect(Object.isFrozen(g.payload.outgoing?.params?.a)).toBe(true);
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });

  test('are not changed by later changes to the options object', () => {
    const params = { to: 'a', list: [1] };
    const options = { outgoingApplicationSid: sid('AP'), outgoingApplicationParams: params };
    const g = voiceGrant(options);
    params.to = 'b';
    params.list.push(2);
    options.outgoingApplicationSid = 'changed';
    expect(g.payload.outgoing).toEqual({ application_sid: sid('AP'), params: { to: 'a', list: [1] } });
    const grant = { playbackUrl: 'u' };
    const p = playbackGrant({ grant });
    grant.playbackUrl = 'changed';
    expect(p.payload).toEqual({ playbackUrl: 'u' });
  });

  test("build the wire payloads in the contract's field order", () => {
    expect(videoGrant()).toEqual({ product: 'video', key: 'video', payload: {} });
    expect(videoGrant({ room: 'r' }).payload).toEqual({ room: 'r' });
    expect(
      Object.keys(
        chatGrant({
          pushCredentialSid: sid('CR'),
          deploymentRoleSid: sid('RL'),
          endpointId: 'e',
          serviceSid: sid('IS'),
        }).payload,
      ),
    ).toEqual(['service_sid', 'endpoint_id', 'deployment_role_sid', 'push_credential_sid']);
    expect(
      Object.keys(
        voiceGrant({
          endpointId: 'e',
          pushCredentialSid: sid('CR'),
          outgoingApplicationSid: sid('AP'),
          incomingAllow: true,
        }).payload,
      ),
    ).toEqual(['incoming', 'outgoing', 'push_credential_sid', 'endpoint_id']);
    expect(voiceGrant({ incomingAllow: true }).payload).toEqual({ incoming: { allow: true } });
    expect(syncGrant()).toEqual({ product: 'sync', key: 'data_sync', payload: {} });
    expect(syncGrant({ endpointId: 'e', serviceSid: sid('IS') }).payload).toEqual({
      service_sid: sid('IS'),
      endpoint_id: 'e',
    });
    expect(Object.keys(taskRouterGrant({ role: 'r', workerSid: sid('WK'), workspaceSid: sid('WS') }).payload)).toEqual([
      'workspace_sid',
      'worker_sid',
      'role',
    ]);
    expect(taskRouterGrant({ workerSid: sid('WK'), workspaceSid: sid('WS') }).key).toBe('task_router');
    expect(playbackGrant({ grant: { x: 1 } })).toEqual({ product: 'playback', key: 'player', payload: { x: 1 } });
  });

  test('accept SIDs in either case', () => {
    expect(chatGrant({ serviceSid: `IS${'aBcDeF0123456789'.repeat(2)}` }).payload.service_sid).toHaveLength(34);
  });

  test('conversationsGrant is chatGrant', () => {
    expect(conversationsGrant).toBe(chatGrant);
  });

  test('keep an own "__proto__" key of a JSON object as data', () => {
    const grant = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    const g = playbackGrant({ grant });
    expect(Object.keys(g.payload)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

const AP = sid('AP');
const cycle: Record<string, unknown> = {};
cycle.self = cycle;

describe('grant factories throw ERR_INVALID_GRANT', () => {
  test.each<[string, () => unknown, string | RegExp, string | RegExp]>([
    [
      'for an empty room',
      () => videoGrant({ room: '' }),
      'grants.video.room',
      /^Invalid grants\.video\.room: expected a non-empty string, received (""|an empty string)$/,
    ],
    [
      'for a numeric room',
      () => videoGrant({ room: 42 as never }),
      'grants.video.room',
      'Invalid grants.video.room: expected a non-empty string, received 42',
    ],
    [
      'for a misspelt video option',
      () => videoGrant({ roomName: 'r' } as never),
      'grants.video.roomName',
      'Invalid grants.video.roomName: unknown option "roomName" (did you mean "room"?); known options: room',
    ],
    [
      'for video options that are not an object',
      () => videoGrant('r' as never),
      'grants.video',
      'Invalid grants.video: expected an options object (a plain object literal), received a string of 1 character',
    ],
    [
      'for chat without options',
      () => chatGrant(undefined as never),
      'grants.chat',
      'Invalid grants.chat: expected an options object (a plain object literal), received undefined',
    ],
    [
      'for chat without a service SID',
      () => chatGrant({} as never),
      'grants.chat.serviceSid',
      'Invalid grants.chat.serviceSid: expected a Conversations Service SID (IS followed by 32 hex digits), received undefined',
    ],
    [
      'for chat with a service SID of the wrong prefix',
      () => chatGrant({ serviceSid: sid('MG') }),
      'grants.chat.serviceSid',
      'Invalid grants.chat.serviceSid: expected a Conversations Service SID (IS followed by 32 hex digits), received a string of 34 characters starting with "MG"',
    ],
    [
      'for chat with a short SID',
      () => chatGrant({ serviceSid: 'IS123' }),
      'grants.chat.serviceSid',
      /received a string of 5 characters starting with "IS"$/,
    ],
    [
      'for chat with non-hex digits',
      () => chatGrant({ serviceSid: `IS${'g'.repeat(32)}` }),
      'grants.chat.serviceSid',
      /IS followed by 32 hex digits/,
    ],
    [
      'for chat with an empty endpointId',
      () => chatGrant({ serviceSid: sid('IS'), endpointId: '' }),
      'grants.chat.endpointId',
      /expected a non-empty string/,
    ],
    [
      'for chat with a bad role SID',
      () => chatGrant({ serviceSid: sid('IS'), deploymentRoleSid: sid('IS') }),
      'grants.chat.deploymentRoleSid',
      /a Role SID \(RL/,
    ],
    [
      'for chat with a bad push credential',
      () => chatGrant({ serviceSid: sid('IS'), pushCredentialSid: 'CR' }),
      'grants.chat.pushCredentialSid',
      /a Push Credential SID \(CR/,
    ],
    [
      'for a string incomingAllow',
      () => voiceGrant({ incomingAllow: 'true' as never, outgoingApplicationSid: AP }),
      'grants.voice.incomingAllow',
      'Invalid grants.voice.incomingAllow: expected a boolean, received "true"',
    ],
    [
      'for a numeric incomingAllow',
      () => voiceGrant({ incomingAllow: 1 as never }),
      'grants.voice.incomingAllow',
      /expected a boolean, received 1$/,
    ],
    [
      'for a voice grant that grants nothing',
      () => voiceGrant({}),
      'grants.voice',
      'Invalid grants.voice: expected an outgoingApplicationSid and/or incomingAllow: true, received a grant that allows nothing',
    ],
    [
      'for a voice grant with incomingAllow false only',
      () => voiceGrant({ incomingAllow: false }),
      'grants.voice',
      /received a grant that allows nothing$/,
    ],
    [
      'for params without an AP SID',
      () => voiceGrant({ incomingAllow: true, outgoingApplicationParams: { a: 1 } }),
      'grants.voice.outgoingApplicationParams',
      'Invalid grants.voice.outgoingApplicationParams: expected params only with an outgoingApplicationSid, received params without one',
    ],
    [
      'for an Account SID as the TwiML App',
      () => voiceGrant({ outgoingApplicationSid: sid('AC') }),
      'grants.voice.outgoingApplicationSid',
      /a TwiML App SID \(AP/,
    ],
    [
      'for params that are an array',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: [1] as never }),
      'grants.voice.outgoingApplicationParams',
      /a plain JSON object, received an array/,
    ],
    [
      'for params that are a Map',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: new Map() as never }),
      'grants.voice.outgoingApplicationParams',
      /a plain JSON object, received an object/,
    ],
    [
      'for params with undefined',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { a: undefined } }),
      'grants.voice.outgoingApplicationParams.a',
      /a JSON value/,
    ],
    [
      'for params with NaN',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { n: Number.NaN } }),
      'grants.voice.outgoingApplicationParams.n',
      /finite number/,
    ],
    [
      'for params with a Date',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { d: new Date(0) } }),
      'grants.voice.outgoingApplicationParams.d',
      /received a Date/,
    ],
    [
      'for params with a function',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { f: () => 1 } }),
      'grants.voice.outgoingApplicationParams.f',
      /received a function/,
    ],
    [
      'for params with a bigint in an array',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { l: [1, 2n] } }),
      'grants.voice.outgoingApplicationParams.l[1]',
      /received a bigint/,
    ],
    [
      'for params with a cycle',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: cycle }),
      /^grants\.voice\.outgoingApplicationParams(\.self)+$/ as never,
      /nested at most 32 levels/,
    ],
    [
      'for params with a symbol key',
      () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { [Symbol('s')]: 1 } }),
      'grants.voice.outgoingApplicationParams',
      /without symbol keys/,
    ],
    [
      'for a bad voice push credential',
      () => voiceGrant({ incomingAllow: true, pushCredentialSid: sid('AP') }),
      'grants.voice.pushCredentialSid',
      /Push Credential SID/,
    ],
    [
      'for an empty voice endpointId',
      () => voiceGrant({ incomingAllow: true, endpointId: '' }),
      'grants.voice.endpointId',
      /non-empty string/,
    ],
    [
      'for a bad sync service SID',
      () => syncGrant({ serviceSid: 'default' }),
      'grants.sync.serviceSid',
      /a Sync Service SID \(IS followed by 32 hex digits\), received a string of 7 characters$/,
    ],
    ['for an empty sync endpointId', () => syncGrant({ endpointId: '' }), 'grants.sync.endpointId', /non-empty string/],
    [
      'for taskRouter without a worker',
      () => taskRouterGrant({ workspaceSid: sid('WS') } as never),
      'grants.taskRouter.workerSid',
      /a TaskRouter Worker SID \(WK/,
    ],
    [
      'for taskRouter without a workspace',
      () => taskRouterGrant({ workerSid: sid('WK') } as never),
      'grants.taskRouter.workspaceSid',
      /a TaskRouter Workspace SID \(WS/,
    ],
    [
      'for an empty taskRouter role',
      () => taskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK'), role: '' }),
      'grants.taskRouter.role',
      /non-empty string/,
    ],
    [
      'for taskRouter options that are null',
      () => taskRouterGrant(null as never),
      'grants.taskRouter',
      /an options object \(a plain object literal\), received null/,
    ],
    [
      'for a playback grant that is a string',
      () => playbackGrant({ grant: '{"a":1}' as never }),
      'grants.playback.grant',
      /a plain JSON object, received "\{\\"a\\":1\}"/,
    ],
    [
      'for an empty playback grant',
      () => playbackGrant({ grant: {} }),
      'grants.playback.grant',
      /the non-empty PlaybackGrant object from Twilio/,
    ],
    ['for a missing playback grant', () => playbackGrant({} as never), 'grants.playback.grant', /received undefined/],
  ])('%s', (_name, fn, path, message) => {
    if (typeof path !== 'string') {
      try {
        fn();
      } catch (error) {
        expect((error as { path: string }).path).toMatch(path);
        expect((error as { code: string }).code).toBe('ERR_INVALID_GRANT');
        expect((error as Error).message).toMatch(message);
        return;
      }
      throw new Error('did not throw');
    }
    expectError(fn, 'ERR_INVALID_GRANT', path, message);
  });
});
