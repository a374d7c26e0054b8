import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createKeyring, keyringFromEnv } from '../../../src/index.js';
import { arbSecret, credentials, secretWindows } from '../../helpers.js';

// attack4 (round: messages compacted). keyringFromEnv and the keyring's own methods are not among
// the positions of secret-positions.property.test.ts: the API Key secret (or a whole
// TWILIO_API_KEYS JSON holding it) in each field of TWILIO_API_KEYS, and in each keyring argument.

const { accountSid, apiKeySid } = credentials;
const env = (keys: string) => ({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_API_KEYS: keys });
const keyring = (s: string) => createKeyring({ accountSid, keys: [{ apiKeySid, apiKeySecret: s }] });

const positions: Record<string, (s: string) => unknown> = {
  'TWILIO_API_KEYS is the secret': (s) => keyringFromEnv(env(s)),
  'TWILIO_API_KEYS cut short': (s) => keyringFromEnv(env(`[{"sid":"${apiKeySid}","secret":"${s}"`)),
  'TWILIO_API_KEYS with trailing text': (s) => keyringFromEnv(env(`[{"sid":"${apiKeySid}","secret":"${s}"}]${s}`)),
  'TWILIO_API_KEYS a JSON string': (s) => keyringFromEnv(env(JSON.stringify(s))),
  'TWILIO_API_KEYS an object keyed by the secret': (s) => keyringFromEnv(env(JSON.stringify({ [s]: s }))),
  'secret in sid': (s) => keyringFromEnv(env(JSON.stringify([{ sid: s, secret: s }]))),
  'secret as an unknown key': (s) => keyringFromEnv(env(JSON.stringify([{ sid: apiKeySid, secret: s, [s]: s }]))),
  'secret in signFrom': (s) => keyringFromEnv(env(JSON.stringify([{ sid: apiKeySid, secret: s, signFrom: s }]))),
  'secret with a newline': (s) => keyringFromEnv(env(JSON.stringify([{ sid: apiKeySid, secret: `${s}\n` }]))),
  'secret as a number-ish value': (s) => keyringFromEnv(env(`[{"sid":"${apiKeySid}","secret":${s}}]`)),
  'secret in an array item': (s) => keyringFromEnv(env(JSON.stringify([s]))),
  'secret twice (same sid)': (s) =>
    keyringFromEnv(
      env(
        JSON.stringify([
          { sid: apiKeySid, secret: s },
          { sid: apiKeySid, secret: s },
        ]),
      ),
    ),
  'secret equal to TWILIO_AUTH_TOKEN': (s) =>
    keyringFromEnv({ ...env(JSON.stringify([{ sid: apiKeySid, secret: s }])), TWILIO_AUTH_TOKEN: s }),
  'secret as the account SID': (s) =>
    keyringFromEnv({ TWILIO_ACCOUNT_SID: s, TWILIO_API_KEYS: JSON.stringify([{ sid: apiKeySid, secret: s }]) }),
  'keyring.signing(secret)': (s) => keyring(s).signing(s as never),
  'keyring.describe(secret)': (s) => keyring(s).describe(s as never),
  'createKeyring maxTtl secret': (s) =>
    createKeyring({ accountSid, keys: [{ apiKeySid, apiKeySecret: s }], maxTtl: s as never }),
  'createKeyring keys secret': (s) => createKeyring({ accountSid, keys: s as never }),
  'createKeyring unknown key': (s) =>
    createKeyring({ accountSid, keys: [{ apiKeySid, apiKeySecret: s }], [s]: 1 } as never),
};

describe('keyringFromEnv and keyring methods never show the secret (attack4)', () => {
  test.each(Object.entries(positions))('%s', (_name, call) => {
    fc.assert(
      fc.property(arbSecret(32, 40), (secret) => {
        let thrown: unknown;
        try {
          call(secret);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, 'throws').toBeDefined();
        const e = thrown as Error & { path?: string };
        expect(e.name).toBe('AccessTokenError');
        const texts = [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e)].join('\n');
        for (const w of secretWindows(secret)) expect(texts).not.toContain(w);
        expect(e.message).toMatch(/expected|unknown|Missing|set /);
      }),
      { numRuns: 20 },
    );
  });
});
