import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createFetchHandler } from '../../src/handlers/fetch/index.js';
import { createLambdaHandler } from '../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../src/handlers/twilio-functions/index.js';
import {
  chatGrant,
  createAccessToken,
  createTokenMinter,
  credentialsFromEnv,
  decodeAccessToken,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  verifyAccessToken,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { fromTwilioGrant, toTwilioAccessToken } from '../../src/twilio.js';
import * as web from '../../src/web.js';
import { arbSecret, credentials, secretWindows } from '../helpers.js';

// The API key secret, dropped into every argument position of every public function and factory
// where it does not belong (wrong types, misspelt keys, the secret as a whole options argument), never
// shows up in what is thrown: not whole, and not any 6-character window of it. Positions whose
// values may be echoed by contract (identity, grant option values, ttl, nbf, region, algorithm, a
// CORS origin, a SID starting with two upper-case letters) are not among them.

const { accountSid, apiKeySid } = credentials;
const valid = (secret: string) => ({ accountSid, apiKeySid, apiKeySecret: secret });
const handlerBase = { identify: () => 'alice', grants: videoGrant() };
const handlerFactories: Record<string, (options: never) => unknown> = {
  createFetchHandler,
  createExpressHandler,
  createLambdaHandler,
  createTwilioFunction,
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
const claims = { jti: `${apiKeySid}-1`, grants: { identity: 'a' }, iat: 1, exp: 2, iss: apiKeySid, sub: accountSid };
/** A token whose header or claims are patched, signed with nothing that matters. */
const forged = (h: object, c: object) => `${b64({ ...header, ...h })}.${b64({ ...claims, ...c })}.AAAA`;
const AP = `AP${'0'.repeat(32)}`;
const IS = `IS${'0'.repeat(32)}`;

type Call = (secret: string) => unknown;

// The options of the main entry's and /web's minting, each with the secret where it does not belong.
const mintOptionPositions = (prefix: string, create: (options: never) => unknown): Record<string, Call> => ({
  [`${prefix}(secret)`]: (s) => create(s as never),
  [`${prefix}({ credentials: secret })`]: (s) => create({ credentials: s } as never),
  [`${prefix}({ ttl: secret })`]: (s) => create({ credentials, ttl: s } as never),
  [`${prefix}({ nbf: secret })`]: (s) => create({ credentials, nbf: s } as never),
  [`${prefix}({ region: secret })`]: (s) => create({ credentials, region: s } as never),
  [`${prefix}({ algorithm: secret })`]: (s) => create({ credentials, algorithm: s } as never),
  [`${prefix}({ dangerouslyAllowBrowser: secret })`]: (s) =>
    create({ credentials, dangerouslyAllowBrowser: s } as never),
  [`${prefix}({ apiKeySecret: secret }) (an unknown key's value)`]: (s) =>
    create({ credentials: valid(s), apiKeySecret: s } as never),
  [`${prefix}({ [secret]: 1 }) (an unknown key's name)`]: (s) => create({ credentials, [s]: 1 } as never),
  [`${prefix}({ ttl${'{secret}'}: 1 }) (a key that starts like a known one)`]: (s) =>
    create({ credentials, [`ttl${s}`]: 1 } as never),
  [`${prefix} credentials.accountSid = secret`]: (s) =>
    create({ credentials: { ...valid(s), accountSid: s } } as never),
  [`${prefix} credentials.apiKeySid = secret`]: (s) => create({ credentials: { ...valid(s), apiKeySid: s } } as never),
  [`${prefix} credentials { secret } (misspelt)`]: (s) =>
    create({ credentials: { accountSid, apiKeySid, secret: s } } as never),
  [`${prefix} credentials { [secret]: 1 }`]: (s) => create({ credentials: { ...valid(s), [s]: 1 } } as never),
  [`${prefix} credentials.apiKeySecret with spaces`]: (s) => create({ credentials: valid(` ${s} `) } as never),
  [`${prefix} credentials.apiKeySecret an array`]: (s) =>
    create({ credentials: { ...valid(s), apiKeySecret: [s] } } as never),
  [`${prefix} credentials.apiKeySecret undefined beside it`]: (s) =>
    create({ credentials: valid(s), ttl: undefined, region: s } as never),
});

/** Every position, by name, so a failure says which. */
const positions: Record<string, Call> = {
  // createAccessToken's arguments (main entry; /web below).
  'createAccessToken(secret + newline) (identity)': (s) => createAccessToken(`${s}\n`, videoGrant(), { credentials }),
  'createAccessToken(secret x 9) (identity too long)': (s) =>
    createAccessToken(s.repeat(9), videoGrant(), { credentials }),
  'createAccessToken(secret, a grant, options) with a bad ttl': (s) =>
    createAccessToken(s, videoGrant(), { credentials, ttl: 0 }),
  'createAccessToken(identity, secret)': (s) => createAccessToken('a', s as never, { credentials: valid(s) }),
  'createAccessToken(identity, [grant, secret])': (s) =>
    createAccessToken('a', [videoGrant(), s] as never, { credentials: valid(s) }),
  ...mintOptionPositions('createAccessToken options', (o) => createAccessToken('a', videoGrant(), o)),
  ...mintOptionPositions('createTokenMinter', (o) => createTokenMinter(o)),
  ...mintOptionPositions('web.createAccessToken options', (o) => web.createAccessToken('a', web.videoGrant(), o)),
  ...mintOptionPositions('web.createTokenMinter', (o) => web.createTokenMinter(o)),
  'minter overrides = secret': (s) => createTokenMinter({ credentials: valid(s) })('a', videoGrant(), s as never),
  'minter overrides { ttl: secret }': (s) =>
    createTokenMinter({ credentials: valid(s) })('a', videoGrant(), { ttl: s as never }),
  'minter overrides { nbf: secret }': (s) =>
    createTokenMinter({ credentials: valid(s) })('a', videoGrant(), { nbf: s as never }),
  'minter overrides { apiKeySecret }': (s) =>
    createTokenMinter({ credentials: valid(s) })('a', videoGrant(), { apiKeySecret: s } as never),
  'minter overrides { [secret]: 1 }': (s) =>
    createTokenMinter({ credentials: valid(s) })('a', videoGrant(), { [s]: 1 } as never),
  'minter identity = secret + newline': (s) => createTokenMinter({ credentials: valid(s) })(`${s}\n`, videoGrant()),
  'web minter overrides { ttl: secret }': (s) =>
    web.createTokenMinter({ credentials: valid(s) })('a', web.videoGrant(), { ttl: s as never }),
  // credentialsFromEnv: each value, and the environment itself.
  'credentialsFromEnv(secret)': (s) => credentialsFromEnv(s as never),
  'credentialsFromEnv with mixed families': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, TWILIO_API_KEY_SID: apiKeySid, API_SECRET: s }),
  'credentialsFromEnv with a malformed key SID': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: s, API_SECRET: s }),
  'credentialsFromEnv with the secret as the Account SID': (s) =>
    credentialsFromEnv({ TWILIO_ACCOUNT_SID: s, TWILIO_API_KEY_SID: apiKeySid, TWILIO_API_KEY_SECRET: s }),
  'credentialsFromEnv with a secret that is the Auth Token': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: apiKeySid, API_SECRET: s, AUTH_TOKEN: s }),
  'credentialsFromEnv with the secret and a newline': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: apiKeySid, API_SECRET: `${s}\n` }),
  'credentialsFromEnv with only the Auth Token': (s) => credentialsFromEnv({ ACCOUNT_SID: accountSid, AUTH_TOKEN: s }),
  // decode and verify: the token, each option, and the secret inside a token's fields.
  'decodeAccessToken(secret)': (s) => decodeAccessToken(s),
  'decodeAccessToken(a 3-segment secret)': (s) => decodeAccessToken(`${s}.${s}.${s}`),
  'decodeAccessToken({ token: secret })': (s) => decodeAccessToken({ token: s } as never),
  'decode a token whose alg is the secret, then verify it': (s) =>
    verifyAccessToken(forged({ alg: s }, {}), { apiKeySecret: s }),
  'decode a token whose identity is a number and iss the secret': (s) =>
    decodeAccessToken(forged({}, { iss: s, grants: { identity: 42 } })),
  'decode a token whose exp is the secret': (s) => decodeAccessToken(forged({}, { exp: s })),
  'decode a token with the secret as a grant key and a bad room': (s) =>
    decodeAccessToken(forged({}, { grants: { [s]: 1, video: { room: 5 } } })),
  'decode a token whose crit is the secret': (s) => decodeAccessToken(forged({ crit: [s] }, {})),
  'verifyAccessToken(token, secret)': (s) =>
    verifyAccessToken(createAccessToken('a', videoGrant(), { credentials: valid(s) }), s as never),
  'verifyAccessToken(secret, options)': (s) => verifyAccessToken(s, { apiKeySecret: s }),
  'verifyAccessToken(token, { secret })': (s) => verifyAccessToken('a.b.c', { secret: s } as never),
  'verifyAccessToken(token, { [secret]: 1 })': (s) =>
    verifyAccessToken(forged({}, {}), { apiKeySecret: s, [s]: 1 } as never),
  'verifyAccessToken(token, { apiKeySecret, now: secret })': (s) =>
    verifyAccessToken(forged({}, {}), { apiKeySecret: s, now: s as never }),
  'verifyAccessToken(token, { clockTolerance: secret })': (s) =>
    verifyAccessToken(forged({}, {}), { apiKeySecret: s, clockTolerance: s as never }),
  'verifyAccessToken(token, { dangerouslyAllowBrowser: secret })': (s) =>
    verifyAccessToken(forged({}, {}), { apiKeySecret: s, dangerouslyAllowBrowser: s as never }),
  'verifyAccessToken with a trailing newline on the secret': (s) =>
    verifyAccessToken(forged({}, {}), { apiKeySecret: `${s}\n` }),
  'verifyAccessToken with a wrong secret': (s) => verifyAccessToken(forged({}, {}), { apiKeySecret: s }),
  'web.verifyAccessToken(token, secret)': (s) => web.verifyAccessToken(forged({}, {}), s as never),
  'web.verifyAccessToken(token, { now: secret })': (s) =>
    web.verifyAccessToken(forged({}, {}), { apiKeySecret: s, now: s as never }),
  // Grant factories: every option, nested values and key names.
  'videoGrant(secret)': (s) => videoGrant(s as never),
  'videoGrant({ roomName: secret })': (s) => videoGrant({ roomName: s } as never),
  'videoGrant({ room: secret, [secret]: 1 })': (s) => videoGrant({ room: s, [s]: 1 } as never),
  'videoGrant({ room: [secret] })': (s) => videoGrant({ room: [s] as never }),
  'chatGrant(secret)': (s) => chatGrant(s as never),
  'chatGrant({ serviceSid: secret })': (s) => chatGrant({ serviceSid: s }),
  'chatGrant({ serviceSid, secret })': (s) => chatGrant({ serviceSid: IS, secret: s } as never),
  'chatGrant({ pushCredentialSid: secret })': (s) => chatGrant({ serviceSid: IS, pushCredentialSid: s }),
  'chatGrant({ deploymentRoleSid: secret })': (s) => chatGrant({ serviceSid: IS, deploymentRoleSid: s }),
  'chatGrant({ endpointId: secret, serviceSid: bad })': (s) => chatGrant({ endpointId: s, serviceSid: 'x' }),
  'voiceGrant(secret)': (s) => voiceGrant(s as never),
  'voiceGrant({ outgoingApplicationSid: secret })': (s) => voiceGrant({ outgoingApplicationSid: s }),
  'voiceGrant({ incomingAllow: secret })': (s) => voiceGrant({ incomingAllow: s as never }),
  'voiceGrant({ incomingAllow: true, apiSecret })': (s) => voiceGrant({ incomingAllow: true, apiSecret: s } as never),
  'voiceGrant({ pushCredentialSid: secret })': (s) => voiceGrant({ incomingAllow: true, pushCredentialSid: s }),
  'voiceGrant({ outgoingApplicationParams: { [secret]: NaN } })': (s) =>
    voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { [s]: Number.NaN } }),
  'voiceGrant({ outgoingApplicationParams: { a: [secret, undefined] } })': (s) =>
    voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: { a: [s, undefined] } }),
  'voiceGrant({ outgoingApplicationParams: secret })': (s) =>
    voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: s as never }),
  'syncGrant({ serviceSid: secret })': (s) => syncGrant({ serviceSid: s }),
  'syncGrant({ endpointId: [secret] })': (s) => syncGrant({ endpointId: [s] as never }),
  'taskRouterGrant({ workspaceSid: secret })': (s) =>
    taskRouterGrant({ workspaceSid: s, workerSid: `WK${'0'.repeat(32)}` }),
  'taskRouterGrant({ workerSid: secret })': (s) =>
    taskRouterGrant({ workspaceSid: `WS${'0'.repeat(32)}`, workerSid: s }),
  'taskRouterGrant({ role: secret, [secret]: 1 })': (s) =>
    taskRouterGrant({
      workspaceSid: `WS${'0'.repeat(32)}`,
      workerSid: `WK${'0'.repeat(32)}`,
      role: s,
      [s]: 1,
    } as never),
  'playbackGrant(secret)': (s) => playbackGrant(s as never),
  'playbackGrant({ grant: secret })': (s) => playbackGrant({ grant: s as never }),
  'playbackGrant({ grant, key: secret })': (s) => playbackGrant({ grant: { a: 1 }, key: s } as never),
  'playbackGrant({ grant: { [secret]: { x: Infinity } } })': (s) =>
    playbackGrant({ grant: { [s]: { x: Number.POSITIVE_INFINITY } } }),
  'playbackGrant({ grant: { a: secret, b: () => 1 } })': (s) => playbackGrant({ grant: { a: s, b: () => 1 } as never }),
  'toTwilioAccessToken(identity, grant, secret)': (s) => toTwilioAccessToken('a', videoGrant(), s as never),
  'toTwilioAccessToken credentials.apiKeySid = secret': (s) =>
    toTwilioAccessToken('a', videoGrant(), { credentials: { ...valid(s), apiKeySid: s } }),
  'fromTwilioGrant(secret)': (s) => fromTwilioGrant(s as never),
  'fromTwilioGrant({ key: secret })': (s) => fromTwilioGrant({ key: s }),
  // Handler factories: their options (the handlers' requests are attacked in test/handlers).
  ...Object.fromEntries(
    Object.entries(handlerFactories).flatMap(([name, create]) => [
      [`${name}(secret)`, (s: string) => create(s as never)],
      [`${name}({ credentials: secret })`, (s: string) => create({ ...handlerBase, credentials: s } as never)],
      [`${name}({ apiSecret })`, (s: string) => create({ ...handlerBase, apiSecret: s } as never)],
      [`${name}({ [secret]: 1 })`, (s: string) => create({ ...handlerBase, [s]: 1 } as never)],
      [
        `${name}({ credentials: { ...bad apiKeySid } })`,
        (s: string) => create({ ...handlerBase, credentials: { ...valid(s), apiKeySid: s } } as never),
      ],
      [`${name}({ cors: secret })`, (s: string) => create({ ...handlerBase, cors: s } as never)],
      [
        `${name}({ cors: { origins, secret } })`,
        (s: string) => create({ ...handlerBase, cors: { origins: '*', x: s } } as never),
      ],
      [
        `${name}({ cors: { origins: [secret] } })`,
        (s: string) => create({ ...handlerBase, cors: { origins: [s] } } as never),
      ],
      [
        `${name}({ cors: { origins: ['https://' + secret + '/'] } })`,
        (s: string) => create({ ...handlerBase, cors: { origins: [`https://${s}.example/`] } } as never),
      ],
      [
        `${name}({ cors: { origins, allowHeaders: [secret + ' '] } })`,
        (s: string) => create({ ...handlerBase, cors: { origins: '*', allowHeaders: [`${s} :`] } } as never),
      ],
      [`${name}({ identify: secret })`, (s: string) => create({ ...handlerBase, identify: s } as never)],
      [`${name}({ onError: secret })`, (s: string) => create({ ...handlerBase, onError: s } as never)],
      [`${name}({ grants: secret })`, (s: string) => create({ ...handlerBase, grants: s } as never)],
      [`${name}({ ttl: secret })`, (s: string) => create({ ...handlerBase, ttl: s } as never)],
      [`${name}({ region: secret })`, (s: string) => create({ ...handlerBase, region: s } as never)],
      [`${name}({ bodyTimeout: secret })`, (s: string) => create({ ...handlerBase, bodyTimeout: s } as never)],
      [`${name}({ hookTimeout: secret })`, (s: string) => create({ ...handlerBase, hookTimeout: s } as never)],
      [`${name}({ rateLimit: secret })`, (s: string) => create({ ...handlerBase, rateLimit: s } as never)],
      [`${name}({ onIssued: secret })`, (s: string) => create({ ...handlerBase, onIssued: s } as never)],
      [`${name}({ onDenied: secret })`, (s: string) => create({ ...handlerBase, onDenied: s } as never)],
    ]),
  ),
};

/** Secrets: 32 to 40 characters; half start with two capitals, as a SID would. */
const arbPositionSecret = fc.oneof(
  arbSecret(32, 40),
  fc.tuple(fc.constantFrom('QX', 'ZJ', 'KV'), arbSecret(30, 38)).map(([caps, rest]) => caps + rest),
);

describe('no error or warning shows the secret or any 6-character window of it', () => {
  let warnings: string[] = [];
  beforeEach(() => {
    warnings = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(String(warning));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  test.each(Object.entries(positions))('%s', async (_name, call) => {
    await fc.assert(
      fc.asyncProperty(arbPositionSecret, async (secret) => {
        let thrown: unknown;
        try {
          await call(secret);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, 'each position throws or rejects').toBeDefined();
        const e = thrown as Error & { path?: string; code?: string };
        expect(e.name).toBe('AccessTokenError');
        const texts = [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e), ...warnings].join('\n');
        for (const window of secretWindows(secret)) expect(texts).not.toContain(window);
      }),
      { numRuns: 25 }, // one property per position (200+): 25 secrets each is over 5,000 calls
    );
  });
});
