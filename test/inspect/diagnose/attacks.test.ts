import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  createAccessToken,
  type Diagnosis,
  diagnoseAccessToken,
  type FindingCode,
  isAccessTokenError,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../../src/index.js';
import * as web from '../../../src/web.js';
import { WIRE_FIELDS } from '../../grants/fields-table.js';
import { arbSecret, credentials, FROZEN_S, secretWindows } from '../../helpers.js';

// diagnoseAccessToken under attack: token content named like Object.prototype members in every
// position, unknown grant keys, options that are not what they say, values echoed in messages.

afterEach(() => vi.useRealTimers());

const secret = credentials.apiKeySecret;
const now = FROZEN_S;
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const HEADER = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
const claims = (grants: Record<string, unknown> = { identity: 'alice', video: {} }) => ({
  jti: `${credentials.apiKeySid}-${now}`,
  grants,
  iat: now,
  exp: now + 3600,
  iss: credentials.apiKeySid,
  sub: credentials.accountSid,
});
/** A token whose header and payload are these JSON texts, signed with the test secret (HS256). */
function forgeText(header: string, payload: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const forge = (payload: object, header: object = HEADER) => forgeText(JSON.stringify(header), JSON.stringify(payload));

/** Every finding code, as documented in docs/troubleshooting.md: codes are stable. A Record, so the
 * compiler checks this list against the exported FindingCode union both ways. */
const ALL_CODES: Record<FindingCode, true> = {
  MALFORMED_TOKEN: true,
  UNSUPPORTED_ALGORITHM: true,
  ALGORITHM_NOT_HS256: true,
  CONTENT_TYPE_WRONG: true,
  TYPE_WRONG: true,
  CRITICAL_HEADER: true,
  CLAIM_NOT_A_NUMBER: true,
  TIME_IN_MILLISECONDS: true,
  EXPIRY_MISSING: true,
  TOKEN_EXPIRED: true,
  TTL_TOO_LONG: true,
  EXPIRES_BEFORE_ISSUED: true,
  TOKEN_NOT_YET_VALID: true,
  ISSUED_IN_THE_FUTURE: true,
  ISSUER_IS_ACCOUNT_SID: true,
  ISSUER_NOT_API_KEY: true,
  SUBJECT_NOT_ACCOUNT_SID: true,
  DEMO_CREDENTIALS: true,
  UNKNOWN_KEY: true,
  ACCOUNT_MISMATCH: true,
  KEY_PAST_RETIREMENT: true,
  KEY_RETIRED: true,
  JTI_UNUSUAL: true,
  GRANTS_MISSING: true,
  IDENTITY_MISSING: true,
  INVALID_IDENTITY: true,
  IDENTITY_TOO_LONG_FOR_VIDEO: true,
  IDENTITY_UNSAFE_FOR_VOICE: true,
  IDENTITY_TOO_LONG_FOR_VOICE: true,
  GRANT_UNKNOWN: true,
  GRANT_FIELD_UNKNOWN: true,
  NO_GRANTS: true,
  INVALID_GRANT: true,
  VOICE_GRANT_EMPTY: true,
  GRANT_LEGACY_PLAYBACK: true,
  REGION_UNKNOWN: true,
  REGION_UNSUPPORTED: true,
  SECRET_LOOKS_LIKE_AUTH_TOKEN: true,
  SECRET_HAS_WHITESPACE: true,
  INVALID_SIGNATURE: true,
};
const CODES = new Set(Object.keys(ALL_CODES));

test('every finding code is explained in docs/troubleshooting.md', () => {
  const guide = readFileSync(new URL('../../../docs/troubleshooting.md', import.meta.url), 'utf8');
  expect([...CODES].filter((code) => !guide.includes(`\`${code}\``))).toEqual([]);
});

/** The shape the contract promises, whatever the token held. */
function expectValidDiagnosis(d: Diagnosis): void {
  expect(Object.keys(d).sort()).toEqual(
    d.header === undefined ? ['findings', 'ok'] : ['findings', 'header', 'ok', 'payload'],
  );
  expect(d.ok).toBe(!d.findings.some((f) => f.severity === 'error'));
  let seenWarning = false;
  for (const f of d.findings) {
    expect(['error', 'warning']).toContain(f.severity);
    if (f.severity === 'warning') seenWarning = true;
    else expect(seenWarning, 'errors come first').toBe(false);
    expect(CODES.has(f.code), f.code).toBe(true);
    expect(typeof f.message).toBe('string');
    expect(f.message.length).toBeGreaterThan(10);
    if (f.twilioError !== undefined) expect(Number.isInteger(f.twilioError)).toBe(true);
    if (f.path !== undefined) expect(typeof f.path).toBe('string');
  }
}

const PROTO_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
] as const;
/** The prototype names longer than 8 characters: never shown in a message or path. */
const LONG_PROTO_NAMES = PROTO_NAMES.filter((n) => n.length > 8);

describe('token content named like Object.prototype members', () => {
  test.each(PROTO_NAMES)('"twr": "%s" is an unknown region, not a crash', (name) => {
    const d = diagnoseAccessToken(forge(claims(), { ...HEADER, twr: name }), { now });
    expectValidDiagnosis(d);
    expect(d.ok).toBe(true);
    const region = d.findings.filter((f) => f.code === 'REGION_UNKNOWN');
    expect(region).toEqual([
      {
        severity: 'warning',
        code: 'REGION_UNKNOWN',
        message: `The region (twr) is ${name.length <= 8 ? `"${name}"` : `a string of ${name.length} characters`}; expected one this library knows: us1, ie1, au1`,
        path: 'header.twr',
      },
    ]);
  });

  test.each(PROTO_NAMES)('"alg": "%s" is an unsupported algorithm', (name) => {
    const d = diagnoseAccessToken(forge(claims(), { ...HEADER, alg: name }), { apiKeySecret: secret, now });
    expectValidDiagnosis(d);
    expect(d.findings.map((f) => f.code)).toEqual(['UNSUPPORTED_ALGORITHM']);
  });

  test.each(PROTO_NAMES)('identity "%s" is just an identity', (name) => {
    const d = diagnoseAccessToken(forge(claims({ identity: name, video: {} })), { apiKeySecret: secret, now });
    expect(d).toMatchObject({ ok: true, findings: [] });
  });

  test.each(PROTO_NAMES)('"%s" in every claim and header position never throws', (name) => {
    for (const position of ['alg', 'typ', 'cty', 'twr', 'crit']) {
      expectValidDiagnosis(diagnoseAccessToken(forge(claims(), { ...HEADER, [position]: name }), { now }));
    }
    for (const claim of ['jti', 'iat', 'exp', 'nbf', 'iss', 'sub', 'grants']) {
      expectValidDiagnosis(diagnoseAccessToken(forge({ ...claims(), [claim]: name }), { now }));
      expectValidDiagnosis(diagnoseAccessToken(forge({ ...claims(), [claim]: { [name]: name } }), { now }));
    }
  });

  test.each(PROTO_NAMES)('"%s" as a field of every grant never throws', (name) => {
    for (const product of ['video', 'chat', 'voice', 'data_sync', 'task_router', 'player']) {
      for (const grant of [name, { [name]: name }, { incoming: name, outgoing: { [name]: name }, room: name }]) {
        const d = diagnoseAccessToken(forge(claims({ identity: 'a', [product]: grant })), { now });
        expectValidDiagnosis(d);
      }
    }
  });
});

describe('an unknown grant key is a finding', () => {
  // JSON.parse makes "__proto__" an own property, as a computed key does here.
  const cases: [key: string, message: string, path: string][] = [
    ...PROTO_NAMES.map(
      (k) =>
        [
          k,
          `The ${k.length <= 8 ? `grants.${k}` : `grants[a key of ${k.length} characters]`} is a grant no Twilio client SDK reads: Twilio ignores it, so it grants nothing; expected one of video, chat, voice, data_sync, task_router, player`,
          k.length <= 8 ? `payload.grants.${k}` : `payload.grants[a key of ${k.length} characters]`,
        ] as [string, string, string],
    ),
    [
      'vidoe',
      'The grants.vidoe is a grant no Twilio client SDK reads: Twilio ignores it, so it grants nothing; expected one of video, chat, voice, data_sync, task_router, player',
      'payload.grants.vidoe',
    ],
    [
      'a.b',
      'The grants["a.b"] is a grant no Twilio client SDK reads: Twilio ignores it, so it grants nothing; expected one of video, chat, voice, data_sync, task_router, player',
      'payload.grants["a.b"]',
    ],
  ];

  test.each(cases)('%s beside a video grant: a warning, the token still works', (key, message, path) => {
    const payloadText = JSON.stringify(claims({ identity: 'a', video: {}, [key]: { room: 'x' } }));
    expect(payloadText).toContain(JSON.stringify(key));
    const d = diagnoseAccessToken(forgeText(JSON.stringify(HEADER), payloadText), { now });
    expectValidDiagnosis(d);
    expect(d.ok).toBe(true);
    expect(d.findings).toEqual([{ severity: 'warning', code: 'GRANT_UNKNOWN', message, path }]);
  });

  test.each(cases)('%s alone: no product grant, an error', (key, message, path) => {
    const d = diagnoseAccessToken(forge(claims({ identity: 'a', [key]: {} })), { now });
    expectValidDiagnosis(d);
    expect(d.ok).toBe(false);
    expect(d.findings).toEqual([
      {
        severity: 'error',
        code: 'NO_GRANTS',
        twilioError: 20106,
        message:
          'The grants claim is without a product grant: it authorizes nothing; expected one of video, chat, voice, data_sync, task_router',
        path: 'payload.grants',
      },
      { severity: 'warning', code: 'GRANT_UNKNOWN', message, path },
    ]);
  });

  test('a 40-character key is described by its length, in the message and the path', () => {
    const key = 'k'.repeat(40);
    const [finding] = diagnoseAccessToken(forge(claims({ identity: 'a', video: {}, [key]: 1 })), { now }).findings;
    expect(finding?.message).toMatch(/^The grants\[a key of 40 characters\] is a grant no Twilio client SDK reads/);
    expect(finding?.path).toBe('payload.grants[a key of 40 characters]');
  });
});

describe('demo credentials (all-zero SIDs, as twilio-token --demo signs) are an error', () => {
  const DEMO = { accountSid: `AC${'0'.repeat(32)}`, apiKeySid: `SK${'0'.repeat(32)}`, apiKeySecret: 'demo-secret' };
  const message =
    'The token is signed with demo credentials (SIDs of all zeros, as twilio-token --demo writes): no such Account or API Key exists; expected real ones. Mint with your Account SID and an API Key';

  test('a token minted with them', () => {
    const token = createAccessToken('alice', videoGrant(), { credentials: DEMO });
    const d = diagnoseAccessToken(token, { apiKeySecret: DEMO.apiKeySecret });
    expect(d.ok).toBe(false);
    expect(d.findings).toEqual([
      { severity: 'error', code: 'DEMO_CREDENTIALS', twilioError: 20103, message, path: 'payload.iss' },
    ]);
  });

  test.each([
    ['only the API Key SID', { apiKeySid: DEMO.apiKeySid }, 'payload.iss'],
    ['only the Account SID', { accountSid: DEMO.accountSid }, 'payload.sub'],
  ])('%s', (_name, override, path) => {
    const token = createAccessToken('alice', videoGrant(), { credentials: { ...credentials, ...override } });
    expect(diagnoseAccessToken(token).findings).toEqual([
      { severity: 'error', code: 'DEMO_CREDENTIALS', twilioError: 20103, message, path },
    ]);
  });

  test('all-zero SIDs inside grants are not credentials', () => {
    const token = createAccessToken('alice', voiceGrant({ outgoingApplicationSid: `AP${'0'.repeat(32)}` }), {
      credentials,
    });
    expect(diagnoseAccessToken(token).findings).toEqual([]);
  });
});

describe('options', () => {
  const token = forge(claims());
  // Letters that spell no word of any message (the shared test secret holds the word "secret").
  const hidden = 'qxzjkvwy23456789qxzjkvwy23456789yy';
  const accessor = Object.defineProperty({}, 'apiKeySecret', {
    enumerable: true,
    get: () => {
      throw new Error('the getter ran');
    },
  });
  const known = 'known options: apiKeySecret, keyring, now, dangerouslyAllowBrowser';
  const secretExpected = 'the API Key secret, a non-empty string (leave the key out to skip the signature check)';
  const undefinedRefused =
    'expected a value, or no such key, received undefined. Omit the key, or set the variable it was read from: an undefined value is refused so that a missing input is never silently ignored';
  const cases: [name: string, options: unknown, path: string, message: string][] = [
    // "secret" is not within edit distance 3 of a known key, nor starts with one: described, not named.
    [
      'secret for apiKeySecret',
      { secret },
      'options',
      `Invalid options: unknown option (a key of 6 characters); ${known}`,
    ],
    [
      'a key in the wrong case',
      { apikeysecret: secret },
      'options.apikeysecret',
      `Invalid options.apikeysecret: unknown option "apikeysecret" (did you mean "apiKeySecret"?); ${known}`,
    ],
    [
      'a key starting with a known one',
      { nowSeconds: now },
      'options.nowSeconds',
      `Invalid options.nowSeconds: unknown option "nowSeconds" (did you mean "now"?); ${known}`,
    ],
    [
      'a typo',
      { apiKeySecrt: secret },
      'options.apiKeySecrt',
      `Invalid options.apiKeySecrt: unknown option "apiKeySecrt" (did you mean "apiKeySecret"?); ${known}`,
    ],
    [
      'a secret pasted as a key',
      { [hidden]: true },
      'options',
      `Invalid options: unknown option (a key of ${hidden.length} characters); ${known}`,
    ],
    [
      'constructor',
      { constructor: 1 },
      'options',
      `Invalid options: unknown option (a key of 11 characters); ${known}`,
    ],
    [
      'an own __proto__ key',
      JSON.parse('{"__proto__": {"apiKeySecret": "x"}}'),
      'options',
      `Invalid options: unknown option (a key of 9 characters); ${known}`,
    ],
    [
      'a non-enumerable unknown key',
      Object.defineProperty({}, 'secret', { value: secret, enumerable: false }),
      'options',
      `Invalid options: unknown option (a key of 6 characters); ${known}`,
    ],
    [
      'a non-enumerable symbol key',
      Object.defineProperty({}, Symbol('apiKeySecret'), { value: hidden, enumerable: false }),
      'options',
      `Invalid options: unknown option (a symbol key); ${known}`,
    ],
    [
      'a symbol key',
      { [Symbol('apiKeySecret')]: hidden },
      'options',
      `Invalid options: unknown option (a symbol key); ${known}`,
    ],
    [
      'the secret in place of the options',
      hidden,
      'options',
      `Invalid options: expected an options object (a plain object literal), received a string of ${hidden.length} characters`,
    ],
    ['null', null, 'options', 'Invalid options: expected an options object (a plain object literal), received null'],
    [
      'a Promise',
      Promise.resolve({}),
      'options',
      'Invalid options: expected an options object (a plain object literal), received a Promise: missing await?',
    ],
    [
      'apiKeySecret present but undefined (an unset variable)',
      { apiKeySecret: undefined },
      'options.apiKeySecret',
      `Invalid options.apiKeySecret: ${undefinedRefused}`,
    ],
    [
      'an empty apiKeySecret',
      { apiKeySecret: '' },
      'options.apiKeySecret',
      `Invalid options.apiKeySecret: expected ${secretExpected}, received an empty string`,
    ],
    [
      'a Buffer apiKeySecret',
      { apiKeySecret: Buffer.from(hidden) },
      'options.apiKeySecret',
      `Invalid options.apiKeySecret: expected ${secretExpected}, received an object`,
    ],
    [
      'a getter apiKeySecret (never run)',
      accessor,
      'options.apiKeySecret',
      'Invalid options.apiKeySecret: expected a data property, received an accessor',
    ],
    [
      'now in milliseconds',
      { now: now * 1000 },
      'options.now',
      `Invalid options.now: expected epoch seconds, not milliseconds (Date.now() / 1000), received ${now * 1000}`,
    ],
    [
      'now as a string',
      { now: '2026' },
      'options.now',
      'Invalid options.now: expected epoch seconds or a valid Date, received a string of 4 characters',
    ],
    [
      'now an invalid Date',
      { now: new Date('x') },
      'options.now',
      'Invalid options.now: expected epoch seconds or a valid Date, received an invalid Date',
    ],
    [
      'now NaN',
      { now: Number.NaN },
      'options.now',
      'Invalid options.now: expected epoch seconds or a valid Date, received NaN',
    ],
    ['now present but undefined', { now: undefined }, 'options.now', `Invalid options.now: ${undefinedRefused}`],
  ];

  test.each(cases)('%s: ERR_INVALID_OPTION, in both entries', async (_name, options, path, message) => {
    let thrown: unknown;
    try {
      diagnoseAccessToken(token, options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isAccessTokenError(thrown), String(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION', path, message });
    const rejected = await web.diagnoseAccessToken(token, options as never).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(rejected).toMatchObject({ code: 'ERR_INVALID_OPTION', path, message });
    for (const w of secretWindows(hidden)) expect(JSON.stringify(thrown) + String(thrown)).not.toContain(w);
  });

  test('a non-enumerable apiKeySecret is read, not skipped: the signature is checked', async () => {
    const valid = createAccessToken('alice', videoGrant(), { credentials });
    const hiddenKey = (value: string) =>
      Object.defineProperty({}, 'apiKeySecret', { value, enumerable: false }) as { apiKeySecret: string };
    const wrong = diagnoseAccessToken(valid, hiddenKey(hidden));
    expect(wrong.ok).toBe(false);
    expect(wrong.findings.map((f) => f.twilioError)).toContain(20107);
    expect((await web.diagnoseAccessToken(valid, hiddenKey(hidden))).ok).toBe(false);
    expect(diagnoseAccessToken(valid, hiddenKey(secret))).toMatchObject({ ok: true, findings: [] });
  });

  test('a bad token with bad options: the options are reported (the one throw)', () => {
    expect(() => diagnoseAccessToken('nope', { apiKeySecrt: secret } as never)).toThrow(/unknown option "apiKeySecrt"/);
  });

  test('an unknown key holding a random secret never shows it', () => {
    fc.assert(
      fc.property(arbSecret(9, 40), arbSecret(16, 40), (key, value) => {
        let text = '';
        try {
          diagnoseAccessToken(token, { [key]: value } as never);
        } catch (error) {
          text = JSON.stringify(error) + String(error) + ((error as Error).stack ?? '');
        }
        expect(text).toContain('ERR_INVALID_OPTION');
        for (const w of [...secretWindows(key), ...secretWindows(value)]) expect(text).not.toContain(w);
      }),
    );
  });

  test('one rule for now: diagnose refuses exactly what verify refuses, with the same message', () => {
    const valid = createAccessToken('alice', videoGrant(), { credentials });
    const nows: unknown[] = [
      now,
      0,
      -1,
      99_999_999_999,
      1e11,
      Date.now(),
      Number.POSITIVE_INFINITY,
      new Date(),
      new Date(Number.NaN),
      '1',
      null,
      10n,
    ];
    for (const value of nows) {
      const outcome = (f: () => unknown) => {
        try {
          f();
          return 'accepted';
        } catch (error) {
          const e = error as { code?: string; message?: string };
          return e.code === 'ERR_INVALID_OPTION' ? e.message : 'accepted';
        }
      };
      const verify = outcome(() => verifyAccessToken(valid, { apiKeySecret: secret, now: value as number }));
      const diagnose = outcome(() => diagnoseAccessToken(valid, { apiKeySecret: secret, now: value as number }));
      expect(diagnose, String(value)).toBe(verify);
    }
  });

  test('a secret with whitespace around it: a warning, and the signature check says why it fails', () => {
    const d = diagnoseAccessToken(forge(claims()), { apiKeySecret: `${secret}\n`, now });
    expect(d.findings.map((f) => [f.code, f.severity, f.twilioError])).toEqual([
      ['INVALID_SIGNATURE', 'error', 20107],
      ['SECRET_HAS_WHITESPACE', 'warning', 20107],
    ]);
  });
});

describe('values echoed in findings', () => {
  // Every position whose content a finding describes; a secret-like value there must not leak.
  const positions: [string, (v: string) => string][] = [
    ['alg', (v) => forge(claims(), { ...HEADER, alg: v })],
    ['typ', (v) => forge(claims(), { ...HEADER, typ: v })],
    ['cty', (v) => forge(claims(), { ...HEADER, cty: v })],
    ['twr', (v) => forge(claims(), { ...HEADER, twr: v })],
    ['exp', (v) => forge({ ...claims(), exp: v })],
    ['iat', (v) => forge({ ...claims(), iat: v })],
    ['iss', (v) => forge({ ...claims(), iss: v })],
    ['sub', (v) => forge({ ...claims(), sub: v })],
    ['jti', (v) => forge({ ...claims(), jti: v })],
    ['identity', (v) => forge(claims({ identity: `${v}\n`, video: {} }))],
    ['grant key', (v) => forge(claims({ identity: 'a', video: {}, [v]: {} }))],
    ['grant value', (v) => forge(claims({ identity: 'a', video: v }))],
    ['video.room', (v) => forge(claims({ identity: 'a', video: { room: [v] } }))],
    ['voice.incoming', (v) => forge(claims({ identity: 'a', voice: { incoming: { allow: v } } }))],
    ['voice.outgoing', (v) => forge(claims({ identity: 'a', voice: { outgoing: { application_sid: v } } }))],
    ['chat.service_sid', (v) => forge(claims({ identity: 'a', chat: { service_sid: v } }))],
    ['task_router.worker_sid', (v) => forge(claims({ identity: 'a', task_router: { worker_sid: v } }))],
  ];

  test('a string over 8 characters in any position is described, never shown', () => {
    fc.assert(
      fc.property(arbSecret(9, 40), fc.constantFrom(...positions), (value, [, tokenWith]) => {
        const text = JSON.stringify(diagnoseAccessToken(tokenWith(value), { now }).findings);
        expect(text).not.toBe('[]');
        for (const w of secretWindows(value)) expect(text).not.toContain(w);
      }),
    );
  });

  test('a string of at most 8 characters is shown', () => {
    const d = diagnoseAccessToken(forge(claims(), { ...HEADER, alg: 'RS256', twr: 'mars1' }), { now });
    expect(d.findings.map((f) => f.message)).toEqual([
      'The alg is "RS256"; expected HS256, as Twilio requires',
      'The region (twr) is "mars1"; expected one this library knows: us1, ie1, au1',
    ]);
  });
});

// ---------- random tokens built from prototype names in every position ----------

/** A JSON text written by hand, so "__proto__" keys reach the token as they are. */
type Json = null | boolean | number | string | Json[] | { entries: [string, Json][] };
function text(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(text).join(',')}]`;
  return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${text(v)}`).join(',')}}`;
}
const obj = (entries: fc.Arbitrary<[string, Json]>, max = 5) =>
  fc.array(entries, { maxLength: max }).map((e) => ({ entries: e }) as Json);

const arbProtoName = fc.constantFrom(...PROTO_NAMES);
const arbLeaf: fc.Arbitrary<Json> = fc.oneof(
  arbProtoName,
  fc.constantFrom('HS256', 'us1', 'ie1', 'au1', 'JWT', 'twilio-fpa;v=1', true, 'true', null, now, now * 1000, -1, 1.5),
  fc.string({ maxLength: 10 }),
  fc.integer(),
);
const arbNested: fc.Arbitrary<Json> = fc.oneof(
  arbLeaf,
  obj(fc.tuple(fc.oneof(arbProtoName, fc.constantFrom('allow', 'application_sid', 'params')), arbLeaf)),
);
const arbKey = (known: readonly string[]) => fc.oneof(arbProtoName, fc.constantFrom(...known));
const arbGrantValue: fc.Arbitrary<Json> = fc.oneof(arbNested, obj(fc.tuple(arbKey(WIRE_FIELDS), arbNested)));
const arbGrants: fc.Arbitrary<Json> = obj(
  fc.tuple(
    arbKey(['identity', 'video', 'chat', 'voice', 'data_sync', 'task_router', 'player', 'ip_messaging']),
    arbGrantValue,
  ),
  6,
);
const arbHeader: fc.Arbitrary<Json> = obj(fc.tuple(arbKey(['alg', 'typ', 'cty', 'twr', 'crit']), arbLeaf), 6);
const arbPayload: fc.Arbitrary<Json> = obj(
  fc.oneof(
    fc.tuple(fc.constant('grants'), arbGrants),
    fc.tuple(arbKey(['jti', 'iat', 'exp', 'nbf', 'iss', 'sub', 'grants']), arbNested),
  ),
  8,
);

describe('properties', () => {
  test('tokens built from prototype names in every position: never throws, a valid diagnosis', () => {
    fc.assert(
      fc.property(arbHeader, arbPayload, fc.boolean(), (header, payload, withSecret) => {
        const token = forgeText(text(header), text(payload));
        const d = diagnoseAccessToken(token, withSecret ? { apiKeySecret: secret, now } : { now });
        expectValidDiagnosis(d);
        const said = JSON.stringify(d.findings);
        for (const name of LONG_PROTO_NAMES) expect(said).not.toContain(name);
        // An unknown grant key is never ignored.
        const grants = (JSON.parse(text(payload)) as { grants?: unknown }).grants;
        if (typeof grants === 'object' && grants !== null && !Array.isArray(grants)) {
          const known = ['identity', 'video', 'chat', 'voice', 'data_sync', 'task_router', 'player'];
          const unknown = Object.keys(grants).filter((k) => !known.includes(k));
          expect(d.findings.filter((f) => f.code === 'GRANT_UNKNOWN')).toHaveLength(unknown.length);
        }
      }),
    );
  });

  test('the /web diagnosis of such tokens is the same, and never rejects', async () => {
    await fc.assert(
      fc.asyncProperty(arbHeader, arbPayload, async (header, payload) => {
        const token = forgeText(text(header), text(payload));
        const options = { apiKeySecret: secret, now };
        expect(await web.diagnoseAccessToken(token, options)).toEqual(diagnoseAccessToken(token, options));
      }),
    );
  });

  test('random strings and binary never throw, with or without a secret', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.option(arbSecret(1, 40)), (token, key) => {
        expectValidDiagnosis(diagnoseAccessToken(token, key === null ? undefined : { apiKeySecret: key }));
      }),
    );
  });
});
