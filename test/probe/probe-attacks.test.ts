import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Credentials, chatGrant, createAccessToken, isAccessTokenError, voiceGrant } from '../../src/index.js';
import { ORIGINS, RefusedUrl } from '../../src/probe/hosts.js';
import { runProbe } from '../../src/probe/probe.js';
import { getTwilio } from '../../src/probe/request.js';
import { probeCredentials } from '../../src/probe.js';
import { ACCOUNT, BODIES, CREDENTIALS, type FakeKey, type FakeTwilio, KEY, startFakeTwilio } from './fake-twilio.js';

// The probe's promises under attack: strict options, requests only to Twilio's hosts, and the
// secret only in the Authorization header of those requests, never in a finding or an error.

const credentials: Credentials = CREDENTIALS;

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const windows = (secret: string) => Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6));

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; path?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('probeCredentials refuses bad input', () => {
  const noFetch = () => Promise.reject(new Error('no request may be made'));
  test.each([
    ['an unknown option', { timeoutMs: 5000 }, 'options.timeoutMs'],
    ['a prototype-named key', JSON.parse('{"__proto__": 1}'), 'options'],
    ['constructor', { constructor: 1 }, 'options'],
    ['toString', { toString: () => '' }, 'options'],
    ['a symbol key', { [Symbol('x')]: 1 }, 'options'],
    ['token undefined', { token: undefined }, 'options.token'],
    ['an empty token', { token: '' }, 'options.token'],
    ['a token that is a number', { token: 42 }, 'options.token'],
    ['fetch not a function', { fetch: 'fetch' }, 'options.fetch'],
    ['timeout in seconds', { timeout: 5 }, 'options.timeout'],
    ['timeout 0', { timeout: 0 }, 'options.timeout'],
    ['a fractional timeout', { timeout: 1500.5 }, 'options.timeout'],
    ['a timeout over a minute', { timeout: 60_001 }, 'options.timeout'],
    ['a timeout string', { timeout: '5000' }, 'options.timeout'],
    ['regions empty', { regions: [] }, 'options.regions'],
    ['regions a string', { regions: 'us1' }, 'options.regions'],
    ['an unknown region', { regions: ['us2'] }, 'options.regions[0]'],
    ['a retired host name as region', { regions: ['ie1', 'dublin'] }, 'options.regions[1]'],
    ['a region twice', { regions: ['us1', 'us1'] }, 'options.regions[1]'],
    ['upper-case region', { regions: ['US1'] }, 'options.regions[0]'],
    ['regions with a prototype name', { regions: ['constructor'] }, 'options.regions[0]'],
    ['four regions', { regions: ['us1', 'ie1', 'au1', 'us1'] }, 'options.regions'],
    ['not an object', 'us1', 'options'],
  ])('%s: ERR_INVALID_OPTION', async (_, options, path) => {
    const error = await rejection(probeCredentials(credentials, { fetch: noFetch, ...(options as object) }));
    if (typeof options === 'string') {
      const e = await rejection(probeCredentials(credentials, options as never));
      expect(e).toMatchObject({ code: 'ERR_INVALID_OPTION', path });
      return;
    }
    expect(isAccessTokenError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION', path });
  });

  test('regions that throw when read, or a Proxy: refused, not crashed', async () => {
    const hostile = new Proxy(['us1'], {
      get: (t, k) => {
        if (k === '0') throw new Error('boom');
        return Reflect.get(t, k);
      },
    });
    expect(await rejection(probeCredentials(credentials, { regions: hostile }))).toMatchObject({
      code: 'ERR_INVALID_OPTION',
      path: 'options.regions[0]',
    });
  });

  test('an accessor option is read once', async () => {
    let reads = 0;
    const options = {
      get timeout() {
        reads++;
        return reads === 1 ? 5 : 5000;
      },
    };
    expect(await rejection(probeCredentials(credentials, options))).toMatchObject({ path: 'options.timeout' });
    expect(reads).toBe(1);
  });

  test('malformed credentials: ERR_INVALID_CREDENTIALS, before any request', async () => {
    for (const bad of [{ ...credentials, apiKeySid: ACCOUNT }, { ...credentials, apiKeySecret: '' }, undefined, 'x']) {
      expect(await rejection(probeCredentials(bad as Credentials, { fetch: noFetch }))).toMatchObject({
        code: 'ERR_INVALID_CREDENTIALS',
      });
    }
  });

  test('a secret in any option position is never in the error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{32,40}$/),
        fc.constantFrom('token', 'fetch', 'regions', 'timeout', 'unknown', 'regionsItem'),
        async (secret, where) => {
          const options =
            where === 'regionsItem'
              ? { regions: ['us1', secret] }
              : where === 'token'
                ? { token: secret }
                : { [where]: where === 'regions' ? secret : secret };
          // A token is any string: the probe answers (MALFORMED_TOKEN, no request made) instead of failing.
          const outcome = await probeCredentials(credentials, { fetch: noFetch, ...options }).catch((e: unknown) => e);
          const error = outcome as { message?: string; path?: string };
          const text = `${error.message} ${error.path} ${JSON.stringify(outcome)} ${String(outcome)}`;
          for (const w of windows(secret)) expect(text).not.toContain(w);
        },
      ),
    );
  });
});

describe('a secret in a credentials position', () => {
  test('is never in the error: the whole argument, the SIDs, an unknown key, a keyring-like object', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{32,40}$/),
        fc.constantFrom('whole', 'accountSid', 'apiKeySid', 'unknown', 'secretWithSpace'),
        async (secret, where) => {
          const source =
            where === 'whole'
              ? secret
              : where === 'unknown'
                ? { ...credentials, [secret]: 1 }
                : where === 'secretWithSpace'
                  ? { ...credentials, apiKeySecret: ` ${secret}` }
                  : { ...credentials, [where]: secret };
          const error = await rejection(
            probeCredentials(source as Credentials, { fetch: () => Promise.reject(new Error('no')) }),
          );
          expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
          const text = `${error.message} ${error.path} ${JSON.stringify(error)} ${String(error)}`;
          for (const w of windows(secret)) expect(text).not.toContain(w);
        },
      ),
    );
  });
});

describe('requests go only to Twilio', () => {
  test('the hosts: api and five product hosts in US1, IE1 and AU1, by the edge pattern', () => {
    expect([...ORIGINS].sort()).toEqual(
      ['api', 'conversations', 'sync', 'taskrouter', 'video', 'chat']
        .flatMap((h) => [
          `https://${h}.twilio.com`,
          `https://${h}.dublin.ie1.twilio.com`,
          `https://${h}.sydney.au1.twilio.com`,
        ])
        .sort(),
    );
  });

  test.each([
    'https://api.ie1.twilio.com/2010-04-01/Accounts.json',
    'https://api.au1.twilio.com/x',
    'http://api.twilio.com/x',
    'https://api.twilio.com.evil.example/x',
    'https://evil.example/https://api.twilio.com/',
    'https://user:pass@api.twilio.com/x',
    'https://api.twilio.com:8443/x',
    'https://api.twilio.com/a/../b',
    'https://api.twilio.com\\@evil.example/',
    'https://API.twilio.com/x',
    'not a url',
  ])('%s is refused before any request', async (url) => {
    let called = 0;
    const ctx = {
      fetch: (() => {
        called++;
        return Promise.reject(new Error('x'));
      }) as typeof fetch,
      timeout: 1000,
      deadline: 30_000,
      deadlineAt: Date.now() + 30_000,
      sleep: async () => {},
      now: Date.now,
    };
    await expect(getTwilio(ctx, credentials, url)).rejects.toBeInstanceOf(RefusedUrl);
    expect(called).toBe(0);
  });

  test('a redirect from "Twilio" is not followed: the target sees no request, the probe cannot decide', async () => {
    let hits = 0;
    const sentinel = createServer((_, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((resolve) => sentinel.listen(0, '127.0.0.1', resolve));
    const port = (sentinel.address() as AddressInfo).port;
    fake.script = () => ({ status: 302, headers: { location: `http://127.0.0.1:${port}/steal` } });
    const report = await probeCredentials(credentials, { fetch: fake.fetch, regions: ['us1'] });
    expect(report.findings.map((f) => f.code)).toEqual(['PROBE_INCONCLUSIVE']);
    expect(hits).toBe(0);
    await new Promise((resolve) => sentinel.close(resolve));
  });

  test("Twilio's body is read, not trusted: a code under __proto__ is no code, a huge body is not read to its end", async () => {
    fake.script = () => ({ status: 401, body: JSON.parse('{"__proto__":{"code":20003},"message":"x"}') });
    const report = await probeCredentials(credentials, { fetch: fake.fetch, regions: ['us1'] });
    expect(report.findings[0]?.message).toBe(
      'Could not tell whether US1 accepts the key: Twilio answered an unexpected 401',
    );
    fake.script = () => ({ status: 401, body: { code: 20003, padding: 'x'.repeat(200_000) } });
    const huge = await probeCredentials(credentials, { fetch: fake.fetch, regions: ['us1'] });
    expect(huge.findings[0]?.code).toBe('PROBE_INCONCLUSIVE');
  });
});

describe('the timeout holds without the signal (an outside attack hung the probe)', () => {
  const expectInconclusive = (report: { findings: readonly { code: string; message: string }[] }) => {
    expect(report.findings.map((f) => f.code)).toEqual(['PROBE_INCONCLUSIVE']);
    expect(report.findings[0]?.message).toMatch(/no answer within 100 ms/);
  };

  test('a fetch that never settles and ignores its signal', async () => {
    const never = () => new Promise<Response>(() => {});
    expectInconclusive(await probeCredentials(credentials, { fetch: never, regions: ['us1'], timeout: 100 }));
  });

  test('a body that drips forever and ignores cancel', async () => {
    const drip = async () => {
      let timer: ReturnType<typeof setInterval> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          timer = setInterval(() => {
            try {
              controller.enqueue(new Uint8Array([32]));
            } catch {
              clearInterval(timer); // cancelled by the reader
            }
          }, 10);
        },
      });
      setTimeout(() => clearInterval(timer), 1000);
      return new Response(body, { status: 200 });
    };
    expectInconclusive(await probeCredentials(credentials, { fetch: drip, regions: ['us1'], timeout: 100 }));
  });

  test('a fetch that rejects after the deadline leaves no unhandled rejection', async () => {
    const late = () => new Promise<Response>((_, reject) => setTimeout(() => reject(new Error('late')), 150));
    expectInconclusive(await probeCredentials(credentials, { fetch: late, regions: ['us1'], timeout: 100 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});

describe('the secret goes only into the Authorization header of requests to Twilio', () => {
  const SCENARIOS = ['ok', 'main', 'restricted', 'wrong', 'ie1', '429', '500', 'missing'] as const;

  test('on every recorded request and in every finding, for random secrets and scenarios', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9]{32,40}$/),
        fc.constantFrom(...SCENARIOS),
        async (secret, scenario) => {
          fake.reset();
          const key: Credentials = { ...credentials, apiKeySecret: secret };
          const kind: FakeKey['kind'] =
            scenario === 'main' ? 'main' : scenario === 'restricted' ? 'restricted' : 'standard';
          fake.keys.push({
            sid: KEY,
            secret: scenario === 'wrong' ? 'another' : secret,
            account: ACCOUNT,
            region: scenario === 'ie1' ? 'ie1' : 'us1',
            kind,
          });
          const service = `IS${'c1'.repeat(16)}`;
          if (scenario !== 'missing')
            fake.resources.set(`us1 conversations /v1/Services/${service}`, BODIES.service(service, ACCOUNT));
          let left = 1;
          fake.script =
            scenario === '429'
              ? () => (left-- > 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined)
              : scenario === '500'
                ? (r) =>
                    r.path.includes('Services') ? { status: 500, body: { code: 20500, message: secret } } : undefined
                : undefined;
          const token = createAccessToken(
            'alice',
            [chatGrant({ serviceSid: service }), voiceGrant({ incomingAllow: true })],
            {
              credentials: key,
            },
          );
          const report = await runProbe(key, { fetch: fake.fetch, token }, { now: Date.now, sleep: async () => {} });
          expect(fake.requests.length).toBeGreaterThan(0);
          const shown = JSON.stringify(report);
          for (const w of windows(secret)) expect(shown).not.toContain(w);
          for (const request of fake.requests) {
            const { authorization, ...others } = request.headers;
            const decoded = Buffer.from(String(authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
            expect(decoded).toBe(`${KEY}:${secret}`);
            const elsewhere = `${request.host}${request.path}${JSON.stringify(others)}`;
            for (const w of windows(secret)) expect(elsewhere).not.toContain(w);
          }
          for (const url of fake.urls) expect(ORIGINS.has(new URL(url).origin)).toBe(true);
        },
      ),
      // Each run is a handful of real HTTP requests: fewer runs than the in-process properties.
      { numRuns: Math.min(fc.readConfigureGlobal().numRuns ?? 100, 60) },
    );
  });
});
