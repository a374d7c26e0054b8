// The light core's figures: what an app pays for what it imports (bundle sizes of the packed
// package, the tarball) and how fast the first token is beside generic JWT signers, each printed
// beside its target and anchor. Sizes: the package packed and unpacked into a fresh app, bundled by
// esbuild (`--bundle --minify --format=esm`; `--platform=node` for the main entry, `neutral` with
// `module,main` fields for /web and /client), brotli quality 11. Speed: alternating rounds in one
// process (rounds.mjs), the same token from every signer.
import { execFileSync } from 'node:child_process';
import { createHmac, createSecretKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import * as ours from '../dist/index.js';
import { alternate } from './rounds.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const bench = fileURLToPath(new URL('.', import.meta.url));

// --- Weight ---------------------------------------------------------------------------------------

const app = mkdtempSync(join(tmpdir(), 'light-core-'));
execFileSync('npm', ['pack', '--silent', '--pack-destination', app], { cwd: root, stdio: ['ignore', 'ignore', 2] });
const tarball = readdirSync(app).find((f) => f.endsWith('.tgz'));
const tarballBytes = statSync(join(app, tarball)).size;
const installed = join(app, 'node_modules', 'twilio-access-token');
mkdirSync(installed, { recursive: true });
execFileSync('tar', ['-xzf', join(app, tarball), '-C', installed, '--strip-components=1']);
writeFileSync(join(app, 'package.json'), '{"private":true,"type":"module"}\n');

// The package's `module` condition, listed first, gives bundlers its ESM modules (dist/esm/), for both
// import and require. esbuild's default conditions include `module` on `--platform=node` and
// `browser` (as webpack's, Rollup's and Vite's do), not on `neutral`, where an app names its
// conditions (wrangler: workerd, worker, browser): named here. Checked from the metafile: never the
// .cjs/.mjs files Node gets.
async function brotli(contents, platform, resolveDir = app) {
  const neutral = platform === 'neutral' ? { mainFields: ['module', 'main'], conditions: ['module'] } : {};
  const result = await build({
    stdin: { contents, resolveDir },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    logLevel: 'error',
    metafile: true,
    ...neutral,
  });
  const ours = Object.keys(result.metafile.inputs).filter((f) => f.includes('node_modules/twilio-access-token/'));
  const notModule = ours.filter((f) => !/\/dist\/(esm\/.*|[\w-]+)\.js$/.test(f));
  if (notModule.length > 0) throw new Error(`bundled files other than the module build: ${notModule.join(', ')}`);
  const out = result.outputFiles[0].contents;
  return brotliCompressSync(out, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1000;
}

const pkg = 'twilio-access-token';
const six = 'videoGrant, chatGrant, voiceGrant, syncGrant, taskRouterGrant, playbackGrant';
const weight = {
  mint: await brotli(`export { createAccessToken, videoGrant } from '${pkg}'`, 'node'),
  minter: await brotli(`export { createTokenMinter, ${six} } from '${pkg}'`, 'node'),
  main: await brotli(`import * as m from '${pkg}'; console.log(m)`, 'node'),
  web: await brotli(`export { createAccessToken, videoGrant } from '${pkg}/web'`, 'neutral'),
  client: await brotli(`import * as m from '${pkg}/client'; console.log(m)`, 'neutral'),
  joseSignJWT: await brotli(`export { SignJWT } from 'jose'`, 'node', bench),
  tarball: tarballBytes / 1000,
};
rmSync(app, { recursive: true, force: true });

// --- Speed ----------------------------------------------------------------------------------------

const { createSigner } = require('fast-jwt');
const jsonwebtoken = require('jsonwebtoken');

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
const APP = `AP${'c'.repeat(32)}`;
const key = createSecretKey(Buffer.from(credentials.apiKeySecret));
const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
// The payload a generic signer is given: what the grants make, in twilio-node's key order.
function claims() {
  const iat = Math.floor(Date.now() / 1000);
  return {
    jti: `${credentials.apiKeySid}-${iat}`,
    grants: {
      identity: 'alice',
      video: { room: 'standup' },
      voice: { incoming: { allow: true }, outgoing: { application_sid: APP } },
    },
    iat,
    exp: iat + 3600,
    iss: credentials.apiKeySid,
    sub: credentials.accountSid,
  };
}
const fastJwt = createSigner({
  key: credentials.apiKeySecret,
  algorithm: 'HS256',
  header: { typ: 'JWT', cty: header.cty },
});
const b64 = (s) => Buffer.from(s).toString('base64url');
const floorHeader = b64(JSON.stringify(header));
const minter = ours.createTokenMinter({ credentials, ttl: 3600 });
const grants = [
  ours.videoGrant({ room: 'standup' }),
  ours.voiceGrant({ outgoingApplicationSid: APP, incomingAllow: true }),
];
const tasks = {
  // Two grants built per call, as a token endpoint does.
  createAccessToken: () =>
    ours.createAccessToken(
      'alice',
      [ours.videoGrant({ room: 'standup' }), ours.voiceGrant({ outgoingApplicationSid: APP, incomingAllow: true })],
      { credentials, ttl: 3600 },
    ),
  'fast-jwt createSigner': () => fastJwt(claims()),
  'jsonwebtoken sign (KeyObject)': () => jsonwebtoken.sign(claims(), key, { header }),
  createTokenMinter: () => minter('alice', grants),
  'floor: stringify + base64url + createHmac': () => {
    const input = `${floorHeader}.${b64(JSON.stringify(claims()))}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  },
};
const expected = tasks.createAccessToken();
for (const [name, fn] of Object.entries(tasks)) {
  if (fn() !== expected) throw new Error(`${name} does not mint the same token`);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const speed = await alternate(tasks, { rounds });
const ratio = (a, b) => {
  const per = speed[a].perRound.map((hz, i) => hz / speed[b].perRound[i]).sort((x, y) => x - y);
  const q = (p) => per[Math.floor((per.length - 1) * p)];
  return { median: q(0.5), q1: q(0.25), q3: q(0.75) };
};
// --- Load -----------------------------------------------------------------------------------------

// `require` of the main entry over bare node: what the require itself takes, timed inside a fresh
// `node -e` (process start-up, ±20 ms on a shared machine, is the same with or without it and would
// drown it), beside es-errors, a 66-byte package with an exports map (Node's package resolution
// alone); interleaved, the median of 15 of each, run from bench/, whose node_modules links this
// package as an app would see it.
const timedRequire = (name) =>
  `const t=process.hrtime.bigint();require('${name}');console.log(Number(process.hrtime.bigint()-t)/1e6)`;
const loads = { ours: [], tiny: [] };
for (let i = 0; i < Number(process.env.BENCH_LOAD_RUNS ?? 15); i++) {
  for (const [name, module] of [
    ['ours', pkg],
    ['tiny', 'es-errors'],
  ]) {
    const out = execFileSync(process.execPath, ['-e', timedRequire(module)], { cwd: bench, encoding: 'utf8' });
    loads[name].push(Number(out));
  }
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const requireMs = median(loads.ours);

const results = {
  weight,
  requireMs,
  vsFastJwt: ratio('createAccessToken', 'fast-jwt createSigner'),
  vsJsonwebtoken: ratio('createAccessToken', 'jsonwebtoken sign (KeyObject)'),
  minterVsFloor: ratio('createTokenMinter', 'floor: stringify + base64url + createHmac'),
  opsPerSecond: Object.fromEntries(Object.entries(speed).map(([k, v]) => [k, v.hz])),
};

const kB = (x) => `${x.toFixed(1)} kB`;
const x = (r) => `${r.median.toFixed(2)}x (quartiles ${r.q1.toFixed(2)}-${r.q3.toFixed(2)})`;
const rows = [
  [
    'createAccessToken + videoGrant (main), brotli',
    kB(weight.mint),
    '<= 5.0 kB',
    `jose SignJWT ${kB(weight.joseSignJWT)}`,
  ],
  ['createTokenMinter + six factories, brotli', kB(weight.minter), '<= 5.0 kB', ''],
  ['main entry, import *, brotli', kB(weight.main), '<= 12 kB', ''],
  ['/web createAccessToken + videoGrant, brotli', kB(weight.web), '<= 5.5 kB', ''],
  ['/client, whole, brotli', kB(weight.client), '<= 2.0 kB', ''],
  ['npm pack tarball', kB(weight.tarball), '<= 250 kB', ''],
  ['createAccessToken vs fast-jwt createSigner', x(results.vsFastJwt), '>= 1.25x', 'fast-jwt'],
  ['createAccessToken vs jsonwebtoken sign (KeyObject)', x(results.vsJsonwebtoken), '>= 1.25x', 'jsonwebtoken'],
  ['createTokenMinter vs the hand floor', x(results.minterVsFloor), '>= 1.3x', 'the floor'],
  [
    'require of the main entry over bare node',
    `+${requireMs.toFixed(1)} ms (median of 15, in process)`,
    '<= +3 ms',
    `es-errors +${median(loads.tiny).toFixed(1)} ms`,
  ],
];
console.log('The light core (API section 17): figure, target, anchor');
for (const [name, figure, target, anchor] of rows)
  console.log(`${name.padEnd(52)} ${figure.padEnd(30)} ${target.padEnd(10)} ${anchor}`);
export default results;
