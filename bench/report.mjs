// Writes docs/performance.svg and the figures table in docs/performance.md from
// bench/results.json, so the guide always shows the last `npm run bench`.
import { readFileSync, writeFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8'));
const ops = r.mint.opsPerSecond;
const twilio = ops['twilio AccessToken + toJwt()'];
const bars = [
  ['twilio AccessToken + toJwt()', twilio],
  ['createAccessToken', ops.createAccessToken],
  ['createTokenMinter', ops['createTokenMinter (minter)']],
  ['floor: bare createHmac', ops['floor: JSON.stringify + base64url + createHmac(KeyObject)']],
  ['/web minter (WebCrypto)', ops['/web createTokenMinter (cached CryptoKey)']],
].map(([name, hz]) => ({ name, ratio: hz / twilio, hz }));
const loadRows = [
  ["require('twilio-access-token')", r.load["require('twilio-access-token')"].addedMs],
  ["import 'twilio-access-token'", r.load["import 'twilio-access-token'"].addedMs],
  ["import 'tinybench' (one file)", r.load["import 'tinybench' (one-file package)"].addedMs],
  ["require('twilio')", r.load["require('twilio')"].addedMs],
];

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const W = 760;
const left = 230;
const barW = W - left - 120;
let y = 40;
const parts = [];
parts.push(
  `<text x="20" y="24" font-size="15" font-weight="bold">Two-grant token mints per second, relative to twilio (log scale)</text>`,
);
const maxLog = Math.log10(Math.max(...bars.map((b) => b.ratio)) * 1.2);
for (const b of bars) {
  const w = Math.max(2, (Math.log10(Math.max(b.ratio, 1)) / maxLog) * barW);
  parts.push(`<text x="${left - 10}" y="${y + 15}" text-anchor="end" font-size="13">${esc(b.name)}</text>`);
  parts.push(
    `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="20" fill="${b.name.startsWith('twilio') ? '#b0b0b0' : '#f22f46'}"/>`,
  );
  parts.push(
    `<text x="${left + w + 8}" y="${y + 15}" font-size="13">${b.ratio.toFixed(1)}x (${Math.round(b.hz).toLocaleString('en-US')}/s)</text>`,
  );
  y += 28;
}
y += 20;
parts.push(
  `<text x="20" y="${y}" font-size="15" font-weight="bold">Milliseconds a module adds to node's startup (median)</text>`,
);
y += 16;
const maxMs = Math.max(...loadRows.map(([, ms]) => ms)) * 1.1;
for (const [name, ms] of loadRows) {
  const w = Math.max(2, (Math.max(ms, 0) / maxMs) * barW);
  parts.push(`<text x="${left - 10}" y="${y + 15}" text-anchor="end" font-size="13">${esc(name)}</text>`);
  parts.push(
    `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="20" fill="${name.includes("'twilio'") ? '#b0b0b0' : '#f22f46'}"/>`,
  );
  parts.push(`<text x="${left + w + 8}" y="${y + 15}" font-size="13">${ms.toFixed(1)} ms</text>`);
  y += 28;
}
y += 10;
parts.push(
  `<text x="20" y="${y}" font-size="12" fill="#555">${esc(`${r.machine.cpus} cores, ${r.machine.model}, Node ${r.machine.node}, ${r.date.slice(0, 10)}; npm run bench`)}</text>`,
);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${W}" height="${y + 16}" font-family="Helvetica, Arial, sans-serif">\n<title>twilio-access-token: mint throughput relative to twilio, and startup cost</title>\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
writeFileSync(new URL('../docs/performance.svg', import.meta.url), svg);

const METHOD =
  'Sizes: the packed package unpacked into a fresh app, bundled by esbuild (`--bundle --minify --format=esm`, `--platform=node` for the main entry, `neutral` for `/web` and `/client`), brotli quality 11 (`bench/light-core.mjs`). Speed: alternating rounds in one process, the same token from every signer.';

/** API section 17's table: each figure beside 0.1.0, the main branch before the light core, its target and anchor. */
function lightCoreTable(r) {
  const l = r.lightCore;
  if (l === undefined) return '';
  const w = l.weight;
  const kB = (x) => `${x.toFixed(1)} kB`;
  const x = (q) => `**${q.median.toFixed(2)}x** (quartiles ${q.q1.toFixed(2)}-${q.q3.toFixed(2)})`;
  const requireMs = r.load["require('twilio-access-token')"].addedMs;
  const rows = [
    [
      '`createAccessToken` + `videoGrant` (main), brotli',
      '3.8 kB',
      '10.2 kB',
      `**${kB(w.mint)}**`,
      '<= 5.0 kB',
      `jose \`SignJWT\` ${kB(w.joseSignJWT)}`,
    ],
    ['`createTokenMinter` + the six factories, brotli', '3.5 kB', '9.7 kB', `**${kB(w.minter)}**`, '<= 5.0 kB', ''],
    ['the whole main entry (`import *`), brotli', '9.3 kB', '16.8 kB', `**${kB(w.main)}**`, '<= 12 kB', ''],
    ['`/web` `createAccessToken` + `videoGrant`, brotli', '4.1 kB', '10.5 kB', `**${kB(w.web)}**`, '<= 5.5 kB', ''],
    ['`/client` whole, brotli', '1.2 kB', '2.5 kB', `**${kB(w.client)}**`, '<= 2.0 kB', ''],
    ['`npm pack` tarball', '200 kB', '473 kB', `**${w.tarball.toFixed(0)} kB**`, '<= 250 kB', ''],
    [
      '`createAccessToken` (two grants built per call) vs fast-jwt `createSigner`',
      '1.27x',
      '0.95x',
      x(l.vsFastJwt),
      '>= 1.25x',
      `fast-jwt ${Math.round(l.opsPerSecond['fast-jwt createSigner']).toLocaleString('en-US')}/s`,
    ],
    [
      '`createAccessToken` vs jsonwebtoken `sign` with a `KeyObject`',
      '',
      '',
      x(l.vsJsonwebtoken),
      '>= 1.25x',
      `jsonwebtoken ${Math.round(l.opsPerSecond['jsonwebtoken sign (KeyObject)']).toLocaleString('en-US')}/s`,
    ],
    [
      '`createTokenMinter` vs the hand floor (stringify + base64url + `createHmac`)',
      '1.43x',
      '1.41x',
      x(l.minterVsFloor),
      '>= 1.3x',
      `the floor ${Math.round(l.opsPerSecond['floor: stringify + base64url + createHmac']).toLocaleString('en-US')}/s`,
    ],
    [
      "`require('twilio-access-token')` over bare node (median of 15)",
      '+1.8 ms',
      '+1-10 ms',
      `**+${requireMs.toFixed(1)} ms**`,
      '<= +3 ms',
      '',
    ],
  ];
  return [
    '### The light core (API section 17)',
    '',
    `Measured ${(l.date ?? r.date).slice(0, 10)}. ${METHOD}`,
    '',
    '| figure | 0.1.0 | main before | now | must reach | anchor |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const table = `| measurement | figure |
|---|---|
| \`createAccessToken\` vs twilio \`AccessToken\` + \`toJwt()\` (video + voice grant) | **${r.mint.createAccessTokenVsTwilio.toFixed(1)}x** the throughput |
| \`createTokenMinter\` vs twilio | **${r.mint.minterVsTwilio.toFixed(1)}x** the throughput |
| bare floor (\`JSON.stringify\` + base64url + \`createHmac\`, no validation) vs \`createTokenMinter\` | **${r.mint.floorVsMinter.toFixed(2)}x** (the minter is ${r.mint.floorVsMinter <= 1 ? 'as fast or faster: grant JSON is computed once, when the grant is made' : 'slower by that factor'}) |
| \`/web\` minter (WebCrypto, cached key) vs main-entry minter | **${r.mint.webMinterVsNodeMinter.toFixed(2)}x** the throughput |
| \`require('twilio-access-token')\` | adds **${r.load["require('twilio-access-token')"].addedMs.toFixed(1)} ms** to \`node -e 0\` (${r.load['node -e 0'].medianMs.toFixed(0)} ms here) |
| \`require('es-errors')\`, a 66-byte module with an \`exports\` map, for reference | adds ${r.load["require('es-errors') (tiny package with exports)"].addedMs.toFixed(1)} ms: Node's package resolution alone |
| \`require('twilio')\` | adds **${r.load["require('twilio')"].addedMs.toFixed(1)} ms** |
| \`import 'twilio-access-token'\` (ESM) | adds **${r.load["import 'twilio-access-token'"].addedMs.toFixed(1)} ms** to an ESM \`node -e\`; a one-file package (tinybench) adds ${r.load["import 'tinybench' (one-file package)"].addedMs.toFixed(1)} ms: Node's ESM package resolution, not this code |
| token endpoint (\`createExpressHandler\`) vs bare \`node:http\` constant JSON, autocannon, ${r.http.connections} connections, ${r.http.seconds} s each | **${(r.http.ratio * 100).toFixed(0)}%** of the requests per second (${Math.round(r.http.token.rps).toLocaleString('en-US')} vs ${Math.round(r.http.bare.rps).toLocaleString('en-US')}/s), ${r.http.token.errors} errors, ${r.http.token.non2xx} non-2xx |
| the same bare server plus one \`createHmac\` per request (the floor for any endpoint that signs) | ${(r.http.signedRatio * 100).toFixed(0)}% of the bare server; the token endpoint keeps **${(r.http.vsSigned * 100).toFixed(0)}%** of this floor |
| \`verifyAccessToken\` vs fast-jwt \`createVerifier\` (its default \`cache: false\`), same token | **${r.verify.vsFastJwt.toFixed(2)}x** the throughput |
| \`verifyAccessToken\` vs jsonwebtoken \`verify\` with a \`KeyObject\`, same token | **${r.verify.vsJsonwebtoken.toFixed(2)}x** the throughput |
| \`verifyAccessToken\` vs a floor (\`createHmac\` + \`timingSafeEqual\` + \`Buffer\` decode + \`JSON.parse\`, no claim checks) | ${r.verify.vsFloor.toFixed(2)}x the throughput |
| \`createFetchHandler\` on Node vs a floor fetch handler (the same \`Request\`, \`new Response\` of a minted token) | the floor is **${r.fetchHandler.floorVsHandler.toFixed(2)}x** as fast (${r.fetchHandler.usPerRequest['createFetchHandler (node:crypto on Node)'].toFixed(1)} vs ${r.fetchHandler.usPerRequest['floor: new Response of a minted token'].toFixed(1)} us per request) |
| \`createExpressHandler\`'s own cost inside Express 5 vs on bare \`node:http\` (each minus an empty handler on the same platform) | **${r.express.ratio.toFixed(2)}x** (${r.express.ownInExpress.toFixed(1)} vs ${r.express.ownOnHttp.toFixed(1)} us); Express's own cost with an empty handler: ${r.express.expressCost.toFixed(0)} us of CPU per request |
${r.guards === undefined ? '' : `| a handler with no guard hook (\`rateLimit\`, \`onIssued\`, \`onDenied\`) vs the same handler before the guards existed, called directly | Express **${r.guards.express.nowVsBefore.toFixed(2)}x**, fetch **${r.guards.fetch.nowVsBefore.toFixed(2)}x** the throughput |\n`}
${lightCoreTable(r)}

Measured ${r.date.slice(0, 10)} on ${r.machine.cpus} cores (${r.machine.model}), Node ${r.machine.node}.`;
const doc = new URL('../docs/performance.md', import.meta.url);
const text = readFileSync(doc, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
writeFileSync(doc, `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`);
console.log('\nwrote docs/performance.svg and the table in docs/performance.md');
