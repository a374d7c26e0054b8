// Minting throughput, as ratios measured in one process (machines here are shared and noisy, so
// only ratios between runs made side by side mean anything). Runs against dist/: `npm run bench`.
import { createHmac, createSecretKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import * as ours from '../dist/index.js';
import * as web from '../dist/web.js';

const require = createRequire(import.meta.url);
const TwilioAccessToken = require('twilio/lib/jwt/AccessToken');

const credentials = {
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'bench-secret-0123456789abcdef012',
};
const APP = `AP${'c'.repeat(32)}`;
const time = Number(process.env.BENCH_TIME_MS ?? 1500);

// The same token every way: identity alice, a video grant for a room, a voice grant.
const videoOptions = { room: 'standup' };
const voiceOptions = { outgoingApplicationSid: APP, incomingAllow: true };

function twilioMint() {
  const token = new TwilioAccessToken(credentials.accountSid, credentials.apiKeySid, credentials.apiKeySecret, {
    identity: 'alice',
    ttl: 3600,
  });
  token.addGrant(new TwilioAccessToken.VideoGrant(videoOptions));
  token.addGrant(new TwilioAccessToken.VoiceGrant(voiceOptions));
  return token.toJwt();
}
function oursMint() {
  return ours.createAccessToken('alice', [ours.videoGrant(videoOptions), ours.voiceGrant(voiceOptions)], {
    credentials,
    ttl: 3600,
  });
}
const minter = ours.createTokenMinter({ credentials, ttl: 3600 });
const grants = [ours.videoGrant(videoOptions), ours.voiceGrant(voiceOptions)];
function minterMint() {
  return minter('alice', grants);
}
// The same key through a keyring, with a pending successor: resolved per token.
const keyring = ours.createKeyring({
  accountSid: credentials.accountSid,
  keys: [
    { apiKeySid: credentials.apiKeySid, apiKeySecret: credentials.apiKeySecret },
    {
      apiKeySid: `SK${'f'.repeat(32)}`,
      apiKeySecret: 'the-next-key-secret',
      signFrom: Math.floor(Date.now() / 1000) + 86400,
    },
  ],
});
const keyringMinter = ours.createTokenMinter({ credentials: keyring, ttl: 3600 });
function keyringMint() {
  return keyringMinter('alice', grants);
}
// The floor: what any signer must do, with nothing validated and the key prepared.
const key = createSecretKey(Buffer.from(credentials.apiKeySecret));
const b64 = (s) => Buffer.from(s).toString('base64url');
const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' }));
function floorMint() {
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
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
  const input = `${header}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}
const webMinter = web.createTokenMinter({ credentials, ttl: 3600 });
const webGrants = [web.videoGrant(videoOptions), web.voiceGrant(voiceOptions)];

// Same token, byte for byte, before anything is timed.
const a = twilioMint();
for (const [name, fn] of [
  ['createAccessToken', oursMint],
  ['minter', minterMint],
  ['keyring minter', keyringMint],
  ['floor', floorMint],
]) {
  if (fn() !== a) throw new Error(`${name} does not mint twilio's token`);
}
if ((await webMinter('alice', webGrants)) !== a) throw new Error("/web minter does not mint twilio's token");

const bench = new Bench({ time, warmup: true, warmupTime: 300 });
bench
  .add('twilio AccessToken + toJwt()', twilioMint)
  .add('createAccessToken', oursMint)
  .add('createTokenMinter (minter)', minterMint)
  .add('createTokenMinter (keyring)', keyringMint)
  .add('floor: JSON.stringify + base64url + createHmac(KeyObject)', floorMint)
  .add('/web createTokenMinter (cached CryptoKey)', () => webMinter('alice', webGrants));
await bench.run();

const hz = Object.fromEntries(bench.tasks.map((t) => [t.name, t.result.throughput.mean]));
const ratio = (x, y) => hz[x] / hz[y];
const rows = bench.tasks.map((t) => ({
  task: t.name,
  'ops/s': Math.round(hz[t.name]).toLocaleString('en-US'),
  'rme %': t.result.throughput.rme.toFixed(1),
}));
console.table(rows);
const results = {
  createAccessTokenVsTwilio: ratio('createAccessToken', 'twilio AccessToken + toJwt()'),
  minterVsTwilio: ratio('createTokenMinter (minter)', 'twilio AccessToken + toJwt()'),
  floorVsMinter: ratio('floor: JSON.stringify + base64url + createHmac(KeyObject)', 'createTokenMinter (minter)'),
  keyringVsMinter: ratio('createTokenMinter (keyring)', 'createTokenMinter (minter)'),
  webMinterVsNodeMinter: ratio('/web createTokenMinter (cached CryptoKey)', 'createTokenMinter (minter)'),
  opsPerSecond: hz,
};
console.log(
  `createAccessToken vs twilio:       ${results.createAccessTokenVsTwilio.toFixed(1)}x the throughput (target >= 50x)`,
);
console.log(`createTokenMinter vs twilio:       ${results.minterVsTwilio.toFixed(1)}x the throughput`);
console.log(`floor vs createTokenMinter:        ${results.floorVsMinter.toFixed(2)}x (target <= 1.3x)`);
console.log(
  `keyring minter vs minter:          ${results.keyringVsMinter.toFixed(2)}x the throughput (target >= 0.9x)`,
);
console.log(`/web minter vs main-entry minter:  ${results.webMinterVsNodeMinter.toFixed(2)}x the throughput`);
export default results;
