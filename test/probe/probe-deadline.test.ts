import { describe, expect, test } from 'vitest';
import { type Credentials, createKeyring } from '../../src/index.js';
import { probeCredentials } from '../../src/probe.js';
import { ACCOUNT, CREDENTIALS, fakeTwilioPerFile, KEY, SECRET } from './fake-twilio.js';

// Issue 26, section 16, the probe. Findings closed here:
// P1: nothing bounded the whole probe: three Regions, a keyring of 100 keys one after another and
//   every grant's SIDs, each up to `timeout`, could take many minutes on a dead network.
// P2: a 200 that was not Twilio's JSON (a captive portal's HTML page, a proxy's stub, a body that
//   does not parse or lacks what the probe reads) was taken for Twilio's yes: `ok: true`.

const credentials: Credentials = CREDENTIALS;
const fake = fakeTwilioPerFile();

const sk = (i: number) => `SK${i.toString(16).padStart(32, '0')}`;

describe('a deadline bounds the whole probe (P1)', () => {
  test('a host that never answers: "could not decide" within the deadline, and no request after it', async () => {
    fake.script = () => 'hang';
    const started = performance.now();
    const report = await probeCredentials(credentials, { fetch: fake.fetch, timeout: 60_000, deadline: 300 });
    const took = performance.now() - started;
    expect(took).toBeLessThan(5_000); // the per-request timeout was a minute
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.code)).toContain('PROBE_INCONCLUSIVE');
    expect(report.findings.some((f) => /deadline/.test(f.message))).toBe(true);
    // Every Region was tried, but after the deadline without a request.
    expect(fake.requests.length).toBeLessThanOrEqual(1);
  });

  test('a keyring of 40 keys on a network that never answers: at most 4 requests at once, within the deadline', async () => {
    let inFlight = 0;
    let most = 0;
    const fetch: typeof globalThis.fetch = (_input, init) => {
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => {
          inFlight--;
          reject(new Error('aborted'));
        });
      });
    };
    const keys = Array.from({ length: 40 }, (_, i) => ({
      apiKeySid: sk(i + 1),
      apiKeySecret: `secret-${i}-qxzjwmvb`,
      ...(i === 0 ? {} : { signFrom: 1_700_000_000 + i }),
    }));
    const keyring = createKeyring({ accountSid: ACCOUNT, keys });
    const started = performance.now();
    const report = await probeCredentials(keyring, { fetch, timeout: 200, deadline: 1_000 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
    expect(report.ok).toBe(false);
    // Every key has its "could not decide" finding, in the keyring's order.
    const paths = report.findings.map((f) => f.path).filter((p) => p?.startsWith('keyring.keys['));
    expect(paths.length).toBeGreaterThan(0);
  });

  test('a 429 whose Retry-After outlasts the deadline is not waited for', async () => {
    fake.script = () => ({ status: 429, body: { code: 20429, status: 429 }, headers: { 'retry-after': '3' } });
    const started = performance.now();
    const report = await probeCredentials(credentials, { fetch: fake.fetch, deadline: 500, regions: ['us1'] });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(report.ok).toBe(false);
  });

  test.each([
    ['seconds for milliseconds', 30],
    ['0', 0],
    ['fractional', 1000.5],
    ['over ten minutes', 600_001],
    ['a string', '30000'],
    ['NaN', Number.NaN],
    ['undefined, present', undefined],
  ])('deadline %s is ERR_INVALID_OPTION at options.deadline', async (_n, deadline) => {
    await expect(
      probeCredentials(credentials, { fetch: fake.fetch, deadline: deadline as number }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', path: 'options.deadline' });
  });
});

describe('a 200 that is not Twilio JSON is "could not decide", never ok (P2)', () => {
  test.each([
    ['an HTML page (a captive portal)', 'text/html; charset=utf-8', '<html>Sign in to the Wi-Fi</html>'],
    ['text/plain "OK"', 'text/plain', 'OK'],
    ['JSON that does not parse', 'application/json', '{"applications": ['],
    ['a JSON array', 'application/json', '[]'],
    ['JSON without the applications list', 'application/json', '{"ok": true}'],
    ['JSON whose applications is not a list', 'application/json', '{"applications": "none"}'],
    ['a prototype-named key', 'application/json', '{"__proto__": {"applications": []}}'],
    ['JSON with no content type', '', '{"applications": []}'],
  ])('%s', async (_n, type, raw) => {
    fake.script = (r) =>
      r.path.includes('/Applications.json') ? { status: 200, raw, headers: { 'content-type': type } } : undefined;
    const report = await probeCredentials(credentials, { fetch: fake.fetch, regions: ['us1'] });
    expect(report.ok).toBe(false);
    expect(report.region).toBeUndefined();
    expect(report.findings).toEqual([expect.objectContaining({ code: 'PROBE_INCONCLUSIVE', path: 'credentials' })]);
    expect(report.findings[0]?.message).not.toContain(raw.slice(0, 12));
  });

  test('an Account 200 for another SID is no Main key', async () => {
    fake.keys[0] = { sid: KEY, secret: SECRET, account: ACCOUNT, region: 'us1', kind: 'main' };
    fake.script = (r) =>
      r.path.endsWith(`/Accounts/${ACCOUNT}.json`) ? { status: 200, body: { sid: `AC${'0'.repeat(32)}` } } : undefined;
    const report = await probeCredentials(credentials, { fetch: fake.fetch, regions: ['us1'] });
    expect(report.keyType).toBeUndefined();
    expect(report.findings.map((f) => f.code)).toEqual(['PROBE_INCONCLUSIVE']);
  });
});
