import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAccessToken, decodeAccessToken, verifyAccessToken, videoGrant } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';

// The built CLI as a child process, with a controlled environment and working folder.

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist/cli.js');
let cwd: string;

const ENV = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
};

function run(args: string[], options: { env?: Record<string, string>; input?: string; dir?: string } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.dir ?? cwd,
    env: { PATH: process.env.PATH ?? '', ...(options.env ?? ENV) },
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
  cwd = mkdtempSync(join(tmpdir(), 'tat-cli-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function grantsOf(stdout: string) {
  return verifyAccessToken(stdout.trim(), { apiKeySecret: credentials.apiKeySecret }).grants;
}

describe('twilio-token minting commands', () => {
  const WS = sid('WS');
  const WK = sid('WK');

  test('taskrouter mints a TaskRouter grant; --role is optional', () => {
    const r = run(['taskrouter', '--identity', 'agent', '--workspace-sid', WS, '--worker-sid', WK, '--role', 'worker']);
    expect(r.code).toBe(0);
    expect(grantsOf(r.stdout)).toEqual({
      identity: 'agent',
      task_router: { workspace_sid: WS, worker_sid: WK, role: 'worker' },
    });
    const missing = run(['taskrouter', '--identity', 'agent', '--workspace-sid', WS]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/taskrouter needs --worker-sid/);
    const bad = run(['taskrouter', '--identity', 'agent', '--workspace-sid', WS, '--worker-sid', WS]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ERR_INVALID_GRANT \(--worker-sid\)/);
  });

  test('mint combines taskrouter with other grants', () => {
    const r = run(['mint', '--identity', 'a', '--video', '--workspace-sid', WS, '--worker-sid', WK]);
    expect(Object.keys(grantsOf(r.stdout))).toEqual(['identity', 'video', 'task_router']);
  });

  test('--nbf and --algorithm reach the token; bad values name their flag', () => {
    const r = run(['video', '--identity', 'a', '--nbf', '1000', '--algorithm', 'HS384']);
    expect(r.code).toBe(0);
    const { header, payload } = decodeAccessToken(r.stdout.trim());
    expect(header.alg).toBe('HS384');
    expect(payload.nbf).toBe(1000);
    expect(run(['video', '--identity', 'a', '--algorithm', 'RS256']).stderr).toMatch(
      /ERR_INVALID_OPTION \(--algorithm\)/,
    );
    expect(run(['video', '--identity', 'a', '--nbf', 'soon']).stderr).toMatch(
      /ERR_INVALID_OPTION \(--nbf\).*received "soon"/,
    );
  });

  test('--endpoint-id reaches voice, chat and sync grants', () => {
    const voice = run(['voice', '--identity', 'a', '--allow-incoming', '--endpoint-id', 'desk-1']);
    expect(grantsOf(voice.stdout).voice).toEqual({ incoming: { allow: true }, endpoint_id: 'desk-1' });
    const chat = run(['chat', '--identity', 'a', '--chat-service-sid', sid('IS'), '--endpoint-id', 'e']);
    expect(grantsOf(chat.stdout).chat).toEqual({ service_sid: sid('IS'), endpoint_id: 'e' });
    const sync = run(['sync', '--identity', 'a', '--endpoint-id', 'e']);
    expect(grantsOf(sync.stdout).data_sync).toEqual({ endpoint_id: 'e' });
  });

  test('a repeated flag is a usage error, not the last one silently', () => {
    const r = run(['video', '--identity', 'alice', '--identity', 'mallory']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--identity was given twice/);
  });

  test('voice help and errors show that --allow-incoming alone works', () => {
    expect(run(['voice', '--help']).stdout).toMatch(/\[--voice-app-sid AP\.\.\.\] \[--allow-incoming\]/);
    expect(run(['--help']).stdout).toMatch(
      /voice {2}--identity ID \[--voice-app-sid AP\.\.\.\] \[--allow-incoming\] \(at least one\)/,
    );
    const none = run(['voice', '--identity', 'a']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/voice needs --voice-app-sid, --allow-incoming or both/);
  });

  test('video prints only the token on stdout', () => {
    const r = run(['video', '--identity', 'alice', '--room-name', 'standup']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(r.stderr).toBe('');
    expect(grantsOf(r.stdout)).toEqual({ identity: 'alice', video: { room: 'standup' } });
  });

  test('voice with --allow-incoming really grants incoming calls', () => {
    const r = run([
      'voice',
      '--identity',
      'alice',
      '--voice-app-sid',
      sid('AP'),
      '--allow-incoming',
      '--push-credential-sid',
      sid('CR'),
    ]);
    expect(r.code).toBe(0);
    expect(grantsOf(r.stdout).voice).toEqual({
      incoming: { allow: true },
      outgoing: { application_sid: sid('AP') },
      push_credential_sid: sid('CR'),
    });
  });

  test.each(['chat', 'conversations'])('%s', (command) => {
    const r = run([command, '--identity', 'alice', '--chat-service-sid', sid('IS')]);
    expect(r.code).toBe(0);
    expect(grantsOf(r.stdout)).toEqual({ identity: 'alice', chat: { service_sid: sid('IS') } });
  });

  test('sync, with and without a service', () => {
    expect(grantsOf(run(['sync', '--identity', 'a']).stdout)).toEqual({ identity: 'a', data_sync: {} });
    expect(grantsOf(run(['sync', '--identity', 'a', '--sync-service-sid', sid('IS')]).stdout).data_sync).toEqual({
      service_sid: sid('IS'),
    });
  });

  test('mint combines video, voice and chat in one token', () => {
    const r = run([
      'mint',
      '--identity',
      'alice',
      '--video',
      '--voice-app-sid',
      sid('AP'),
      '--allow-incoming',
      '--chat-service-sid',
      sid('IS'),
      '--sync',
    ]);
    expect(r.code).toBe(0);
    expect(grantsOf(r.stdout)).toEqual({
      identity: 'alice',
      video: {},
      voice: { incoming: { allow: true }, outgoing: { application_sid: sid('AP') } },
      chat: { service_sid: sid('IS') },
      data_sync: {},
    });
  });

  test('--ttl and --region reach the token', () => {
    const r = run(['video', '--identity', 'a', '--ttl', '600', '--region', 'ie1']);
    const { header, payload } = decodeAccessToken(r.stdout.trim());
    expect(payload.exp - payload.iat!).toBe(600);
    expect(header.twr).toBe('ie1');
  });

  test('-o json prints the handler body shape', () => {
    const r = run(['video', '--identity', 'alice', '-o', 'json', '--ttl', '120']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token', 'identity', 'ttl', 'expiresAt']);
    expect(body.identity).toBe('alice');
    expect(body.ttl).toBe(120);
    const { exp } = decodeAccessToken(body.token as string).payload;
    expect(body.expiresAt).toBe(new Date(exp * 1000).toISOString());
  });

  test('reads the tutorial variable names from ./.env, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tat-cli-env-'));
    writeFileSync(
      join(dir, '.env'),
      `ACCOUNT_SID=${credentials.accountSid}\nAPI_KEY=${credentials.apiKeySid}\nAPI_SECRET="${credentials.apiKeySecret}"\n`,
    );
    expect(grantsOf(run(['video', '--identity', 'a'], { env: {}, dir }).stdout).identity).toBe('a');
    // A whole key family in the environment wins over the file's.
    const other = run(['video', '--identity', 'a'], {
      env: { TWILIO_API_KEY_SID: sid('SK', 'f'), TWILIO_API_KEY_SECRET: 'another-secret' },
      dir,
    });
    expect(decodeAccessToken(other.stdout.trim()).payload.iss).toBe(sid('SK', 'f'));
    // A key from one family with a secret only in the other is refused, naming both.
    writeFileSync(join(dir, '.env'), `ACCOUNT_SID=${credentials.accountSid}\nAPI_SECRET=${credentials.apiKeySecret}\n`);
    const mixed = run(['video', '--identity', 'a'], { env: { TWILIO_API_KEY_SID: sid('SK', 'f') }, dir });
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/TWILIO_API_KEY_SID and API_SECRET are from different naming families/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('--dotenv PATH', () => {
    const file = join(cwd, 'creds.env');
    writeFileSync(
      file,
      `TWILIO_ACCOUNT_SID=${credentials.accountSid}\nTWILIO_API_KEY=${credentials.apiKeySid}\nTWILIO_API_SECRET=${credentials.apiKeySecret}\n`,
    );
    expect(run(['video', '--identity', 'a', '--dotenv', file], { env: {} }).code).toBe(0);
    const missing = run(['video', '--identity', 'a', '--dotenv', join(cwd, 'nope.env')], { env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    // A path may hold anything: only one of at most 8 characters is shown.
    expect(missing.stderr).toMatch(/--dotenv \(a path of \d+ characters\): no such file/);
  });

  test("--env-file (Node's own flag) gets a usage error that names --dotenv", () => {
    // With an existing file Node 20 reads it and passes the flag on; the CLI then points to --dotenv.
    const file = join(cwd, 'exists.env');
    writeFileSync(file, 'X=1\n');
    const r = run(['video', '--identity', 'a', '--env-file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--env-file is Node's own flag .* use --dotenv PATH instead/);
  });

  test('--demo works with no environment at all and warns on stderr', () => {
    const r = run(['video', '--identity', 'alice', '--demo'], { env: {} });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/fake demo credentials.*Twilio will reject this token/);
    expect(decodeAccessToken(r.stdout.trim()).payload.grants.identity).toBe('alice');
  });
});

describe('twilio-token decode and verify', () => {
  const token = () => createAccessToken('alice', videoGrant({ room: 'r' }), { credentials, ttl: 3600 });

  test('decode from an argument prints header and payload as indented JSON, expiry on stderr', () => {
    const t = token();
    const r = run(['decode', t], { env: {} });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(decodeAccessToken(t));
    expect(r.stdout).toContain('\n  "header": {');
    expect(r.stderr).toMatch(/expires in (59|60) min/);
  });

  test('decode from stdin', () => {
    const t = token();
    const r = run(['decode', '-'], { env: {}, input: `${t}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).payload.grants.identity).toBe('alice');
  });

  test('decode says when a token expired', () => {
    const expired = createAccessToken('a', videoGrant(), { credentials, ttl: 1, nbf: 0 });
    const old = `${expired.split('.')[0]}.${Buffer.from(JSON.stringify({ ...decodeAccessToken(expired).payload, exp: Math.floor(Date.now() / 1000) - 3 * 3600 - 100 })).toString('base64url')}.x`;
    expect(run(['decode', old], { env: {} }).stderr).toMatch(/expired 3 h ago/);
  });

  test('decode of garbage: exit 1 with ERR_MALFORMED_TOKEN, nothing on stdout', () => {
    const r = run(['decode', 'not-a-token'], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^twilio-token: ERR_MALFORMED_TOKEN: /);
  });

  test('verify succeeds with the secret from the environment', () => {
    const r = run(['verify', token()]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).grants).toEqual({ identity: 'alice', video: { room: 'r' } });
    expect(r.stderr).toMatch(/valid/);
  });

  test('verify from stdin', () => {
    expect(run(['verify', '-'], { input: token() }).code).toBe(0);
  });

  test.each([
    [
      'a wrong secret',
      (t: string) => t,
      { ...ENV, TWILIO_API_KEY_SECRET: 'wrong' },
      'ERR_INVALID_SIGNATURE',
      /the signature check failed/,
    ],
    [
      'a tampered payload',
      // A well-formed payload (decode checks the claims Twilio requires) with a wider grant.
      (t: string) =>
        `${t.split('.')[0]}.${Buffer.from(JSON.stringify({ ...decodeAccessToken(t).payload, grants: { identity: 'alice', video: {} } })).toString('base64url')}.${t.split('.')[2]}`,
      ENV,
      'ERR_INVALID_SIGNATURE',
      /signature/,
    ],
    [
      'alg none',
      (t: string) =>
        `${Buffer.from('{"alg":"none","typ":"JWT","cty":"twilio-fpa;v=1"}').toString('base64url')}.${t.split('.')[1]}.`,
      ENV,
      'ERR_UNSUPPORTED_ALGORITHM',
      /the algorithm check failed/,
    ],
    ['garbage', () => 'x.y.z', ENV, 'ERR_MALFORMED_TOKEN', /the format check failed/],
  ])('verify fails for %s and says which check', (_name, change, env, code, which) => {
    const r = run(['verify', change(token())], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(code);
    expect(r.stderr).toMatch(which);
    expect(r.stderr).not.toContain(credentials.apiKeySecret);
  });

  test('verify fails for an expired token', () => {
    const expired = createAccessToken('a', videoGrant(), { credentials, ttl: 1, nbf: 0 });
    const r = run(['verify', expired]);
    // Minted with ttl 1: expired by the time a second has passed; wait for that without a timer race.
    if (r.code === 0) {
      spawnSync('sleep', ['1.1']);
      const again = run(['verify', expired]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/ERR_TOKEN_EXPIRED.*expiry \(exp\)/);
    } else {
      expect(r.stderr).toMatch(/ERR_TOKEN_EXPIRED.*expiry \(exp\)/);
    }
  });

  test('verify fails for a token not valid yet', () => {
    const future = createAccessToken('a', videoGrant(), {
      credentials,
      ttl: 3600,
      nbf: Math.floor(Date.now() / 1000) + 1800,
    });
    const r = run(['verify', future]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR_TOKEN_NOT_YET_VALID.*not-before \(nbf\)/);
  });

  test('verify without a secret in the environment: exit 1 naming the variables', () => {
    const r = run(['verify', token()], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR_MISSING_CREDENTIALS.*TWILIO_API_KEY_SECRET/);
  });
});

describe('twilio-token errors', () => {
  test.each<[string, string[], Record<string, string> | undefined, number, RegExp]>([
    [
      'a bad SID',
      ['chat', '--identity', 'a', '--chat-service-sid', 'IS123'],
      undefined,
      1,
      /^twilio-token: ERR_INVALID_GRANT \(--chat-service-sid\): Invalid grants\.chat\.serviceSid: /,
    ],
    [
      'ttl 0',
      ['video', '--identity', 'a', '--ttl', '0'],
      undefined,
      1,
      /^twilio-token: ERR_INVALID_OPTION \(--ttl\): Invalid options\.ttl: expected an integer from 1 to 86400, received 0\n$/,
    ],
    [
      'ttl 90000',
      ['video', '--identity', 'a', '--ttl', '90000'],
      undefined,
      1,
      /ERR_INVALID_OPTION \(--ttl\).*received 90000/,
    ],
    [
      'ttl abc',
      ['video', '--identity', 'a', '--ttl', 'abc'],
      undefined,
      1,
      /ERR_INVALID_OPTION \(--ttl\).*received "abc"/,
    ],
    [
      'a bad region',
      ['video', '--identity', 'a', '--region', 'Europe'],
      undefined,
      1,
      /ERR_INVALID_OPTION \(--region\)/,
    ],
    [
      'an unknown flag',
      ['video', '--identity', 'a', '--room', 'r'],
      undefined,
      2,
      /^twilio-token: unknown option "--room" \(did you mean "--room-name"\?\)/,
    ],
    ['an unknown command', ['token:video'], undefined, 2, /unknown command "token:video" \(did you mean "video"\?\)/],
    ['a missing --identity', ['video'], undefined, 2, /video needs --identity/],
    ['a missing --chat-service-sid', ['chat', '--identity', 'a'], undefined, 2, /chat needs --chat-service-sid/],
    ['a voice token granting nothing', ['voice', '--identity', 'a'], undefined, 2, /voice needs --voice-app-sid/],
    ['mint without grants', ['mint', '--identity', 'a'], undefined, 2, /mint needs at least one grant flag/],
    ['a bad -o', ['video', '--identity', 'a', '-o', 'yaml'], undefined, 2, /-o must be text or json/],
    [
      'no credentials at all',
      ['video', '--identity', 'a'],
      {},
      1,
      /^twilio-token: ERR_MISSING_CREDENTIALS: Missing Twilio credentials: set accountSid/,
    ],
    [
      'only TWILIO_AUTH_TOKEN',
      ['video', '--identity', 'a'],
      { TWILIO_ACCOUNT_SID: credentials.accountSid, TWILIO_AUTH_TOKEN: 'auth-token-secret-value' },
      1,
      /ERR_MISSING_CREDENTIALS.*Only an Auth Token is set/,
    ],
    [
      'an Account SID as the API key',
      ['video', '--identity', 'a'],
      { ...ENV, TWILIO_API_KEY_SID: credentials.accountSid },
      1,
      /ERR_INVALID_CREDENTIALS.*20103/,
    ],
    [
      'an identity with a newline',
      ['video', '--identity', 'a\nb'],
      undefined,
      1,
      /ERR_INVALID_IDENTITY \(--identity\)/,
    ],
  ])('%s', (_name, args, env, code, message) => {
    const r = run(args, env === undefined ? {} : { env });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain(credentials.apiKeySecret);
    expect(r.stderr).not.toContain('auth-token-secret-value');
  });
});

describe('twilio-token help and version', () => {
  test('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version']).stdout).toBe(`${version}\n`);
    expect(run(['video', '--version']).stdout).toBe(`${version}\n`);
    expect(run(['decode', '--version']).stdout).toBe(`${version}\n`);
  });

  test.each(['video', 'voice', 'chat', 'conversations', 'sync', 'mint', 'decode', 'verify'])('%s --help', (command) => {
    const r = run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: twilio-token /);
  });

  test('--help (stdout, exit 0) and no arguments (stderr, exit 2) list every command', () => {
    for (const [args, code, stream] of [
      [['--help'], 0, 'stdout'],
      [[], 2, 'stderr'],
    ] as const) {
      const r = run([...args]);
      expect(r.code).toBe(code);
      for (const command of ['video', 'voice', 'chat', 'sync', 'mint', 'decode', 'verify'])
        expect(r[stream]).toContain(`twilio-token ${command}`);
      expect(r[stream]).toContain('npx twilio-access-token COMMAND');
    }
  });
});
