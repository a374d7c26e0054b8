import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccessToken, videoGrant } from '../../src/index.js';
import { credentials, secretWindows, sid } from '../helpers.js';
import { cliPath, emptyDir, type Outcome, runBuilt, runInProcess } from './harness.js';

// `twilio-token keys`, and `verify`/`doctor --keys FILE`: the keyring's roles and times, the key
// picked by the token's iss, files that are missing or malformed, and never a secret on any output.

const ACCOUNT = credentials.accountSid;
const OLD = sid('SK', '1');
const NEW = sid('SK', '2');
const NEXT = sid('SK', '3');
// Letters and digits that spell nothing the CLI prints.
const SECRETS = [
  'qxzjkvwyQXZJ23456789kvwyqxzjQXZJ',
  'zjkvQXZJwy98765432qxzjkvwyKVWYqx',
  'wyqxZJKV2345qxzjkvwyQXZJ6789zjkv',
];
const [OLD_SECRET, NEW_SECRET, NEXT_SECRET] = SECRETS as [string, string, string];

/** Old: signs from the start; new: signs from 2026-01-01; next: pending until 2099. */
const KEYS = [
  { sid: OLD, secret: OLD_SECRET },
  { sid: NEW, secret: NEW_SECRET, signFrom: '2026-01-01T00:00:00Z' },
  { sid: NEXT, secret: NEXT_SECRET, signFrom: 4070908800 },
];
const KEYS_JSON = JSON.stringify(KEYS);
const ENV = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: KEYS_JSON };

const tokenSignedBy = (apiKeySid: string, apiKeySecret: string, accountSid = ACCOUNT) =>
  createAccessToken('alice', videoGrant(), { credentials: { accountSid, apiKeySid, apiKeySecret } });

let dir: string;
let keysFile: string;
let recentKeysFile: string;
beforeAll(() => {
  dir = emptyDir();
  keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, KEYS_JSON);
  // NEW took over an hour ago: OLD verifies until a day after that.
  recentKeysFile = join(dir, 'recent-keys.json');
  const recent = KEYS.map((k) => (k.sid === NEW ? { ...k, signFrom: Math.floor(Date.now() / 1000) - 3600 } : k));
  writeFileSync(recentKeysFile, JSON.stringify(recent));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function leaks(outcome: Outcome, secrets: readonly string[] = SECRETS): string[] {
  const all = outcome.stdout + outcome.stderr;
  return secrets.flatMap(secretWindows).filter((w) => all.includes(w));
}

describe('twilio-token keys (built)', () => {
  beforeAll(() => {
    expect(runBuilt(['--version']).code, `${cliPath} is missing: run \`npx tsup\` first`).toBe(0);
  });

  test('one line per key: SID, role, signFrom and retireAt in ISO 8601 UTC, oldest first', () => {
    const r = runBuilt(['keys'], { env: ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `${OLD}  verifying  retireAt 2026-01-02T00:00:00.000Z`,
        `${NEW}  signing    signFrom 2026-01-01T00:00:00.000Z  retireAt 2099-01-02T00:00:00.000Z`,
        `${NEXT}  pending    signFrom 2099-01-01T00:00:00.000Z`,
        '',
      ].join('\n'),
    );
    expect(leaks(r)).toEqual([]);
  });

  test('-o json prints describe() as JSON', () => {
    const r = runBuilt(['keys', '-o', 'json'], { env: ENV });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { apiKeySid: OLD, role: 'verifying', retireAt: '2026-01-02T00:00:00.000Z' },
      { apiKeySid: NEW, role: 'signing', signFrom: '2026-01-01T00:00:00.000Z', retireAt: '2099-01-02T00:00:00.000Z' },
      { apiKeySid: NEXT, role: 'pending', signFrom: '2099-01-01T00:00:00.000Z' },
    ]);
    expect(leaks(r)).toEqual([]);
  });

  test('without TWILIO_API_KEYS: the single key of the usual variables, signing', () => {
    const r = runBuilt(['keys'], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY_SID: OLD, TWILIO_API_KEY_SECRET: OLD_SECRET },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${OLD}  signing\n`);
  });

  test('reads TWILIO_API_KEYS from ./.env', () => {
    const cwd = join(dir, 'with-dotenv');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, '.env'), `TWILIO_ACCOUNT_SID=${ACCOUNT}\nTWILIO_API_KEYS='${KEYS_JSON}'\n`);
    const r = runBuilt(['keys'], { dir: cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(4);
  });

  test('a secret shaped like an Auth Token: one warning line on stderr, without the secret', () => {
    const hex = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const r = runBuilt(['keys'], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: JSON.stringify([{ sid: OLD, secret: hex }]) },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${OLD}  signing\n`);
    expect(r.stderr).toMatch(/^twilio-token: warning TWILIO_SECRET_LOOKS_LIKE_AUTH_TOKEN: [^\n]+\n$/);
    expect(leaks(r, [hex])).toEqual([]);
  });

  test('a secret equal to TWILIO_AUTH_TOKEN: exit 1, ERR_INVALID_CREDENTIALS naming the variables', () => {
    const r = runBuilt(['keys'], { env: { ...ENV, TWILIO_AUTH_TOKEN: NEW_SECRET } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^twilio-token: ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS\[1\]\.secret.*TWILIO_AUTH_TOKEN/,
    );
    expect(leaks(r)).toEqual([]);
  });

  test('TWILIO_API_KEYS without an account: exit 1, ERR_MISSING_CREDENTIALS', () => {
    const r = runBuilt(['keys'], { env: { TWILIO_API_KEYS: KEYS_JSON } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^twilio-token: ERR_MISSING_CREDENTIALS: .*TWILIO_API_KEYS is set; set the account too/);
  });

  test('malformed TWILIO_API_KEYS: exit 1 with the code, never the value', () => {
    const r = runBuilt(['keys'], { env: { ...ENV, TWILIO_API_KEYS: `[{"sid":"${OLD}","secret":"${OLD_SECRET}"` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: ERR_INVALID_CREDENTIALS: Invalid TWILIO_API_KEYS: .*not valid JSON\n$/);
    expect(leaks(r)).toEqual([]);
  });

  test('takes no token and no --keys: usage, exit 2', () => {
    expect(runBuilt(['keys', 'x'], { env: ENV }).code).toBe(2);
    const r = runBuilt(['keys', '--keys', keysFile], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("twilio-token: --keys is not a flag of keys (see 'twilio-token keys --help')\n");
  });

  test('help names the command and its flags', () => {
    const r = runBuilt(['keys', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: twilio-token keys \[-o json\] \[--dotenv PATH\]/);
    expect(runBuilt(['--help']).stdout).toMatch(/twilio-token keys {18}the keyring of TWILIO_API_KEYS/);
    expect(runBuilt(['verify', '--help']).stdout).toMatch(
      /--keys FILE: a JSON file holding what TWILIO_API_KEYS holds/,
    );
  });
});

describe('verify and doctor --keys FILE (built)', () => {
  test.each([
    ['the signing key', NEW, NEW_SECRET, () => keysFile],
    ['a verifying key before its retireAt', OLD, OLD_SECRET, () => recentKeysFile],
    ['a pending key', NEXT, NEXT_SECRET, () => keysFile],
  ])('verify: a token of %s passes, picked by its iss', (_, apiKeySid, secret, file) => {
    const r = runBuilt(['verify', '-', '--keys', file()], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(apiKeySid, secret),
    });
    expect(r.stderr).toMatch(/^twilio-token: valid: /);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ iss: apiKeySid, sub: ACCOUNT });
    expect(leaks(r)).toEqual([]);
  });

  test('verify: the right SID with another key’s secret is ERR_INVALID_SIGNATURE', () => {
    const r = runBuilt(['verify', tokenSignedBy(NEW, OLD_SECRET), '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: ERR_INVALID_SIGNATURE: invalid: the signature check failed\./);
    expect(leaks(r)).toEqual([]);
  });

  test('verify: a key the file does not hold is ERR_UNKNOWN_KEY, exit 1', () => {
    const other = sid('SK', '9');
    const r = runBuilt(['verify', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(other, 'zzqqxxjjkkvvwwyy2233445566778899'),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^twilio-token: ERR_UNKNOWN_KEY: invalid: the key \(iss and sub\) check failed\. /);
    expect(leaks(r)).toEqual([]);
  });

  test('verify: a token of another account is ERR_UNKNOWN_KEY', () => {
    const r = runBuilt(['verify', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(NEW, NEW_SECRET, sid('AC', 'f')),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: ERR_UNKNOWN_KEY: /);
  });

  test('verify: --keys wins over TWILIO_API_KEY_SECRET in the environment', () => {
    const r = runBuilt(['verify', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY_SECRET: 'wrong-secret-value' },
      input: tokenSignedBy(NEW, NEW_SECRET),
    });
    expect(r.code).toBe(0);
  });

  test('verify: a fresh token of a key past its retireAt is ERR_KEY_RETIRED, exit 1 (issue 26, finding K1)', () => {
    // OLD retired at NEW's signFrom (2026-01-01) plus a day: whoever kept its secret cannot mint.
    const r = runBuilt(['verify', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(OLD, OLD_SECRET),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^twilio-token: ERR_KEY_RETIRED: invalid: the key schedule \(iat before and exp at or before the key's retireAt\) check failed\. /,
    );
    expect(leaks(r)).toEqual([]);
  });

  test('doctor: a token of a held key is ok, checked with the key of --keys', () => {
    const r = runBuilt(['doctor', '-', '--keys', keysFile], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(NEW, NEW_SECRET),
    });
    expect(r.stdout).toBe(
      'ok: nothing Twilio would reject (signature checked with the key of --keys that iss names)\n',
    );
    expect(r.code).toBe(0);
    expect(leaks(r)).toEqual([]);
  });

  test('doctor: an unknown key is an error finding, exit 1', () => {
    const r = runBuilt(['doctor', '-', '--keys', keysFile, '-o', 'json'], {
      env: { TWILIO_ACCOUNT_SID: ACCOUNT },
      input: tokenSignedBy(sid('SK', '9'), 'zzqqxxjjkkvvwwyy2233445566778899'),
    });
    expect(r.code).toBe(1);
    const diagnosis = JSON.parse(r.stdout) as { ok: boolean; findings: { code: string; severity: string }[] };
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.findings.some((f) => f.severity === 'error' && /UNKNOWN_KEY/.test(f.code))).toBe(true);
    expect(leaks(r)).toEqual([]);
  });

  test('without the account SID in the environment: ERR_MISSING_CREDENTIALS, exit 1', () => {
    const r = runBuilt(['verify', '-', '--keys', keysFile], { input: tokenSignedBy(NEW, NEW_SECRET) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: ERR_MISSING_CREDENTIALS: /);
  });
});

describe('--keys FILE that cannot be used', () => {
  const token = tokenSignedBy(NEW, NEW_SECRET);
  const env = { TWILIO_ACCOUNT_SID: ACCOUNT };

  test.each(['verify', 'doctor'])('%s: a missing file, named when its path is short', (command) => {
    const cwd = join(dir, `missing-${command}`);
    mkdirSync(cwd, { recursive: true });
    const short = runBuilt([command, token, '--keys', 'k.json'], { env, dir: cwd });
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('twilio-token: --keys "k.json": no such file\n');
    const long = runBuilt([command, token, '--keys', join(cwd, 'no-such-keys.json')], { env });
    expect(long.stderr).toBe(
      `twilio-token: --keys (a path of ${join(cwd, 'no-such-keys.json').length} characters): no such file\n`,
    );
  });

  const cases: [string, string, RegExp][] = [
    ['empty', '  \n', /is empty; it holds the JSON of TWILIO_API_KEYS/],
    [
      'not JSON',
      `[{"sid":"${OLD}","secret":"${OLD_SECRET}"`,
      /^ERR_INVALID_CREDENTIALS: .*: Invalid TWILIO_API_KEYS: .*not valid JSON$/,
    ],
    [
      'an object, not an array',
      JSON.stringify({ sid: OLD, secret: OLD_SECRET }),
      /^ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS/,
    ],
    ['an empty array', '[]', /^ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS/],
    [
      'an Account SID as a key',
      JSON.stringify([{ sid: ACCOUNT, secret: OLD_SECRET }]),
      /^ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS\[0\]\.sid/,
    ],
    [
      'a SID twice',
      JSON.stringify([KEYS[0], { ...KEYS[1], sid: OLD }]),
      /^ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS\[1\]\.sid/,
    ],
    [
      'a secret with a trailing newline',
      JSON.stringify([{ sid: OLD, secret: `${OLD_SECRET}\n` }]),
      /^ERR_INVALID_CREDENTIALS: .*TWILIO_API_KEYS\[0\]\.secret/,
    ],
    [
      'two keys signing from the start',
      JSON.stringify([KEYS[0], { sid: NEW, secret: NEW_SECRET }]),
      /^ERR_INVALID_OPTION: .*TWILIO_API_KEYS\[1\]\.signFrom/,
    ],
    [
      'an unknown field holding a secret',
      JSON.stringify([{ ...KEYS[0], [OLD_SECRET]: 1 }]),
      /^ERR_INVALID_CREDENTIALS: /,
    ],
  ];
  test.each(cases)('%s: exit 1 with the code, naming the file, never its content', (_, content, message) => {
    writeFileSync(join(dir, 'k.json'), content);
    for (const command of ['verify', 'doctor']) {
      const r = runBuilt([command, token, '--keys', 'k.json'], { env, dir });
      expect(r.code, command).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^twilio-token: .*--keys "k.json"/);
      expect(r.stderr.replace(/^twilio-token: /, '').trimEnd()).toMatch(message);
      expect(leaks(r)).toEqual([]);
    }
  });

  test('a directory cannot be read; over 1 MiB is refused', () => {
    const r = runBuilt(['verify', token, '--keys', dir], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: --keys \(a path of \d+ characters\) cannot be read \(EISDIR\)\n$/);
    const big = runBuilt(['verify', token, '--keys', '/dev/zero'], { env });
    expect(big.code).toBe(1);
    expect(big.stderr).toBe(
      'twilio-token: --keys (a path of 9 characters) is over 1 MiB: is it a JSON array of keys (TWILIO_API_KEYS)?\n',
    );
  });
});

describe('no 6-character window of any secret in any output', () => {
  /** Letters and digits that spell nothing the CLI prints. */
  const arbSecret = fc.string({
    unit: fc.constantFrom(...'qxzjkvwyQXZJKVWY23456789'.split('')),
    minLength: 32,
    maxLength: 40,
  });

  test('keys, verify and doctor, every outcome (in process)', async () => {
    const base = join(dir, 'property');
    mkdirSync(base, { recursive: true });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(arbSecret, arbSecret, arbSecret), async (secrets) => {
        const keys = secrets.map((secret, i) => ({ ...KEYS[i], secret }));
        const json = JSON.stringify(keys);
        const file = join(base, `${n++}.json`);
        writeFileSync(file, json);
        const env = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEYS: json };
        const wrong = JSON.stringify([{ sid: OLD, secret: ` ${secrets[0]}` }]);
        const wrongSid = JSON.stringify([{ sid: secrets[1], secret: secrets[2] }]);
        const runs: Outcome[] = [
          await runInProcess(['keys'], { env }),
          await runInProcess(['keys', '-o', 'json'], { env }),
          await runInProcess(['keys'], { env: { ...env, TWILIO_API_KEYS: wrong } }),
          await runInProcess(['keys'], { env: { ...env, TWILIO_API_KEYS: json.slice(0, -1) } }),
          await runInProcess(['keys'], { env: { ...env, TWILIO_AUTH_TOKEN: secrets[1] } }),
        ];
        for (const command of ['verify', 'doctor'])
          for (const [signer, secret] of [
            [NEW, secrets[1]],
            [OLD, secrets[2]],
            [sid('SK', '9'), secrets[0]],
          ] as const) {
            runs.push(
              await runInProcess([command, '-', '--keys', file], { env, input: tokenSignedBy(signer, secret) }),
            );
            runs.push(
              await runInProcess([command, '-', '--keys', file, '-o', 'json'], {
                env,
                input: tokenSignedBy(signer, secret),
              }),
            );
          }
        writeFileSync(file, wrong);
        runs.push(await runInProcess(['verify', 'x.y.z', '--keys', file], { env }));
        runs.push(await runInProcess(['doctor', 'x.y.z', '--keys', file], { env }));
        writeFileSync(file, wrongSid);
        runs.push(await runInProcess(['verify', 'x.y.z', '--keys', file], { env }));
        runs.push(await runInProcess(['keys'], { env: { ...env, TWILIO_API_KEYS: wrongSid } }));
        runs.push(await runInProcess(['verify', 'x.y.z', '--keys', join(base, secrets[0])], { env }));
        for (const r of runs) {
          expect(leaks(r, secrets), r.stderr).toEqual([]);
          expect(r.stderr).not.toMatch(/unexpected failure/);
        }
      }),
      { numRuns: 25 }, // each run writes key files and runs the CLI about twenty times
    );
  });
});
