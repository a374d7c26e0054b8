import { describe, expect, test } from 'vitest';
import { createAccessToken, createKeyring, keyringFromEnv, verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// attack4 (round: messages compacted). Was MEDIUM: a secret that reached the
// apiKeySecret position as a NUMBER (a config loader that parses an all-digit or digits-and-"e"
// secret, such as YAML or a JSON file written without quotes) is echoed in full: "expected the API
// Key secret, a non-empty string, received 98765432109876540". Sections 8 and 11 say apiKeySecret is
// described by type and length only, whatever it holds; a number is shown up to 17 significant
// digits of it.
//
// Repro: keyringFromEnv({ TWILIO_ACCOUNT_SID, TWILIO_API_KEYS: '[{"sid":"SK...","secret":98765432109876540123}]' })
//        -> Invalid TWILIO_API_KEYS[0].secret: ... received 98765432109876540000
//        createAccessToken('a', videoGrant(), { credentials: { ...credentials, apiKeySecret: 98765432109876540 } })

const SECRET_NUMBER = 98_765_432_109_876_540;
const digits = '987654321098';

const positions: [string, () => unknown][] = [
  [
    'TWILIO_API_KEYS with the secret written without quotes (the likeliest way)',
    () =>
      keyringFromEnv({
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEYS: `[{"sid":"${credentials.apiKeySid}","secret":${SECRET_NUMBER}}]`,
      }),
  ],
  [
    'createAccessToken credentials.apiKeySecret',
    () =>
      createAccessToken('a', videoGrant(), { credentials: { ...credentials, apiKeySecret: SECRET_NUMBER as never } }),
  ],
  [
    'verifyAccessToken options.apiKeySecret',
    () =>
      verifyAccessToken(createAccessToken('a', videoGrant(), { credentials }), {
        apiKeySecret: SECRET_NUMBER as never,
      }),
  ],
  [
    'createKeyring keys[0].apiKeySecret',
    () =>
      createKeyring({
        accountSid: credentials.accountSid,
        keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: SECRET_NUMBER as never }],
      }),
  ],
];

describe('a numeric secret is described, not shown', () => {
  test.each(positions)('%s', (_name, call) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    const e = thrown as Error & { code?: string; path?: string };
    expect(e.code).toBe('ERR_INVALID_CREDENTIALS');
    const texts = [e.message, e.stack ?? '', e.path ?? '', String(e), JSON.stringify(e)].join('\n');
    expect(texts).not.toContain(digits);
    expect(e.message).toMatch(/a long number/);
  });
});
