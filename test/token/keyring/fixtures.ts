import { type Credentials, createKeyring } from '../../../src/index.js';
import { FROZEN_S, sid } from '../../helpers.js';

// One rotation for the keyring tests: OLD signs until SWITCH (an hour after the frozen clock), NEW
// from then on; maxTtl 3600, so OLD's retireAt is SWITCH + 3600.

export const ACCOUNT = sid('AC', 'a');
export const OLD: Credentials = { accountSid: ACCOUNT, apiKeySid: sid('SK', '1'), apiKeySecret: 'old-secret-qxzj2345' };
export const NEW: Credentials = { accountSid: ACCOUNT, apiKeySid: sid('SK', '2'), apiKeySecret: 'new-secret-qxzj6789' };
export const SWITCH = FROZEN_S + 3600;
export const keyring = createKeyring({
  accountSid: ACCOUNT,
  maxTtl: 3600,
  keys: [
    { apiKeySid: OLD.apiKeySid, apiKeySecret: OLD.apiKeySecret },
    { apiKeySid: NEW.apiKeySid, apiKeySecret: NEW.apiKeySecret, signFrom: SWITCH },
  ],
});
