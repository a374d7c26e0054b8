import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, test } from 'vitest';
import { chatGrant, createAccessToken, videoGrant } from '../../src/index.js';
import { BODIES, fakeTwilioPerFile } from '../probe/fake-twilio.js';
import { cliPath, runBuilt } from './harness.js';

// `twilio-token doctor --online` against the fake Twilio over real HTTP, through the loopback-only
// base-URL override; and every other command, run with a preload that makes any network use throw,
// makes no network request.

const ACCOUNT = `AC${'a1'.repeat(16)}`;
const KEY = `SK${'b2'.repeat(16)}`;
const SECRET = 'q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1';
const SERVICE = `IS${'c1'.repeat(16)}`;
const credentials = { accountSid: ACCOUNT, apiKeySid: KEY, apiKeySecret: SECRET };
const ENV = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY_SID: KEY, TWILIO_API_KEY_SECRET: SECRET };
const noNetwork = join(new URL('.', import.meta.url).pathname, 'fixtures/no-network.mjs');
const fakeFetch = join(new URL('.', import.meta.url).pathname, 'fixtures/fake-twilio-fetch.mjs');

const fake = fakeTwilioPerFile();

/** The built CLI as a child process, without blocking this process (the fake answers it). */
function runAsync(args: string[], env: Record<string, string>, input = '', nodeArgs: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, cliPath, ...args], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
const online = (args: string[], input = '', env: Record<string, string> = {}) =>
  runAsync(['doctor', '--online', ...args], { ...ENV, FAKE_TWILIO_BASE: fake.base, ...env }, input, [
    '--import',
    fakeFetch,
  ]);

describe('twilio-token doctor --online', () => {
  test('a clean token and a Standard US1 key: the offline verdict, then the online one; exit 0', async () => {
    fake.resources.set(`us1 conversations /v1/Services/${SERVICE}`, BODIES.service(SERVICE, ACCOUNT));
    const token = createAccessToken('alice', chatGrant({ serviceSid: SERVICE }), { credentials });
    const r = await online(['-'], token);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^ok: nothing Twilio would reject \(signature checked with TWILIO_API_KEY_SECRET\)\nonline ok: Twilio accepts the key in US1 \(standard key\); clock -?[01] s off Twilio's\n$/,
    );
    expect(r.code).toBe(0);
    expect(fake.requests.map((q) => q.host)).toEqual(['api.twilio.com', 'api.twilio.com', 'conversations.twilio.com']);
  });

  test("a service SID Twilio does not have: RESOURCE_NOT_FOUND in the doctor's format, exit 1", async () => {
    const token = createAccessToken('alice', chatGrant({ serviceSid: SERVICE }), { credentials });
    const r = await online(['-'], token);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'error   RESOURCE_NOT_FOUND (Twilio 20404) at payload.grants.chat.service_sid\n        Twilio has no Conversations Service with this SID in US1 for this account (404)',
    );
    expect(r.stdout).toMatch(
      /\nonline not ok: 1 error, 0 warnings; key in US1 \(standard key\); clock -?[01] s off Twilio's\n$/,
    );
  });

  test('no token: the credentials alone; a wrong secret is CREDENTIALS_REJECTED, and the secret is never printed', async () => {
    fake.keys = [];
    const r = await online([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error {3}CREDENTIALS_REJECTED \(Twilio 20003\) at credentials\n/);
    const all = r.stdout + r.stderr;
    for (let i = 0; i + 6 <= SECRET.length; i++) expect(all).not.toContain(SECRET.slice(i, i + 6));
  });

  test('-o json: the Diagnosis and the ProbeReport', async () => {
    fake.keys = [{ sid: KEY, secret: SECRET, account: ACCOUNT, region: 'ie1', kind: 'main' }];
    const token = createAccessToken('alice', videoGrant(), { credentials });
    const r = await online([token, '-o', 'json']);
    const out = JSON.parse(r.stdout) as {
      offline: { ok: boolean };
      online: { region: string; keyType: string; findings: { code: string }[] };
    };
    expect(out.offline.ok).toBe(true);
    expect(out.online).toMatchObject({ region: 'ie1', keyType: 'main' });
    expect(out.online.findings.map((f) => f.code)).toEqual(['REGION_MISMATCH', 'MAIN_KEY']);
    expect(r.code).toBe(1);
  });

  test('a keyring from --keys is probed key by key', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tat-online-'));
    const file = join(dir, 'keys.json');
    const next = `SK${'e6'.repeat(16)}`;
    writeFileSync(
      file,
      JSON.stringify([
        { sid: KEY, secret: SECRET },
        { sid: next, secret: 'n'.repeat(32), signFrom: '2099-01-01T00:00:00Z' },
      ]),
    );
    const r = await online(['--keys', file], '', { TWILIO_API_KEY_SECRET: '' });
    expect(r.stdout).toMatch(
      /^error {3}CREDENTIALS_REJECTED \(Twilio 20003\) at keyring\.keys\[1\]\n {8}The pending key 2/,
    );
    expect(r.code).toBe(1);
  });

  test('the shipped CLI has no base-URL override: TWILIO_TOKEN_TEST_BASE_URL sends nothing to its host (issue 26, third attack A4)', async () => {
    const sentinel = await listen();
    // Under the no-network preload, the one request the probe tries is to Twilio, not the sentinel.
    const r = await runAsync(
      ['doctor', '--online'],
      { ...ENV, TWILIO_TOKEN_TEST_BASE_URL: `http://127.0.0.1:${sentinel.port}` },
      '',
      ['--import', noNetwork],
    );
    expect(r.stderr).toContain('NETWORK-ATTEMPT fetch');
    expect(r.stderr).not.toContain('TWILIO_TOKEN_TEST_BASE_URL');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sentinel.connections()).toBe(0);
    await sentinel.close();
    // And no shipped file names the variable.
    const dist = join(cliPath, '..');
    for (const name of readdirSync(dist))
      if (/\.(c?js|mjs)$/.test(name)) expect(readFileSync(join(dist, name), 'utf8')).not.toContain('TEST_BASE_URL');
  });

  test('property: whatever URL the variable holds, no request reaches a host but Twilio (issue 26, third attack A4)', async () => {
    const seen: string[] = [];
    const original = globalThis.fetch;
    const { runInProcess } = await import('./harness.js');
    await fc.assert(
      fc.asyncProperty(fc.webUrl(), async (url) => {
        seen.length = 0;
        globalThis.fetch = (async (input: unknown) => {
          seen.push(new URL(String(input)).hostname);
          throw new Error('offline');
        }) as typeof fetch;
        try {
          await runInProcess(['doctor', '--online', '--timeout', '100'], {
            env: { ...ENV, TWILIO_TOKEN_TEST_BASE_URL: url },
          });
        } finally {
          globalThis.fetch = original;
        }
        for (const host of seen) expect(host).toMatch(/\.twilio\.com$/);
      }),
      { numRuns: 5 },
    );
  });
});

/** A server that counts connections: nothing should reach it. */
async function listen(host = '127.0.0.1') {
  let connections = 0;
  const server: Server = createServer((_, res) => res.end());
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('every other command makes no network request', () => {
  const token = createAccessToken('alice', [chatGrant({ serviceSid: SERVICE }), videoGrant()], { credentials });
  const keys = JSON.stringify([{ sid: KEY, secret: SECRET }]);
  const COMMANDS: [string[], string?][] = [
    [['video', '--identity', 'alice']],
    [['voice', '--identity', 'alice', '--allow-incoming']],
    [['chat', '--identity', 'alice', '--chat-service-sid', SERVICE]],
    [['conversations', '--identity', 'alice', '--chat-service-sid', SERVICE]],
    [['sync', '--identity', 'alice']],
    [
      [
        'taskrouter',
        '--identity',
        'alice',
        '--workspace-sid',
        `WS${'0'.repeat(32)}`,
        '--worker-sid',
        `WK${'0'.repeat(32)}`,
      ],
    ],
    [['mint', '--identity', 'alice', '--video', '-o', 'json']],
    [['video', '--identity', 'alice', '--demo']],
    [['decode', '-'], token],
    [['verify', '-'], token],
    [['doctor', '-'], token],
    [['doctor', '-', '-o', 'json'], token],
    [['explain', '20003']],
    [['keys']],
    [['help']],
    [['doctor', '--help']],
    [['--version']],
  ];

  test.each(COMMANDS)('%j', async (args, input) => {
    const sentinel = await listen();
    const r = runBuilt(args, {
      nodeArgs: ['--import', noNetwork],
      input: input ?? '',
      env: { ...ENV, TWILIO_API_KEYS: keys, TWILIO_TOKEN_TEST_BASE_URL: `http://127.0.0.1:${sentinel.port}` },
    });
    expect(r.stderr).not.toContain('NETWORK-ATTEMPT');
    expect(r.code, r.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sentinel.connections()).toBe(0);
    await sentinel.close();
  });

  test('the preload does catch network use: doctor --online under it tries, and is refused', () => {
    const r = runBuilt(['doctor', '--online'], { nodeArgs: ['--import', noNetwork], env: ENV });
    expect(r.stderr).toContain('NETWORK-ATTEMPT fetch');
    expect(r.stdout).toMatch(/PROBE_INCONCLUSIVE/);
    expect(r.code).toBe(1);
  });
});

describe('twilio-token doctor --online --push FILE', () => {
  const crSid = (n: number) => `CR${n.toString(16).padStart(32, '0')}`;
  const file = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), 'tat-push-')), 'push.json');
    writeFileSync(path, content);
    return path;
  };
  beforeEach(() => {
    fake.resources.set(`us1 chat /v2/Credentials/${crSid(1)}`, BODIES.credential(crSid(1), ACCOUNT, 'apn', 'true'));
    fake.resources.set(`us1 chat /v2/Credentials/${crSid(2)}`, BODIES.credential(crSid(2), ACCOUNT, 'fcm', null));
  });

  test('a sandbox credential under production and an FCM one under android: one error at its path, exit 1', async () => {
    const r = await online(['--push', file(JSON.stringify({ ios: crSid(1), android: crSid(2) }))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error   PUSH_CREDENTIAL_WRONG_ENVIRONMENT (Twilio 52134) at push.ios.production');
    expect(r.stdout).toContain(`push    push.ios.production: ${crSid(1)} is apn (sandbox)`);
    expect(r.stdout).toContain(`push    push.android: ${crSid(2)} is fcm`);
  });

  test('the right map: exit 0; -o json holds pushCredentials', async () => {
    const r = await online([
      '--push',
      file(JSON.stringify({ ios: { production: crSid(3), sandbox: crSid(1) }, android: crSid(2) })),
      '-o',
      'json',
    ]);
    fake.resources.set(`us1 chat /v2/Credentials/${crSid(3)}`, BODIES.credential(crSid(3), ACCOUNT, 'apn', 'false'));
    const again = await online([
      '--push',
      file(JSON.stringify({ ios: { production: crSid(3), sandbox: crSid(1) }, android: crSid(2) })),
      '-o',
      'json',
    ]);
    expect(r.code).toBe(1); // crSid(3) did not exist yet: RESOURCE_NOT_FOUND
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { online: { pushCredentials: unknown[] } };
    expect(report.online.pushCredentials).toHaveLength(3);
  });

  test.each([
    ['not JSON', '{ios:', /is not JSON/],
    [
      'a bad SID, never shown',
      JSON.stringify({ android: 'q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1' }),
      /ERR_INVALID_OPTION: --push .*push\.android/,
    ],
    ['an unknown platform', JSON.stringify({ IOS: crSid(1) }), /ERR_INVALID_OPTION/],
  ])('a file with %s: exit 1 and no request', async (_name, content, message) => {
    const r = await online(['--push', file(content)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1');
    expect(fake.requests).toEqual([]);
  });

  test('--push without --online is a usage error (exit 2)', async () => {
    const r = await runAsync(['doctor', '--push', file('{}'), '-'], ENV, 'x.y.z');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--push FILE needs --online');
  });
});

describe('doctor --online --timeout MS (issue 26, finding P1)', () => {
  test('a Twilio that never answers: "could not decide" per Region within the timeout, exit 1', async () => {
    fake.script = () => 'hang';
    const r = await online(['--timeout', '200']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PROBE_INCONCLUSIVE/);
    expect(r.stdout).toMatch(/no answer within 200 ms/);
  });

  test.each([['5'], ['0'], ['60001'], ['1.5e3'], ['5s'], ['']])(
    '--timeout %j is a usage mistake (milliseconds, 100 to 60000), exit 2, nothing asked',
    async (value) => {
      const r = await online(['--timeout', value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--timeout takes milliseconds per request/);
      expect(fake.requests).toEqual([]);
    },
  );

  test('--timeout -100 is a usage mistake too (read as a flag without its value)', async () => {
    expect((await online(['--timeout', '-100'])).code).toBe(2);
  });

  test('--timeout without --online is a usage mistake', () => {
    const r = runBuilt(['doctor', '-', '--timeout', '500'], { input: 'x.y.z' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--timeout is for doctor --online only/);
  });
});
