import { beforeAll, describe, expect, test, vi } from 'vitest';
import { isAccessTokenError } from '../../src/base/errors.js';
import { createKeyring, videoGrant } from '../../src/index.js';
import { fromTwilioGrant, toTwilioAccessToken } from '../../src/twilio.js';
import { credentials } from '../helpers.js';

// attack4 (round: one copy per process) on /twilio. toTwilioAccessToken refuses another copy's grant
// and keyring with the "another copy" message (holds). Was failing: fromTwilioGrant given a
// grant of another copy of this package (or of this copy: a user who thinks it converts either way)
// says "unknown option (a key of 7 characters); known options: key, room": the caller is told about
// an option they never wrote, not that this is already a twilio-access-token grant (from another
// copy) and what to do.
//
// Repro: const other = require('/other/node_modules/twilio-access-token');
//        fromTwilioGrant(other.videoGrant())  -> ERR_INVALID_GRANT "Invalid grant: unknown option (a key of 7 characters) ..."

let other: typeof import('../../src/index.js');
beforeAll(async () => {
  vi.resetModules();
  other = await import('../../src/index.js');
  vi.resetModules();
});

describe('/twilio and another copy (attack4)', () => {
  test('toTwilioAccessToken refuses another copy’s grant and keyring, naming the other copy (holds)', () => {
    expect(() => toTwilioAccessToken('alice', [other.videoGrant() as never], { credentials })).toThrow(/another copy/);
    const keyring = other.createKeyring({
      accountSid: credentials.accountSid,
      keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }],
    });
    expect(() => toTwilioAccessToken('alice', [videoGrant()], { credentials: keyring as never })).toThrow(
      /another copy/,
    );
    const mine = createKeyring({
      accountSid: credentials.accountSid,
      keys: [{ apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret }],
    });
    expect(toTwilioAccessToken('alice', [videoGrant()], { credentials: mine }).toJwt()).toMatch(/^ey/);
  });

  test.each([
    ['another copy', () => other.videoGrant({ room: 'r' })],
    // Adapted (lowfix): a grant of this copy is returned as it is (twilio.test.ts, "returns a grant
    // of this package as it is"), so only another copy's grant is refused with this message.
  ])('fromTwilioGrant given a twilio-access-token grant of %s says so', (_name, make) => {
    let thrown: unknown;
    try {
      fromTwilioGrant(make() as never);
    } catch (e) {
      thrown = e;
    }
    expect(isAccessTokenError(thrown)).toBe(true);
    const message = (thrown as Error).message;
    expect(message).not.toMatch(/unknown option/);
    expect(message).toMatch(/twilio-access-token grant|another copy|already/);
  });
});
