import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The `twilio` peer range is what this test proves: `/twilio` loads, and its AccessToken signs what
// createAccessToken signs, with the oldest and newest release of each supported major. All versions
// are installed once, side by side under npm aliases, into a temporary folder; each gets a folder
// of its own where `twilio` is that version and this package is a copy of dist/ (a symlink would
// resolve `twilio` from this repository instead).

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(version: string, range: string): boolean };
const SUPPORTED = ['4.7.0', '4.23.0', '5.0.0', '5.13.1', '6.0.0', '6.3.1'];
const BROKEN = '4.0.0'; // AccessToken lives under dist/ there: /twilio cannot load it
const STALE = '4.6.0'; // its lib/jwt/AccessToken.js is an old copy whose VoiceGrant drops incomingAllow
const peer = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: { twilio: string } })
  .peerDependencies.twilio;
let dir: string;

const alias = (version: string) => `twilio-${version.replace(/\./g, '-')}`;

beforeAll(() => {
  expect(existsSync(join(root, 'dist/twilio.cjs')), 'dist/ is missing: run `npm run build` first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'tat-twilio-versions-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'versions', private: true }));
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
      ...[...SUPPORTED, BROKEN, STALE].map((v) => `${alias(v)}@npm:twilio@${v}`),
    ],
    { cwd: dir, stdio: 'ignore' },
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a script in a folder where `twilio` is the given version and this package is a copy of dist/. */
function withTwilio(version: string, script: string, type: 'commonjs' | 'module' = 'commonjs'): string {
  const app = join(dir, `app-${version}`);
  if (!existsSync(app)) {
    mkdirSync(join(app, 'node_modules/twilio-access-token'), { recursive: true });
    symlinkSync(join(dir, 'node_modules', alias(version)), join(app, 'node_modules/twilio'), 'dir');
    cpSync(join(root, 'dist'), join(app, 'node_modules/twilio-access-token/dist'), { recursive: true });
    cpSync(join(root, 'package.json'), join(app, 'node_modules/twilio-access-token/package.json'));
  }
  const args = type === 'module' ? ['--input-type=module', '-e', script] : ['-e', script];
  // stderr is captured (a failure's stack trace belongs in the thrown error, not in the test run's output).
  return execFileSync(process.execPath, args, {
    cwd: app,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const CHECK = `
  const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 'peer-secret' };
  const grants = [core.videoGrant({ room: 'r' }), core.voiceGrant({ incomingAllow: true })];
  const nbf = Math.floor(Date.now() / 1000);
  // twilio's token, or the code /twilio refused it with (a field this twilio's class would drop).
  const twilioJwt = () => {
    try { return interop.toTwilioAccessToken('alice', grants, { credentials: c, nbf }).toJwt(); }
    catch (error) { return error.code; }
  };
  // Same second for both: retry once if the clock ticked between them.
  let theirs, ours;
  for (let i = 0; i < 2 && theirs === ours; i++) {
    theirs = twilioJwt();
    ours = core.createAccessToken('alice', grants, { credentials: c, nbf });
    if (theirs !== ours) { theirs = twilioJwt(); ours = core.createAccessToken('alice', grants, { credentials: c, nbf }); }
  }
  // Its VideoGrant back through fromTwilioGrant: the room, or the code it was refused with.
  let back;
  try { back = interop.fromTwilioGrant(new (require('twilio').jwt.AccessToken.VideoGrant)({ room: 'r' })).payload.room; }
  catch (error) { back = error.code; }
  console.log(JSON.stringify([theirs === ours || (theirs.startsWith('ERR_') ? theirs : false), back]));
`;

describe.each(SUPPORTED)('twilio %s', (version) => {
  test('is inside the peer range', () => {
    expect(semver.satisfies(version, peer)).toBe(true);
  });

  test('/twilio loads with require, and its AccessToken signs what createAccessToken signs', () => {
    const out = withTwilio(
      version,
      `const core = require('twilio-access-token'); const interop = require('twilio-access-token/twilio'); ${CHECK}`,
    );
    expect(out.trim()).toBe('[true,"r"]');
  });

  test('/twilio loads with import', () => {
    const out = withTwilio(
      version,
      `import { toTwilioAccessToken } from 'twilio-access-token/twilio'; import { videoGrant } from 'twilio-access-token';
       const c = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 'peer-secret' };
       console.log(typeof toTwilioAccessToken('a', videoGrant(), { credentials: c }).toJwt());`,
      'module',
    );
    expect(out.trim()).toBe('string');
  });
});

describe(`twilio ${STALE}`, () => {
  test('is outside the peer range, since its AccessToken would sign something else', () => {
    expect(semver.satisfies(STALE, peer)).toBe(false);
    const out = withTwilio(
      STALE,
      `const core = require('twilio-access-token'); const interop = require('twilio-access-token/twilio'); ${CHECK}`,
    );
    // Its VoiceGrant drops incomingAllow: /twilio refuses to sign without it. Its grants are not the
    // shape fromTwilioGrant reads either. Both refused with a typed error, no crash.
    expect(out.trim()).toBe('["ERR_INVALID_GRANT","ERR_INVALID_GRANT"]');
  });
});

describe(`twilio ${BROKEN}`, () => {
  test('is outside the peer range, since /twilio cannot load its AccessToken', () => {
    expect(semver.satisfies(BROKEN, peer)).toBe(false);
    let failure: { status?: number; stderr?: string } | undefined;
    try {
      withTwilio(BROKEN, `require('twilio-access-token/twilio')`);
    } catch (error) {
      failure = error as typeof failure;
    }
    // One line naming the fix, no resolver stack (the contract for /twilio when it cannot load twilio).
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toMatch(/npm install twilio/);
    expect(failure?.stderr).not.toMatch(/^\s+at /m);
  });
});
