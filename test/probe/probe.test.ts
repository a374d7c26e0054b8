import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  type Credentials,
  chatGrant,
  createAccessToken,
  createKeyring,
  syncGrant,
  taskRouterGrant,
  videoGrant,
  voiceGrant,
} from '../../src/index.js';
import { runProbe } from '../../src/probe/probe.js';
import { probeCredentials } from '../../src/probe.js';
import {
  ACCOUNT,
  BODIES,
  CREDENTIALS,
  type FakeKey,
  type FakeTwilio,
  KEY,
  type Region,
  SECRET,
  startFakeTwilio,
} from './fake-twilio.js';

// probeCredentials against a fake Twilio on 127.0.0.1 (see fake-twilio.ts for where each answer's
// shape is documented): Region detection, wrong secret, restricted, Main vs Standard, each grant's
// resource, the token's Region, the clock, 429 and timeouts.

const sid = (prefix: string, fill: string) => `${prefix}${fill.repeat(32 / fill.length)}`;
const credentials: Credentials = CREDENTIALS;

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function addKey(region: Region, kind: FakeKey['kind'] = 'standard', over: Partial<FakeKey> = {}): void {
  fake.keys.push({ sid: KEY, secret: SECRET, account: ACCOUNT, region, kind, ...over });
}
const probe = (options: Record<string, unknown> = {}, source: unknown = credentials) =>
  probeCredentials(source as Credentials, { fetch: fake.fetch, ...options });
const codes = (report: { findings: readonly { code: string; path?: string }[] }) =>
  report.findings.map((f) => `${f.code}${f.path === undefined ? '' : ` at ${f.path}`}`);

const APPS = `/2010-04-01/Accounts/${ACCOUNT}/Applications.json?PageSize=1`;
const ACCOUNT_PATH = `/2010-04-01/Accounts/${ACCOUNT}.json`;

describe('probeCredentials: the key', () => {
  test('a Standard key in US1: ok, two requests to api.twilio.com', async () => {
    addKey('us1');
    const report = await probe();
    expect(report).toMatchObject({ ok: true, region: 'us1', keyType: 'standard', findings: [] });
    expect(Math.abs(report.clockSkewSeconds as number)).toBeLessThanOrEqual(1);
    expect(fake.urls).toEqual([`https://api.twilio.com${APPS}`, `https://api.twilio.com${ACCOUNT_PATH}`]);
  });

  test.each([
    ['ie1', 'https://api.dublin.ie1.twilio.com'],
    ['au1', 'https://api.sydney.au1.twilio.com'],
  ] as const)('a key created in %s is found there, after 401s from the Regions before it', async (region, origin) => {
    addKey(region);
    const report = await probe();
    expect(report).toMatchObject({ ok: true, region, keyType: 'standard' });
    expect(fake.urls.at(-2)).toBe(`${origin}${APPS}`);
    expect(fake.urls.at(-1)).toBe(`${origin}${ACCOUNT_PATH}`);
    expect(fake.urls[0]).toBe(`https://api.twilio.com${APPS}`);
    // Never the retired api.ie1 / api.au1 forms.
    expect(fake.urls.some((u) => /\/\/api\.(ie1|au1)\.twilio\.com/.test(u))).toBe(false);
  });

  test('regions: only the Regions given, in their order', async () => {
    addKey('au1');
    const report = await probe({ regions: ['au1'] });
    expect(report.region).toBe('au1');
    expect(fake.urls[0]).toBe(`https://api.sydney.au1.twilio.com${APPS}`);
  });

  test('a wrong secret: 401 (20003) in every Region is CREDENTIALS_REJECTED', async () => {
    addKey('us1', 'standard', { secret: 'another-secret-of-this-key-000000' });
    const report = await probe();
    expect(report.ok).toBe(false);
    expect(report.region).toBeUndefined();
    expect(report.keyType).toBeUndefined();
    expect(report.findings).toEqual([
      {
        severity: 'error',
        code: 'CREDENTIALS_REJECTED',
        twilioError: 20003,
        message:
          "The key was rejected in US1, IE1, AU1 (401, Twilio 20003): the secret is not this key's, the key was deleted, or it belongs to another account (or to a Region not probed)",
        path: 'credentials',
      },
    ]);
    expect(fake.requests).toHaveLength(3);
  });

  test('a key of another account is rejected the same way', async () => {
    addKey('us1', 'standard', { account: sid('AC', 'c3') });
    expect(codes(await probe())).toEqual(['CREDENTIALS_REJECTED at credentials']);
  });

  test('a Restricted key: 403 (70051) is KEY_RESTRICTED, and nothing else is asked', async () => {
    addKey('ie1', 'restricted');
    const report = await probe();
    expect(report).toMatchObject({ ok: false, region: 'ie1' });
    expect(report.keyType).toBeUndefined();
    expect(report.findings[0]).toMatchObject({ code: 'KEY_RESTRICTED', twilioError: 70051, severity: 'error' });
    expect(fake.requests).toHaveLength(2);
  });

  test("a Restricted key allowed to list Applications: 70051 on the Account; the token's SIDs are not fetched", async () => {
    addKey('us1');
    fake.script = (r) =>
      r.path === ACCOUNT_PATH
        ? { status: 403, body: { code: 70051, message: 'Authorization Failed', status: 403 } }
        : undefined;
    const token = createAccessToken('alice', chatGrant({ serviceSid: sid('IS', 'c1') }), { credentials });
    const report = await probe({ token });
    expect(codes(report)).toEqual(['KEY_RESTRICTED at credentials']);
    expect(report.keyType).toBeUndefined();
    expect(fake.requests).toHaveLength(2);
  });

  test('a Main key: ok, with a MAIN_KEY warning; the Account body (and its Auth Token) never shows', async () => {
    addKey('us1', 'main');
    const report = await probe();
    expect(report).toMatchObject({ ok: true, keyType: 'main' });
    expect(codes(report)).toEqual(['MAIN_KEY at credentials']);
    expect(JSON.stringify(report)).not.toContain('f'.repeat(8));
  });
});

describe('probeCredentials: what a token names', () => {
  const SIDS = {
    chatService: sid('IS', 'c1'),
    role: sid('RL', 'c2'),
    chatPush: sid('CR', 'c3'),
    app: sid('AP', 'c4'),
    voicePush: sid('CR', 'c5'),
    syncService: sid('IS', 'c6'),
    workspace: sid('WS', 'c7'),
    worker: sid('WK', 'c8'),
  };
  const RESOURCES = [
    ['conversations', `/v1/Services/${SIDS.chatService}`, 'payload.grants.chat.service_sid'],
    ['conversations', `/v1/Services/${SIDS.chatService}/Roles/${SIDS.role}`, 'payload.grants.chat.deployment_role_sid'],
    ['conversations', `/v1/Credentials/${SIDS.chatPush}`, 'payload.grants.chat.push_credential_sid'],
    [
      'api',
      `/2010-04-01/Accounts/${ACCOUNT}/Applications/${SIDS.app}.json`,
      'payload.grants.voice.outgoing.application_sid',
    ],
    ['chat', `/v2/Credentials/${SIDS.voicePush}`, 'payload.grants.voice.push_credential_sid'],
    ['sync', `/v1/Services/${SIDS.syncService}`, 'payload.grants.data_sync.service_sid'],
    ['taskrouter', `/v1/Workspaces/${SIDS.workspace}`, 'payload.grants.task_router.workspace_sid'],
    ['taskrouter', `/v1/Workspaces/${SIDS.workspace}/Workers/${SIDS.worker}`, 'payload.grants.task_router.worker_sid'],
  ] as const;
  const token = (region?: string) =>
    createAccessToken(
      'alice',
      [
        chatGrant({ serviceSid: SIDS.chatService, deploymentRoleSid: SIDS.role, pushCredentialSid: SIDS.chatPush }),
        voiceGrant({ outgoingApplicationSid: SIDS.app, pushCredentialSid: SIDS.voicePush }),
        syncGrant({ serviceSid: SIDS.syncService }),
        taskRouterGrant({ workspaceSid: SIDS.workspace, workerSid: SIDS.worker }),
        videoGrant({ room: 'standup' }),
      ],
      { credentials, ...(region === undefined ? {} : { region }) },
    );
  const addAll = (region: Region, except?: string) => {
    for (const [host, path] of RESOURCES)
      if (path !== except) fake.resources.set(`${region} ${host} ${path}`, BODIES.service('IS', ACCOUNT));
  };

  test('every SID exists: ok, each fetched once from its product host', async () => {
    addKey('us1');
    addAll('us1');
    const report = await probe({ token: token() });
    expect(report.findings).toEqual([]);
    expect(fake.urls.slice(2)).toEqual(RESOURCES.map(([host, path]) => `https://${host}.twilio.com${path}`));
  });

  test.each(RESOURCES)(
    'a %s resource that does not exist (404, 20404) is RESOURCE_NOT_FOUND at its grant',
    async (_, path, at) => {
      addKey('us1');
      addAll('us1', path);
      const report = await probe({ token: token() });
      expect(report.ok).toBe(false);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'RESOURCE_NOT_FOUND', twilioError: 20404, severity: 'error', path: at }),
      ]);
      expect(report.findings[0]?.message).toMatch(
        /^Twilio has no [\w ]+ with this SID in US1 for this account \(404\)/,
      );
    },
  );

  test('IE1: resources are fetched from the dublin.ie1 hosts; Sync (US1 only) is not fetched', async () => {
    addKey('ie1');
    addAll('ie1');
    const report = await probe({ token: token('ie1') });
    expect(codes(report)).toEqual([]);
    const fetched = fake.urls.slice(3);
    expect(fetched).toContain(`https://conversations.dublin.ie1.twilio.com/v1/Services/${SIDS.chatService}`);
    expect(fetched.some((u) => u.includes('sync'))).toBe(false);
    expect(fetched.every((u) => u.includes('.dublin.ie1.twilio.com'))).toBe(true);
  });

  test.each([
    ['gcm', null, 'PUSH_CREDENTIAL_GCM'],
    ['apn', 'true', 'PUSH_CREDENTIAL_SANDBOX'],
  ] as const)('a %s push credential (sandbox %s): %s', async (type, sandbox, code) => {
    addKey('us1');
    addAll('us1');
    const path = `/v1/Credentials/${SIDS.chatPush}`;
    fake.resources.set(`us1 conversations ${path}`, BODIES.credential(SIDS.chatPush, ACCOUNT, type, sandbox));
    const report = await probe({ token: token() });
    expect(report.ok).toBe(true);
    expect(codes(report)).toEqual([`${code} at payload.grants.chat.push_credential_sid`]);
  });

  test('an FCM or production APNs credential has no finding', async () => {
    addKey('us1');
    addAll('us1');
    fake.resources.set(
      `us1 conversations /v1/Credentials/${SIDS.chatPush}`,
      BODIES.credential(SIDS.chatPush, ACCOUNT, 'apn', 'false'),
    );
    fake.resources.set(
      `us1 chat /v2/Credentials/${SIDS.voicePush}`,
      BODIES.credential(SIDS.voicePush, ACCOUNT, 'fcm', null),
    );
    expect(codes(await probe({ token: token() }))).toEqual([]);
  });

  test("the token's Region against the key's: an IE1 key with a token for US1 (no twr)", async () => {
    addKey('ie1');
    const report = await probe({ token: createAccessToken('alice', videoGrant(), { credentials }) });
    expect(report.findings[0]).toMatchObject({ code: 'REGION_MISMATCH', path: 'header.twr', severity: 'error' });
    expect(report.findings[0]?.message).toBe(
      "The token has no region (twr), so Twilio reads it in US1, but its key lives in IE1: mint with region 'ie1' (a key works only in the Region it was created in)",
    );
  });

  test('a token for IE1 and a US1 key: REGION_MISMATCH names the token region', async () => {
    addKey('us1');
    const report = await probe({
      token: createAccessToken('alice', voiceGrant({ incomingAllow: true }), { credentials, region: 'ie1' }),
    });
    expect(report.findings[0]?.message).toMatch(/^The token is for the region "ie1", but its key lives in US1/);
  });

  test('a token of another key or account, and an undecodable one', async () => {
    addKey('us1');
    const other = { ...credentials, apiKeySid: sid('SK', 'd4'), accountSid: sid('AC', 'd5') };
    const report = await probe({ token: createAccessToken('alice', videoGrant(), { credentials: other }) });
    expect(codes(report)).toEqual(['ACCOUNT_MISMATCH at payload.sub', 'KEY_NOT_TOKEN_ISSUER at payload.iss']);
    const bad = await probe({ token: 'not.a.token' });
    expect(codes(bad)).toEqual(['MALFORMED_TOKEN at token']);
    expect(bad.region).toBe('us1');
  });
});

describe('probeCredentials: a keyring', () => {
  const NEXT = sid('SK', 'e6');
  const keyring = () =>
    createKeyring({
      accountSid: ACCOUNT,
      keys: [
        { apiKeySid: KEY, apiKeySecret: SECRET },
        { apiKeySid: NEXT, apiKeySecret: 'next-secret-0000000000000000000000', signFrom: '2099-01-01T00:00:00Z' },
      ],
    });

  test('the signing key is probed in full, every other key is authenticated too', async () => {
    addKey('us1');
    fake.keys.push({
      sid: NEXT,
      secret: 'next-secret-0000000000000000000000',
      account: ACCOUNT,
      region: 'us1',
      kind: 'standard',
    });
    const report = await probe({}, keyring());
    expect(report).toMatchObject({ ok: true, region: 'us1', keyType: 'standard', findings: [] });
    expect(fake.requests).toHaveLength(3);
  });

  test('a pending key with a wrong secret: CREDENTIALS_REJECTED at keyring.keys[1]', async () => {
    addKey('us1');
    const report = await probe({}, keyring());
    expect(codes(report)).toEqual(['CREDENTIALS_REJECTED at keyring.keys[1]']);
    expect(report.findings[0]?.message).toMatch(
      /^The pending key 2 of the keyring \(oldest first\) was rejected in US1, IE1, AU1/,
    );
  });

  test('a pending key created in another Region: REGION_MISMATCH', async () => {
    addKey('us1');
    fake.keys.push({
      sid: NEXT,
      secret: 'next-secret-0000000000000000000000',
      account: ACCOUNT,
      region: 'ie1',
      kind: 'standard',
    });
    expect(codes(await probe({}, keyring()))).toEqual(['REGION_MISMATCH at keyring.keys[1]']);
  });

  test("with a token, the keyring's key that signed it is probed; an iss it does not hold is UNKNOWN_KEY", async () => {
    fake.keys.push({
      sid: NEXT,
      secret: 'next-secret-0000000000000000000000',
      account: ACCOUNT,
      region: 'us1',
      kind: 'main',
    });
    addKey('us1');
    const byNext = createAccessToken('alice', videoGrant(), {
      credentials: { accountSid: ACCOUNT, apiKeySid: NEXT, apiKeySecret: 'next-secret-0000000000000000000000' },
    });
    expect((await probe({ token: byNext }, keyring())).keyType).toBe('main');
    const foreign = createAccessToken('alice', videoGrant(), {
      credentials: { ...credentials, apiKeySid: sid('SK', 'f7') },
    });
    expect(codes(await probe({ token: foreign }, keyring()))).toContain('UNKNOWN_KEY at payload.iss');
  });
});

describe('probeCredentials: the clock, 429 and failures', () => {
  test.each([
    [120, true],
    [-300, true],
    [30, false],
  ])("Twilio's clock %i s off: CLOCK_SKEW is %s", async (offset, warned) => {
    addKey('us1');
    fake.clockOffset = offset;
    const report = await probe();
    expect(Math.abs((report.clockSkewSeconds as number) - offset)).toBeLessThanOrEqual(1);
    expect(codes(report)).toEqual(warned ? ['CLOCK_SKEW'] : []);
    expect(report.ok).toBe(true);
  });

  const clock = () => {
    const waits: number[] = [];
    return { waits, now: () => Date.now(), sleep: async (ms: number) => void waits.push(ms) };
  };
  const rateLimited = (times: number, retryAfter: string) => {
    let left = times;
    fake.script = () =>
      left-- > 0
        ? {
            status: 429,
            body: { code: 20429, message: 'Too Many Requests', status: 429 },
            headers: { 'retry-after': retryAfter },
          }
        : undefined;
  };

  test('a 429 is retried once after Retry-After', async () => {
    addKey('us1');
    rateLimited(1, '2');
    const c = clock();
    const report = await runProbe(credentials, { fetch: fake.fetch }, c);
    expect(report).toMatchObject({ ok: true, region: 'us1' });
    expect(c.waits).toEqual([2000]);
    expect(fake.requests).toHaveLength(3);
  });

  test('a second 429 is PROBE_INCONCLUSIVE; so is a Retry-After over 5 s, without waiting', async () => {
    addKey('us1');
    rateLimited(2, '1');
    const c = clock();
    const twice = await runProbe(credentials, { fetch: fake.fetch, regions: ['us1'] }, c);
    expect(codes(twice)).toEqual(['PROBE_INCONCLUSIVE at credentials']);
    expect(twice.findings[0]?.message).toBe(
      'Could not tell whether US1 accepts the key: Twilio answered 429 (too many requests) twice; try again later',
    );
    rateLimited(1, '3600');
    const long = await runProbe(credentials, { fetch: fake.fetch, regions: ['us1'] }, c);
    expect(long.findings[0]?.message).toMatch(/asked to wait 3600 s; try again later$/);
    expect(c.waits).toEqual([1000]);
  });

  test('no answer within the timeout: PROBE_INCONCLUSIVE for that Region, with the others that rejected', async () => {
    addKey('us1');
    fake.script = (r) => (r.host === 'api.twilio.com' ? 'hang' : undefined);
    const report = await probe({ timeout: 150 });
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.message)).toEqual([
      'Could not tell whether US1 accepts the key: no answer within 150 ms; rejected in IE1, AU1',
    ]);
  });

  test('a network failure is PROBE_INCONCLUSIVE, and says nothing of the error', async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError(`fetch failed ${SECRET}`));
    const report = await probeCredentials(credentials, { fetch: failing, regions: ['ie1'] });
    expect(report.findings).toEqual([
      expect.objectContaining({
        code: 'PROBE_INCONCLUSIVE',
        message:
          'Could not tell whether IE1 accepts the key: the request failed (network error, DNS or TLS failure, or a redirect)',
      }),
    ]);
  });

  test('an unexpected answer (500) is PROBE_INCONCLUSIVE with its status and code only', async () => {
    addKey('us1');
    fake.script = (r) =>
      r.path.endsWith('.json') && !r.path.includes('Applications')
        ? { status: 500, body: { code: 20500, message: SECRET } }
        : undefined;
    const report = await probe();
    expect(report.findings.map((f) => f.message)).toEqual([
      'Could not tell a Main from a Standard key: Twilio answered an unexpected 500, Twilio 20500',
    ]);
  });
});
