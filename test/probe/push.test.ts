import { describe, expect, test } from 'vitest';
import { createAccessToken, voiceGrant } from '../../src/index.js';
import { probeCredentials } from '../../src/probe.js';
import { ACCOUNT, BODIES, CREDENTIALS, fakeTwilioPerFile } from './fake-twilio.js';

// expectPush: an app's push credential map checked against a fake Twilio answering with the
// Credential resource as Twilio documents it (`type` apn|fcm|gcm, `sandbox` "true"|"false"; see
// fake-twilio.ts). Each credential of the wrong kind for its place is an error at its path.

const CR = (n: number) => `CR${n.toString(16).padStart(32, '0')}`;
const APN = CR(1);
const APN_SANDBOX = CR(2);
const FCM = CR(3);
const GCM = CR(4);
const MISSING = CR(5);

const fake = fakeTwilioPerFile((fake) => {
  const set = (sid: string, type: 'apn' | 'fcm' | 'gcm', sandbox: string | null) =>
    fake.resources.set(`us1 chat /v2/Credentials/${sid}`, BODIES.credential(sid, ACCOUNT, type, sandbox));
  set(APN, 'apn', 'false');
  set(APN_SANDBOX, 'apn', 'true');
  set(FCM, 'fcm', null);
  set(GCM, 'gcm', null);
});

const probe = (expectPush: unknown, extra: Record<string, unknown> = {}) =>
  probeCredentials(CREDENTIALS, { fetch: fake.fetch, expectPush, ...extra } as never);
const codes = (report: { findings: readonly { code: string; path?: string; twilioError?: number }[] }) =>
  report.findings.map((f) => `${f.code}${f.twilioError === undefined ? '' : ` (${f.twilioError})`} at ${f.path}`);

describe('probeCredentials with expectPush', () => {
  test('a right map: ok, each credential reported with its type and sandbox flag', async () => {
    const report = await probe({ ios: { production: APN, sandbox: APN_SANDBOX }, android: FCM });
    expect(codes(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.pushCredentials).toEqual([
      { path: 'push.ios.production', sid: APN, type: 'apn', sandbox: false },
      { path: 'push.ios.sandbox', sid: APN_SANDBOX, type: 'apn', sandbox: true },
      { path: 'push.android', sid: FCM, type: 'fcm', sandbox: false },
    ]);
    expect(fake.urls.filter((u) => u.includes('/Credentials/'))).toEqual([
      `https://chat.twilio.com/v2/Credentials/${APN}`,
      `https://chat.twilio.com/v2/Credentials/${APN_SANDBOX}`,
      `https://chat.twilio.com/v2/Credentials/${FCM}`,
    ]);
  });

  test.each([
    ['an APNs credential under android', { android: APN }, 'PUSH_CREDENTIAL_WRONG_TYPE (52003) at push.android'],
    ['an FCM credential under ios', { ios: FCM }, 'PUSH_CREDENTIAL_WRONG_TYPE (52003) at push.ios.production'],
    [
      'an FCM credential under ios.sandbox',
      { ios: { production: APN, sandbox: FCM } },
      'PUSH_CREDENTIAL_WRONG_TYPE (52003) at push.ios.sandbox',
    ],
    [
      'a sandbox credential under production',
      { ios: APN_SANDBOX },
      'PUSH_CREDENTIAL_WRONG_ENVIRONMENT (52134) at push.ios.production',
    ],
    [
      'a production credential under sandbox',
      { ios: { production: APN_SANDBOX, sandbox: APN } },
      'PUSH_CREDENTIAL_WRONG_ENVIRONMENT (52134) at push.ios.production',
    ],
    ['a GCM credential under android', { android: GCM }, 'PUSH_CREDENTIAL_GCM at push.android'],
    ['a credential Twilio does not have', { android: MISSING }, 'RESOURCE_NOT_FOUND (20404) at push.android'],
  ])('%s: an error finding at its path', async (_name, map, expected) => {
    const report = await probe(map);
    expect(codes(report)[0]).toBe(expected);
    expect(report.ok).toBe(!expected.startsWith('PUSH_CREDENTIAL_WRONG') && !expected.startsWith('RESOURCE'));
  });

  test('the messages say what the app would see and what to do', async () => {
    const report = await probe({ ios: APN_SANDBOX, android: APN });
    expect(report.findings.map((f) => f.message)).toEqual([
      'The push credential is for sandbox APNs, but push.ios.production serves App Store and TestFlight builds: their device tokens are refused there (52134, invalid APNs device token); use a credential without sandbox',
      'The push credential is of type apn, but push.android is for Android (FCM): Twilio refuses to send with it (52003, invalid credential type) and the phone never rings; use a credential of type fcm',
    ]);
  });

  test.each([
    ['no type', { sid: APN }],
    ['an unknown type', { sid: APN, type: 'webpush', sandbox: 'false' }],
    ['an apn without a sandbox flag', { sid: APN, type: 'apn' }],
    ['a sandbox of "maybe"', { sid: APN, type: 'apn', sandbox: 'maybe' }],
    ['an inherited type', JSON.parse('{"__proto__": {"type": "apn", "sandbox": "false"}}') as object],
  ])('a 200 with %s is PROBE_INCONCLUSIVE, never ok', async (_name, body) => {
    fake.resources.set(`us1 chat /v2/Credentials/${APN}`, body as Record<string, unknown>);
    const report = await probe({ ios: APN });
    expect(codes(report)).toEqual(['PROBE_INCONCLUSIVE at push.ios.production']);
    expect(report.ok).toBe(false);
  });

  test.each([
    ['a non-CR SID', { android: `SK${'0'.repeat(32)}` }, 'options.expectPush.android'],
    ['an upper-case platform', { IOS: APN }, 'options.expectPush.IOS'],
    ['a __proto__ key', JSON.parse(`{"__proto__": {"android": "${FCM}"}}`), 'options.expectPush'],
    ['no platform', {}, 'options.expectPush'],
    ['undefined', undefined, 'options.expectPush'],
  ])('%s is ERR_INVALID_OPTION at %s, before any request', async (_name, map, path) => {
    await expect(probe(map)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', path });
    expect(fake.urls).toEqual([]);
  });

  test("a token's push credential is reported with its type and sandbox flag", async () => {
    const token = createAccessToken('alice', voiceGrant({ incomingAllow: true, pushCredentialSid: APN_SANDBOX }), {
      credentials: CREDENTIALS,
    });
    const report = await probeCredentials(CREDENTIALS, { fetch: fake.fetch, token });
    expect(report.pushCredentials).toEqual([
      { path: 'payload.grants.voice.push_credential_sid', sid: APN_SANDBOX, type: 'apn', sandbox: true },
    ]);
    expect(codes(report)).toEqual(['PUSH_CREDENTIAL_SANDBOX at payload.grants.voice.push_credential_sid']);
  });
});
