import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
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
import { credentials, freezeClock, sid, TwilioAccessToken as T } from '../helpers.js';

// attack4 (round: grant JSON written field by field with precomputed keys): byte identity with
// twilio-node for hostile but valid inputs: own "__proto__"/"constructor" keys, integer-like keys,
// escapes, lone surrogates, U+2028/9, -0, 1e21, null-prototype, frozen, sealed, Proxy and getter
// options. (Holds.)

beforeEach(() => freezeClock());
afterEach(() => vi.useRealTimers());

const AP = sid('AP');
const theirs = (grant: unknown) => {
  const t = new T(credentials.accountSid, credentials.apiKeySid, credentials.apiKeySecret, { identity: 'alice' });
  t.addGrant(grant as never);
  return t.toJwt();
};
const ours = (grant: Grant) => createAccessToken('alice', grant, { credentials });

const hostile = JSON.parse(
  '{"__proto__":{"x":1},"constructor":"c","toString":"t","2":"two","1":"one","b":"\\u2028\\u2029\\ud800","a":"\\u0000\\"\\\\</script>","n":-0,"e":1e21,"f":5e-324,"arr":[{"__proto__":null}]}',
);

const cases: [string, () => Grant, () => unknown][] = [
  [
    'voice params with prototype-named and integer keys',
    () => voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: hostile }),
    () => new T.VoiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: hostile }),
  ],
  [
    'null-prototype params',
    () =>
      voiceGrant({
        outgoingApplicationSid: AP,
        outgoingApplicationParams: Object.assign(Object.create(null), { z: 1, a: [] }),
      }),
    () => new T.VoiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { z: 1, a: [] } }),
  ],
  [
    'frozen video with escapes',
    () => videoGrant(Object.freeze({ room: 'r\u2028"\\</script>\ud800' })),
    () => new T.VideoGrant({ room: 'r\u2028"\\</script>\ud800' }),
  ],
  [
    'sealed chat, every field, mixed-case SIDs',
    () =>
      chatGrant(
        Object.seal({
          serviceSid: `IS${'A'.repeat(32)}`,
          endpointId: 'e\ud800',
          deploymentRoleSid: `RL${'f'.repeat(32)}`,
          pushCredentialSid: `CR${'F'.repeat(32)}`,
        }),
      ),
    () =>
      new T.ChatGrant({
        serviceSid: `IS${'A'.repeat(32)}`,
        endpointId: 'e\ud800',
        deploymentRoleSid: `RL${'f'.repeat(32)}`,
        pushCredentialSid: `CR${'F'.repeat(32)}`,
      }),
  ],
  ['Proxy options', () => videoGrant(new Proxy({ room: 'x' }, {})), () => new T.VideoGrant({ room: 'x' })],
  [
    'getter options (read once)',
    () => {
      let n = 0;
      return videoGrant({
        get room() {
          n++;
          return `g${n}`;
        },
      });
    },
    () => new T.VideoGrant({ room: 'g1' }),
  ],
  [
    'voice every field',
    () =>
      voiceGrant({
        incomingAllow: true,
        outgoingApplicationSid: AP,
        outgoingApplicationParams: {},
        pushCredentialSid: sid('CR', '1'),
        endpointId: 'x',
      }),
    () =>
      new T.VoiceGrant({
        incomingAllow: true,
        outgoingApplicationSid: AP,
        outgoingApplicationParams: {},
        pushCredentialSid: sid('CR', '1'),
        endpointId: 'x',
      }),
  ],
  [
    'voice incoming false with AP',
    () => voiceGrant({ incomingAllow: false, outgoingApplicationSid: AP }),
    () => new T.VoiceGrant({ incomingAllow: false, outgoingApplicationSid: AP }),
  ],
  ['sync empty', () => syncGrant(), () => new T.SyncGrant()],
  [
    'taskRouter with U+2029 role',
    () => taskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'r\u2029' }),
    () => new T.TaskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'r\u2029' }),
  ],
  [
    'playback with __proto__ keys',
    () => playbackGrant({ grant: hostile }),
    () => new T.PlaybackGrant({ grant: hostile }),
  ],
];

describe('grant bytes for hostile valid inputs (attack4)', () => {
  test.each(cases)('%s', (_name, mine, twilio) => {
    expect(ours(mine())).toBe(theirs(twilio()));
  });
});
