import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  chatGrant,
  createAccessToken,
  type Diagnosis,
  diagnoseAccessToken,
  type Grant,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../../src/index.js';
import * as web from '../../../src/web.js';
import {
  arbSecret,
  arbTokenSpec,
  credentials,
  FROZEN_S,
  freezeClock,
  ourGrant,
  ourOptions,
  secretWindows,
  sid,
} from '../../helpers.js';

// Every finding of diagnoseAccessToken, asserted by code, severity and Twilio error; clean tokens
// have none; random strings never make it throw; no output ever holds the secret.

afterEach(() => vi.useRealTimers());

const secret = credentials.apiKeySecret;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
const now = FROZEN_S;
const claims = (extra: Record<string, unknown> = {}, grants: Record<string, unknown> = { video: {} }) => ({
  jti: `${credentials.apiKeySid}-${now}`,
  grants: { identity: 'alice', ...grants },
  iat: now,
  exp: now + 3600,
  iss: credentials.apiKeySid,
  sub: credentials.accountSid,
  ...extra,
});
/** A token with any header and payload, correctly signed with `key` (HS256 HMAC). */
function forge(payload: object, header: object = HEADER, key = secret): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

function only(diagnosis: Diagnosis, code: string) {
  const found = diagnosis.findings.filter((f) => f.code === code);
  expect(found, `${code} in ${JSON.stringify(diagnosis.findings.map((f) => f.code))}`).toHaveLength(1);
  return found[0]!;
}

const ALL_GRANTS: Grant[] = [
  videoGrant({ room: 'standup' }),
  chatGrant({ serviceSid: sid('IS'), pushCredentialSid: sid('CR'), deploymentRoleSid: sid('RL'), endpointId: 'e' }),
  voiceGrant({
    outgoingApplicationSid: sid('AP'),
    outgoingApplicationParams: { a: 1 },
    incomingAllow: true,
    pushCredentialSid: sid('CR'),
  }),
  syncGrant({ serviceSid: sid('IS') }),
  taskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK'), role: 'worker' }),
];

describe('a clean token from createAccessToken has no finding', () => {
  test.each(ALL_GRANTS.map((g) => [g.product, g] as const))('%s, with and without the secret', async (_p, grant) => {
    const token = createAccessToken('alice', grant, { credentials });
    for (const options of [undefined, { apiKeySecret: secret }]) {
      const diagnosis = diagnoseAccessToken(token, options);
      expect(diagnosis).toEqual({ ok: true, header: expect.any(Object), payload: expect.any(Object), findings: [] });
      expect(await web.diagnoseAccessToken(token, options)).toEqual(diagnosis);
    }
  });
  test('every grant at once, in each region that serves them', () => {
    expect(
      diagnoseAccessToken(createAccessToken('alice', ALL_GRANTS, { credentials }), { apiKeySecret: secret }).findings,
    ).toEqual([]);
    const voiceChat = [ALL_GRANTS[1]!, ALL_GRANTS[2]!];
    expect(diagnoseAccessToken(createAccessToken('a', voiceChat, { credentials, region: 'ie1' })).findings).toEqual([]);
    expect(
      diagnoseAccessToken(createAccessToken('a', ALL_GRANTS[2]!, { credentials, region: 'au1' })).findings,
    ).toEqual([]);
  });
});

describe('findings', () => {
  const cases: [
    name: string,
    token: () => string,
    code: string,
    severity: 'error' | 'warning',
    twilioError: number | undefined,
    path?: string,
  ][] = [
    ['not a JWT', () => 'nope', 'MALFORMED_TOKEN', 'error', 20101, 'token'],
    [
      'a pasted JSON response',
      () => JSON.stringify({ token: forge(claims()), ttl: 1 }),
      'MALFORMED_TOKEN',
      'error',
      20101,
    ],
    ['a header that is not JSON', () => `bm9wZQ.${b64(claims())}.x`, 'MALFORMED_TOKEN', 'error', 20101],
    [
      'expired (now >= exp)',
      () => forge(claims({ iat: now - 7200, exp: now - 3600 })),
      'TOKEN_EXPIRED',
      'error',
      20104,
      'payload.exp',
    ],
    ['exactly at exp', () => forge(claims({ iat: now - 3600, exp: now })), 'TOKEN_EXPIRED', 'error', 20104],
    ['a ttl over 24 h', () => forge(claims({ exp: now + 86_401 })), 'TTL_TOO_LONG', 'error', 20157, 'payload.exp'],
    [
      'exp in milliseconds',
      () => forge(claims({ exp: (now + 3600) * 1000 })),
      'TIME_IN_MILLISECONDS',
      'error',
      20157,
      'payload.exp',
    ],
    ['no exp', () => forge(claims({ exp: undefined })), 'EXPIRY_MISSING', 'error', 20104],
    ['exp not a number', () => forge(claims({ exp: 'tomorrow' })), 'CLAIM_NOT_A_NUMBER', 'error', 20104],
    ['exp before iat', () => forge(claims({ iat: now + 10, exp: now + 5 })), 'EXPIRES_BEFORE_ISSUED', 'error', 20104],
    [
      'nbf in the future',
      () => forge(claims({ nbf: now + 600 })),
      'TOKEN_NOT_YET_VALID',
      'error',
      20105,
      'payload.nbf',
    ],
    [
      'iat in the future (clock skew)',
      () => forge(claims({ iat: now + 300, exp: now + 3900, jti: `${credentials.apiKeySid}-${now + 300}` })),
      'ISSUED_IN_THE_FUTURE',
      'warning',
      undefined,
      'payload.iat',
    ],
    [
      'an Account SID as issuer',
      () => forge(claims({ iss: credentials.accountSid, jti: `${credentials.accountSid}-${now}` })),
      'ISSUER_IS_ACCOUNT_SID',
      'error',
      20103,
      'payload.iss',
    ],
    [
      'an issuer that is no SID',
      () => forge(claims({ iss: 'me', jti: `me-${now}` })),
      'ISSUER_NOT_API_KEY',
      'error',
      20103,
    ],
    [
      'sub not an Account SID',
      () => forge(claims({ sub: credentials.apiKeySid })),
      'SUBJECT_NOT_ACCOUNT_SID',
      'error',
      20103,
      'payload.sub',
    ],
    ['jti not <iss>-<iat>', () => forge(claims({ jti: 'random' })), 'JTI_UNUSUAL', 'warning', undefined, 'payload.jti'],
    [
      'HS512',
      () => forge(claims(), { ...HEADER, alg: 'HS512' }),
      'ALGORITHM_NOT_HS256',
      'warning',
      20160,
      'header.alg',
    ],
    ['alg none', () => `${b64({ ...HEADER, alg: 'none' })}.${b64(claims())}.`, 'UNSUPPORTED_ALGORITHM', 'error', 20160],
    ['no cty', () => forge(claims(), { alg: 'HS256', typ: 'JWT' }), 'CONTENT_TYPE_WRONG', 'error', 20102, 'header.cty'],
    ['typ not JWT', () => forge(claims(), { ...HEADER, typ: 'JWS' }), 'TYPE_WRONG', 'error', 20102],
    ['a crit header', () => forge(claims(), { ...HEADER, crit: ['x'] }), 'CRITICAL_HEADER', 'error', 20102],
    [
      'no identity',
      () => forge(claims({ grants: { video: {} } })),
      'IDENTITY_MISSING',
      'error',
      undefined,
      'payload.grants.identity',
    ],
    [
      'an identity with a newline',
      () => forge(claims({}, { identity: 'a\nb', video: {} })),
      'INVALID_IDENTITY',
      'error',
      undefined,
    ],
    [
      'an identity too long for Video',
      () => forge(claims({}, { identity: 'é'.repeat(70), video: {} })),
      'IDENTITY_TOO_LONG_FOR_VIDEO',
      'warning',
      53201,
    ],
    [
      'an identity with a space for Voice',
      () => forge(claims({}, { identity: 'alice smith', voice: { incoming: { allow: true } } })),
      'IDENTITY_UNSAFE_FOR_VOICE',
      'warning',
      31105,
    ],
    [
      'an identity over 121 characters for Voice (issue 26: Twilio refuses it, 31105)',
      () => forge(claims({}, { identity: 'a'.repeat(122), voice: { incoming: { allow: true } } })),
      'IDENTITY_TOO_LONG_FOR_VOICE',
      'warning',
      31105,
    ],
    ['no grants object', () => forge(claims({ grants: undefined })), 'GRANTS_MISSING', 'error', 20106],
    [
      'identity only',
      () => forge(claims({ grants: { identity: 'a' } })),
      'NO_GRANTS',
      'error',
      20106,
      'payload.grants',
    ],
    [
      'a Messaging Service SID in the chat grant',
      () => forge(claims({}, { chat: { service_sid: sid('MG') } })),
      'INVALID_GRANT',
      'error',
      20106,
      'payload.grants.chat.service_sid',
    ],
    [
      'a chat grant without service',
      () => forge(claims({}, { chat: {} })),
      'INVALID_GRANT',
      'error',
      20106,
      'payload.grants.chat.service_sid',
    ],
    [
      'incoming.allow as a string',
      () => forge(claims({}, { voice: { incoming: { allow: 'true' } } })),
      'INVALID_GRANT',
      'error',
      20106,
      'payload.grants.voice.incoming.allow',
    ],
    [
      'an outgoing app that is no AP SID',
      () => forge(claims({}, { voice: { outgoing: { application_sid: sid('PN') } } })),
      'INVALID_GRANT',
      'error',
      20106,
    ],
    [
      'a Sync service that is no IS SID',
      () => forge(claims({}, { data_sync: { service_sid: 'default' } })),
      'INVALID_GRANT',
      'error',
      20106,
    ],
    [
      'a TaskRouter worker that is no WK SID',
      () => forge(claims({}, { task_router: { workspace_sid: sid('WS'), worker_sid: sid('WS') } })),
      'INVALID_GRANT',
      'error',
      20106,
    ],
    [
      'an empty video room',
      () => forge(claims({}, { video: { room: '' } })),
      'INVALID_GRANT',
      'error',
      20106,
      'payload.grants.video.room',
    ],
    ['a grant that is not an object', () => forge(claims({}, { video: true })), 'INVALID_GRANT', 'error', 20106],
    [
      'a voice grant granting nothing',
      () => forge(claims({}, { voice: {} })),
      'VOICE_GRANT_EMPTY',
      'warning',
      undefined,
    ],
    [
      'the legacy ip_messaging grant',
      () => forge(claims({}, { video: {}, ip_messaging: { service_sid: sid('IS') } })),
      'GRANT_UNKNOWN',
      'warning',
      undefined,
    ],
    [
      'a playback grant',
      () => createAccessToken('a', playbackGrant({ grant: { x: 1 } }), { credentials }),
      'GRANT_LEGACY_PLAYBACK',
      'warning',
      undefined,
    ],
    [
      'Video in IE1',
      () => createAccessToken('a', videoGrant(), { credentials, region: 'ie1' }),
      'REGION_UNSUPPORTED',
      'error',
      undefined,
      'payload.grants.video',
    ],
    [
      'Sync in AU1',
      () => createAccessToken('a', syncGrant(), { credentials, region: 'au1' }),
      'REGION_UNSUPPORTED',
      'error',
      undefined,
    ],
    [
      'an unknown region',
      () => createAccessToken('a', voiceGrant({ incomingAllow: true }), { credentials, region: 'jp1' }),
      'REGION_UNKNOWN',
      'warning',
      undefined,
      'header.twr',
    ],
  ];

  test.each(cases)('%s: %s', (_name, token, code, severity, twilioError, path) => {
    freezeClock();
    const diagnosis = diagnoseAccessToken(token());
    const finding = only(diagnosis, code);
    expect(finding.severity).toBe(severity);
    expect(finding.twilioError).toBe(twilioError);
    if (path !== undefined) expect(finding.path).toBe(path);
    expect(finding.message.length).toBeGreaterThan(20);
    expect(diagnosis.ok).toBe(!diagnosis.findings.some((f) => f.severity === 'error'));
    if (severity === 'error') expect(diagnosis.ok).toBe(false);
  });

  test('a signature that does not match the secret: 20107', () => {
    const token = forge(claims(), HEADER, 'another-secret');
    expect(diagnoseAccessToken(token, { now }).findings).toEqual([]);
    const finding = only(diagnoseAccessToken(token, { apiKeySecret: secret, now }), 'INVALID_SIGNATURE');
    expect(finding).toMatchObject({ severity: 'error', twilioError: 20107, path: 'signature' });
  });

  test('an Auth Token shaped secret: a warning naming 20107', async () => {
    const authToken = 'f'.repeat(32);
    const token = forge(claims(), HEADER, authToken);
    const diagnosis = diagnoseAccessToken(token, { apiKeySecret: authToken, now });
    expect(only(diagnosis, 'SECRET_LOOKS_LIKE_AUTH_TOKEN')).toMatchObject({ severity: 'warning', twilioError: 20107 });
    expect(diagnosis.ok).toBe(true);
    expect(await web.diagnoseAccessToken(token, { apiKeySecret: authToken, now })).toEqual(diagnosis);
  });

  test('errors come before warnings, and header and payload are given when decodable', () => {
    const diagnosis = diagnoseAccessToken(forge(claims({ jti: 'x', exp: now - 1, iat: now - 100 })), { now });
    expect(diagnosis.findings.map((f) => f.severity)).toEqual(['error', 'warning']);
    expect(diagnosis.payload?.exp).toBe(now - 1);
    expect(diagnoseAccessToken('x.y.z').header).toBeUndefined();
  });

  test('now as a Date', () => {
    const token = forge(claims());
    expect(diagnoseAccessToken(token, { now: new Date((now + 3600) * 1000) }).findings[0]?.code).toBe('TOKEN_EXPIRED');
  });
});

describe('properties', () => {
  test('never throws for any string, and ok matches the findings', () => {
    const valid = createAccessToken('alice', ALL_GRANTS, { credentials });
    const mangled = fc
      .tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 40 }), fc.string({ maxLength: 8 }))
      .map(([at, cut, junk]) => valid.slice(0, at) + junk + valid.slice(at + cut));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mangled),
        // An empty secret is ERR_INVALID_OPTION (a bad options object), not a token finding.
        fc.option(fc.string({ minLength: 1 })),
        (token, key) => {
          const diagnosis = diagnoseAccessToken(token, key === null ? undefined : { apiKeySecret: key });
          expect(diagnosis.ok).toBe(!diagnosis.findings.some((f) => f.severity === 'error'));
          for (const f of diagnosis.findings) expect(typeof f.message).toBe('string');
        },
      ),
    );
  });

  test('any token verifyAccessToken accepts has no error finding', () => {
    freezeClock();
    fc.assert(
      fc.property(arbTokenSpec, (spec) => {
        const options = ourOptions(spec);
        // A region makes products outside it an error by design; the property is about valid tokens.
        const { region: _region, ...rest } = options as typeof options & { region?: string };
        const token = createAccessToken(spec.identity, spec.grants.map(ourGrant), rest);
        const apiKeySecret = rest.credentials.apiKeySecret;
        verifyAccessToken(token, { apiKeySecret, now: FROZEN_S + 0.5 });
        const diagnosis = diagnoseAccessToken(token, { apiKeySecret, now: FROZEN_S + 0.5 });
        expect(diagnosis.findings.filter((f) => f.severity === 'error')).toEqual([]);
      }),
    );
  });

  test('no finding holds the secret or any 6-character window of it', () => {
    fc.assert(
      fc.property(arbSecret(16, 40), fc.constantFrom('sig', 'iss', 'sub', 'room', 'identity-ish'), (key, where) => {
        const payload =
          where === 'iss'
            ? claims({ iss: key })
            : where === 'sub'
              ? claims({ sub: key })
              : where === 'room'
                ? claims({}, { chat: { service_sid: key } })
                : claims({ jti: key });
        const token = forge(payload, HEADER, where === 'sig' ? `${key}x` : key);
        const text = JSON.stringify(diagnoseAccessToken(token, { apiKeySecret: key }).findings);
        for (const window of secretWindows(key)) expect(text).not.toContain(window);
      }),
    );
  });
});
