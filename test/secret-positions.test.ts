import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createExpressHandler } from '../src/handlers/express.js';
import { createFetchHandler } from '../src/handlers/fetch.js';
import { createLambdaHandler } from '../src/handlers/lambda.js';
import { createTwilioFunction } from '../src/handlers/twilio-functions.js';
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
} from '../src/index.js';
import { fromTwilioGrant, toTwilioAccessToken } from '../src/twilio.js';
import * as web from '../src/web.js';
import { arbSecret, credentials, secretWindows } from './helpers.js';

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

type Call = (secret: string) => unknown;

/** Every position, by name, so a failure says which. */
const positions: Record<string, Call> = {
  'verifyAccessToken(token, secret)': (s) =>
    verifyAccessToken(createAccessToken('a', videoGrant(), { credentials: valid(s) }), s as never),
  'verifyAccessToken(secret, options)': (s) => verifyAccessToken(s, { apiKeySecret: s }),
  'verifyAccessToken(token, { secret })': (s) => verifyAccessToken('a.b.c', { secret: s } as never),
  'verifyAccessToken(token, { apiKeySecret, now: secret })': (s) =>
    verifyAccessToken(createAccessToken('a', videoGrant(), { credentials: valid(s) }), {
      apiKeySecret: s,
      now: s as never,
    }),
  'verifyAccessToken(token, { clockTolerance: secret })': (s) =>
    verifyAccessToken(createAccessToken('a', videoGrant(), { credentials: valid(s) }), {
      apiKeySecret: s,
      clockTolerance: s as never,
    }),
  'verifyAccessToken with a trailing newline on the secret': (s) =>
    verifyAccessToken('a.b.c', { apiKeySecret: `${s}\n` }),
  'decodeAccessToken(secret)': (s) => decodeAccessToken(s),
  'decodeAccessToken(a 3-segment secret)': (s) => decodeAccessToken(`${s}.${s}.${s}`),
  'createAccessToken(identity, grants, secret)': (s) => createAccessToken('a', videoGrant(), s as never),
  'createAccessToken(identity, secret)': (s) => createAccessToken('a', s as never, { credentials: valid(s) }),
  'createAccessToken(identity, [grant, secret])': (s) =>
    createAccessToken('a', [videoGrant(), s] as never, { credentials: valid(s) }),
  'createAccessToken options { apiSecret }': (s) => createAccessToken('a', videoGrant(), { apiSecret: s } as never),
  'createAccessToken options { credentials: secret }': (s) =>
    createAccessToken('a', videoGrant(), { credentials: s as never }),
  'credentials { secret } (misspelt)': (s) =>
    createAccessToken('a', videoGrant(), { credentials: { accountSid, apiKeySid, secret: s } as never }),
  'credentials.accountSid = secret': (s) =>
    createAccessToken('a', videoGrant(), { credentials: { ...valid(s), accountSid: s } }),
  'credentials.apiKeySid = secret': (s) =>
    createAccessToken('a', videoGrant(), { credentials: { ...valid(s), apiKeySid: s } }),
  'credentials.apiKeySecret with spaces': (s) => createAccessToken('a', videoGrant(), { credentials: valid(` ${s} `) }),
  'credentials.apiKeySecret a number-like object': (s) =>
    createAccessToken('a', videoGrant(), { credentials: { ...valid(s), apiKeySecret: [s] as never } }),
  'createTokenMinter(secret)': (s) => createTokenMinter(s as never),
  'createTokenMinter({ credentials: secret })': (s) => createTokenMinter({ credentials: s as never }),
  'createTokenMinter({ credentials, apiKeySecret })': (s) =>
    createTokenMinter({ credentials: valid(s), apiKeySecret: s } as never),
  'minter overrides { apiKeySecret }': (s) =>
    createTokenMinter({ credentials: valid(s) })('a', videoGrant(), { apiKeySecret: s } as never),
  'minter overrides = secret': (s) => createTokenMinter({ credentials: valid(s) })('a', videoGrant(), s as never),
  'web.createTokenMinter({ credentials: secret })': (s) => web.createTokenMinter({ credentials: s as never }),
  'credentialsFromEnv(secret)': (s) => credentialsFromEnv(s as never),
  'credentialsFromEnv with mixed families': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, TWILIO_API_KEY_SID: apiKeySid, API_SECRET: s }),
  'credentialsFromEnv with a malformed key SID': (s) =>
    credentialsFromEnv({ ACCOUNT_SID: accountSid, API_KEY: s, API_SECRET: s }),
  'videoGrant(secret)': (s) => videoGrant(s as never),
  'videoGrant({ roomName: secret })': (s) => videoGrant({ roomName: s } as never),
  'chatGrant(secret)': (s) => chatGrant(s as never),
  'chatGrant({ serviceSid: secret })': (s) => chatGrant({ serviceSid: s }),
  'chatGrant({ serviceSid, secret })': (s) => chatGrant({ serviceSid: `IS${'0'.repeat(32)}`, secret: s } as never),
  'chatGrant({ pushCredentialSid: secret })': (s) =>
    chatGrant({ serviceSid: `IS${'0'.repeat(32)}`, pushCredentialSid: s }),
  'voiceGrant({ outgoingApplicationSid: secret })': (s) => voiceGrant({ outgoingApplicationSid: s }),
  'voiceGrant({ incomingAllow: true, apiSecret })': (s) => voiceGrant({ incomingAllow: true, apiSecret: s } as never),
  'syncGrant({ serviceSid: secret })': (s) => syncGrant({ serviceSid: s }),
  'taskRouterGrant({ workspaceSid: secret })': (s) =>
    taskRouterGrant({ workspaceSid: s, workerSid: `WK${'0'.repeat(32)}` }),
  'taskRouterGrant({ workerSid: secret })': (s) =>
    taskRouterGrant({ workspaceSid: `WS${'0'.repeat(32)}`, workerSid: s }),
  'playbackGrant(secret)': (s) => playbackGrant(s as never),
  'playbackGrant({ grant, key: secret })': (s) => playbackGrant({ grant: { a: 1 }, key: s } as never),
  'toTwilioAccessToken(identity, grant, secret)': (s) => toTwilioAccessToken('a', videoGrant(), s as never),
  'toTwilioAccessToken credentials.apiKeySid = secret': (s) =>
    toTwilioAccessToken('a', videoGrant(), { credentials: { ...valid(s), apiKeySid: s } }),
  'fromTwilioGrant(secret)': (s) => fromTwilioGrant(s as never),
  'fromTwilioGrant({ key: secret })': (s) => fromTwilioGrant({ key: s }),
  ...Object.fromEntries(
    Object.entries(handlerFactories).flatMap(([name, create]) => [
      [`${name}(secret)`, (s: string) => create(s as never)],
      [`${name}({ credentials: secret })`, (s: string) => create({ ...handlerBase, credentials: s } as never)],
      [`${name}({ apiSecret })`, (s: string) => create({ ...handlerBase, apiSecret: s } as never)],
      [
        `${name}({ credentials: { ...bad apiKeySid } })`,
        (s: string) => create({ ...handlerBase, credentials: { ...valid(s), apiKeySid: s } } as never),
      ],
      [`${name}({ cors: secret })`, (s: string) => create({ ...handlerBase, cors: s } as never)],
      [
        `${name}({ cors: { origins, secret } })`,
        (s: string) => create({ ...handlerBase, cors: { origins: '*', x: s } } as never),
      ],
      [`${name}({ identify: secret })`, (s: string) => create({ ...handlerBase, identify: s } as never)],
      [`${name}({ onError: secret })`, (s: string) => create({ ...handlerBase, onError: s } as never)],
      [`${name}({ grants: secret })`, (s: string) => create({ ...handlerBase, grants: s } as never)],
      [`${name}({ bodyTimeout: secret })`, (s: string) => create({ ...handlerBase, bodyTimeout: s } as never)],
    ]),
  ),
};

describe('no error shows the secret or any 6-character window of it', () => {
  test.each(Object.entries(positions))('%s', (_name, call) => {
    fc.assert(
      fc.property(arbSecret(), (secret) => {
        let thrown: unknown;
        try {
          const result = call(secret);
          if (result instanceof Promise) result.catch(() => {});
        } catch (error) {
          thrown = error;
        }
        expect(thrown, 'each position throws').toBeDefined();
        const e = thrown as Error & { path?: string; code?: string };
        expect(e.name).toBe('AccessTokenError');
        const texts = [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e)].join('\n');
        for (const window of secretWindows(secret)) expect(texts).not.toContain(window);
      }),
      { numRuns: 40 },
    );
  });

  test('the async web verify rejects without the secret', async () => {
    await fc.assert(
      fc.asyncProperty(arbSecret(), async (secret) => {
        const error = (await web.verifyAccessToken('a.b.c', secret as never).catch((e: unknown) => e)) as Error;
        for (const window of secretWindows(secret)) expect(`${error.message}${error.stack}`).not.toContain(window);
      }),
      { numRuns: 40 },
    );
  });
});
