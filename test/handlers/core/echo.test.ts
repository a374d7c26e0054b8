import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import type { TokenHandlerOptions } from '../../../src/handlers/core/types.js';
import { createFetchHandler } from '../../../src/handlers/fetch/index.js';
import { createLambdaHandler } from '../../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../../src/handlers/twilio-functions/index.js';
import {
  chatGrant,
  type Grant,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  videoGrant,
  voiceGrant,
} from '../../../src/index.js';
import { arbSecret, credentials, secretWindows } from '../../helpers.js';
import { adapters, closeServers, type TestResponse } from '../adapters.js';

// A hook that reads a misconfigured variable (a secret where a room name or a SID belongs) must
// not send it to the HTTP client, nor to the default logger: over every adapter, a random 32-40
// character secret goes into each grant option, the identity and the credentials a hook builds, and
// no 6-character window of it appears in the body, the headers or what was logged.

afterAll(closeServers);
afterEach(() => vi.restoreAllMocks());

const AP = `AP${'0'.repeat(32)}`;
const IS = `IS${'0'.repeat(32)}`;
const WS = `WS${'0'.repeat(32)}`;
const WK = `WK${'0'.repeat(32)}`;

interface Position {
  /** The status and code the client must get. */
  status: number;
  code: string | undefined;
  /** Hooks (and credentials) that put the secret there. */
  options(secret: string): Partial<TokenHandlerOptions>;
}

const grantWith = (build: (secret: string) => Grant | readonly Grant[]) => (secret: string) => ({
  grants: () => build(secret),
});
const badGrant = (build: (secret: string) => Grant): Position => ({
  status: 400,
  code: 'ERR_INVALID_GRANT',
  options: grantWith(build),
});

const positions: Record<string, Position> = {
  // Where a secret is not valid: the 400 the hook's AccessTokenError becomes.
  'voice.outgoingApplicationSid': badGrant((s) => voiceGrant({ outgoingApplicationSid: s })),
  'voice.pushCredentialSid': badGrant((s) => voiceGrant({ incomingAllow: true, pushCredentialSid: s })),
  'voice.incomingAllow': badGrant((s) => voiceGrant({ incomingAllow: s as never })),
  'voice.outgoingApplicationParams': badGrant((s) =>
    voiceGrant({ outgoingApplicationSid: AP, outgoingApplicationParams: s as never }),
  ),
  'chat.serviceSid': badGrant((s) => chatGrant({ serviceSid: s })),
  'chat.deploymentRoleSid': badGrant((s) => chatGrant({ serviceSid: IS, deploymentRoleSid: s })),
  'chat.pushCredentialSid': badGrant((s) => chatGrant({ serviceSid: IS, pushCredentialSid: s })),
  'sync.serviceSid': badGrant((s) => syncGrant({ serviceSid: s })),
  'taskRouter.workspaceSid': badGrant((s) => taskRouterGrant({ workspaceSid: s, workerSid: WK })),
  'taskRouter.workerSid': badGrant((s) => taskRouterGrant({ workspaceSid: WS, workerSid: s })),
  'taskRouter.role (not a string)': badGrant((s) =>
    taskRouterGrant({ workspaceSid: WS, workerSid: WK, role: [s] as never }),
  ),
  'playback.grant': badGrant((s) => playbackGrant({ grant: s as never })),
  'video.room (not a string)': badGrant((s) => videoGrant({ room: { name: s } as never })),
  'video: an unknown key named by the secret': badGrant((s) => videoGrant({ [s]: 'x' } as never)),
  "video: an unknown key's value": badGrant((s) => videoGrant({ roomName: s } as never)),
  'sync: a misspelt key holding the secret': badGrant((s) => syncGrant({ serviceSID: s } as never)),
  'identity with a control character': {
    status: 400,
    code: 'ERR_INVALID_IDENTITY',
    options: (s) => ({ identify: () => `${s.slice(0, 10)}\n${s.slice(10)}` }),
  },
  'identity longer than 256': {
    status: 400,
    code: 'ERR_INVALID_IDENTITY',
    options: (s) => ({ identify: () => s.repeat(9) }),
  },
  'credentials function: accountSid': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ credentials: () => ({ ...credentials, accountSid: s }) }),
  },
  'credentials function: apiKeySid': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ credentials: () => ({ ...credentials, apiKeySid: s }) }),
  },
  'credentials function: a secret with a trailing newline': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ credentials: () => ({ ...credentials, apiKeySecret: `${s}\n` }) }),
  },
  'credentials function: the secret instead of an object': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ credentials: (() => s) as never }),
  },
  'grants function: the secret instead of a grant': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ grants: (() => s) as never }),
  },
  'identify: the secret inside an object': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ identify: (() => ({ id: s })) as never }),
  },
  'rateLimit: the secret as the verdict': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ rateLimit: (() => s) as never }),
  },
  'rateLimit: the secret as retryAfter': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ rateLimit: (() => ({ retryAfter: s })) as never }),
  },
  'rateLimit: a verdict key named by the secret': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ rateLimit: (() => ({ retryAfter: 5, [s]: 1 })) as never }),
  },
  'rateLimit: the secret as a number of seconds in a string-like object': {
    status: 500,
    code: 'ERR_INTERNAL',
    options: (s) => ({ rateLimit: (() => ({ retryAfter: { valueOf: () => s } })) as never }),
  },
  // Where any string is valid, the value is signed into the token (base64url), never shown.
  'video.room (valid)': { status: 200, code: undefined, options: grantWith((s) => videoGrant({ room: s })) },
  'voice.endpointId (valid)': {
    status: 200,
    code: undefined,
    options: grantWith((s) => voiceGrant({ incomingAllow: true, endpointId: s })),
  },
  'credentials function: the secret as apiKeySecret (valid)': {
    status: 200,
    code: undefined,
    options: (s) => ({ credentials: () => ({ ...credentials, apiKeySecret: s }) }),
  },
};

function leaks(secret: string, texts: string[]): string[] {
  const all = texts.join('\n');
  return secretWindows(secret).filter((w) => all.includes(w));
}

describe.each(adapters)('$name: a secret a hook passes on never reaches the client or the log', (adapter) => {
  test.each(Object.entries(positions))('%s', async (_name, position) => {
    await fc.assert(
      fc.asyncProperty(arbSecret(32, 40), async (secret) => {
        const error = vi.spyOn(console, 'error').mockImplementation(() => {});
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
        // The default onError: what it logs is checked too.
        const options = { credentials, identify: () => 'alice', grants: videoGrant(), ...position.options(secret) };
        const response: TestResponse = await adapter.create(options as TokenHandlerOptions)({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const logged = [...error.mock.calls, ...warn.mock.calls].flat().map(String);
        error.mockRestore();
        warn.mockRestore();
        expect(response.status).toBe(position.status);
        if (position.code !== undefined) {
          expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe(position.code);
          // The operator hears of every failure: a 500 as an error, a hook's 400 as a warning.
          expect(logged.length).toBe(1);
        }
        const headers = Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`);
        expect(leaks(secret, [response.body, ...headers, ...logged])).toEqual([]);
      }),
      // Special count: 27 positions on 9 adapters, each run a real request (sockets for two of
      // them); 8 secrets per pair is about 2,000 requests, and the secret's alphabet does the rest.
      { numRuns: 8 },
    );
  });
});

describe('handler options: CORS values and unknown keys are described, not echoed', () => {
  const factories: Record<string, (options: never) => unknown> = {
    createExpressHandler,
    createFetchHandler,
    createLambdaHandler,
    createTwilioFunction,
  };
  const base = { credentials, identify: () => 'alice', grants: videoGrant() };
  const cases: Record<string, [(s: string) => unknown, string, RegExp]> = {
    'cors.origins: an origin with a path': [
      (s) => ({ cors: { origins: [`https://${s}.example/x`] } }),
      'options.cors.origins[0]',
      /received a string of \d+ characters/,
    ],
    'cors.origins: the secret alone': [
      (s) => ({ cors: { origins: ['https://app.example.com', s] } }),
      'options.cors.origins[1]',
      /received a string of \d+ characters/,
    ],
    'cors.origins: a string other than *': [
      (s) => ({ cors: { origins: s } }),
      'options.cors.origins',
      /received a string of \d+ characters/,
    ],
    'cors.allowHeaders: not a header name': [
      (s) => ({ cors: { origins: '*', allowHeaders: ['X-Ok', `${s}:`] } }),
      'options.cors.allowHeaders[1]',
      /received a string of \d+ characters/,
    ],
    'an unknown handler option named by the secret': [
      (s) => ({ [s]: true }),
      'options',
      /unknown option \(a key of \d+ characters\)/,
    ],
    "an unknown handler option's value": [(s) => ({ apiSecret: s }), 'options', /unknown option/],
    'an unknown cors key named by the secret': [
      (s) => ({ cors: { origins: '*', [s]: 1 } }),
      'options.cors',
      /unknown option \(a key of \d+ characters\)/,
    ],
  };
  test.each(Object.entries(factories))('%s', (_factory, create) => {
    fc.assert(
      fc.property(arbSecret(32, 40), fc.constantFrom(...Object.keys(cases)), (secret, name) => {
        const [extra, path, message] = cases[name]!;
        let thrown: unknown;
        try {
          create({ ...base, ...(extra(secret) as object) } as never);
        } catch (error) {
          thrown = error;
        }
        const e = thrown as { code: string; path: string; message: string; stack: string };
        expect(e.code).toBe('ERR_INVALID_OPTION');
        expect(e.path).toBe(path);
        expect(e.message).toMatch(message);
        expect(leaks(secret, [e.message, e.path, e.stack, String(thrown), JSON.stringify(thrown)])).toEqual([]);
      }),
    );
  });
});
