import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createAccessToken, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// `twilio-token doctor` and `explain`, run as the built CLI in a child process.

const cli = join(new URL('../..', import.meta.url).pathname, 'dist/cli.js');
const secretEnv = { TWILIO_API_KEY_SECRET: credentials.apiKeySecret };

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', ...(options.env ?? {}) },
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
});

describe('twilio-token doctor', () => {
  test('a clean token from stdin: exit 0, ok, signature checked with the secret from the environment', () => {
    const token = createAccessToken('alice', videoGrant(), { credentials });
    const r = run(['doctor', '-'], { input: `${token}\n`, env: secretEnv });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: nothing Twilio would reject (signature checked with TWILIO_API_KEY_SECRET)\n');
  });

  test('without a secret it says the signature was not checked', () => {
    const token = createAccessToken('alice', videoGrant(), { credentials });
    expect(run(['doctor', token]).stdout).toMatch(/signature not checked: set TWILIO_API_KEY_SECRET/);
  });

  test('a token signed with another secret: exit 1, 20107, and never the secret', () => {
    // A secret with no English in it, so its windows cannot match the message's own words.
    const secret = 'q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1';
    const token = createAccessToken('alice', videoGrant(), { credentials: { ...credentials, apiKeySecret: 'x9' } });
    const r = run(['doctor', '-'], { input: token, env: { TWILIO_API_KEY_SECRET: secret } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error {3}INVALID_SIGNATURE \(Twilio 20107\) at signature\n/);
    expect(r.stdout).toMatch(/not ok: 1 error, 0 warnings/);
    const all = r.stdout + r.stderr;
    for (let i = 0; i + 6 <= secret.length; i++) expect(all).not.toContain(secret.slice(i, i + 6));
  });

  test('-o json prints the Diagnosis', () => {
    const r = run(['doctor', 'x.y', '-o', 'json']);
    expect(r.code).toBe(1);
    const diagnosis = JSON.parse(r.stdout) as { ok: boolean; findings: { code: string; twilioError: number }[] };
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.findings[0]).toMatchObject({ code: 'MALFORMED_TOKEN', twilioError: 20101 });
  });

  test('no token: usage error, exit 2', () => {
    expect(run(['doctor']).code).toBe(2);
  });
});

describe('twilio-token explain', () => {
  test('a known code: causes, fixes and the page', () => {
    const r = run(['explain', '20103']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^20103: Invalid Access Token issuer\/subject\n\nCauses:\n {2}- The issuer \(iss\) is an Account SID/,
    );
    expect(r.stdout).toMatch(/Fixes:\n {2}- Sign with an API Key SID/);
    expect(r.stdout).toMatch(/More: https:\/\/www\.twilio\.com\/docs\/api\/errors\/20103\n$/);
  });

  test.each(['20101', '20104', '20107', '20157', '20160', '31204', '31205', '51007', '53200'])('knows %s', (code) => {
    const r = run(['explain', code, '-o', 'json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as { code: number; causes: string[]; fixes: string[] };
    expect(info.code).toBe(Number(code));
    expect(info.causes.length).toBeGreaterThan(0);
    expect(info.fixes.length).toBeGreaterThan(0);
  });

  test("an unknown code exits 1 and points to Twilio's error page", () => {
    const r = run(['explain', '12345']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/see https:\/\/www\.twilio\.com\/docs\/api\/errors\/12345/);
  });

  test('something that is not a code points to the URL pattern', () => {
    const r = run(['explain', 'oops']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/errors\/<code>/);
  });
});
