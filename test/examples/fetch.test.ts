import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { testBodyLimit } from './body-limit.js';
import { expectBuilt } from './example-helpers.js';
import { type RunningExample, startExample } from './run-example.js';

// examples/fetch: the Workers module hosted by Node's serve.mjs as its README runs it (`npm start`),
// and its wrangler.toml, read by a small TOML reader for the keys `wrangler deploy` needs.

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'examples/fetch');
const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });

beforeAll(expectBuilt);

describe('examples/fetch: npm start (the Workers module hosted by Node)', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await startExample({
      name: 'fetch',
      env: {
        TWILIO_ACCOUNT_SID: credentials.accountSid,
        TWILIO_API_KEY_SID: credentials.apiKeySid,
        TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
        TWIML_APP_SID: sid('AP'),
        DEVICE_KEYS: JSON.stringify({ 'dev-key-1': 'alice' }),
      },
    });
  }, 180_000);
  afterAll(() => example?.stop());

  const tokenFor = (key: string) =>
    fetch(`${example.base}/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, origin: 'http://127.0.0.1:5173' },
    });

  test('credentials come from the env argument; a known device key gets a voice token', async () => {
    const response = await tokenFor('dev-key-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const { token } = (await response.json()) as { token: string };
    expect(verify(token).grants).toEqual({
      identity: 'alice',
      voice: { incoming: { allow: true }, outgoing: { application_sid: sid('AP') } },
    });
  });

  test.each(['nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'device key %j: 401',
    async (key) => {
      const response = await tokenFor(key);
      expect(response.status).toBe(401);
    },
  );

  testBodyLimit(
    () => example,
    '/token',
    async () => (await tokenFor('dev-key-1')).status,
  );
});

/** The top-level keys and [tables] of a small TOML file: strings, string arrays, and booleans. */
function readToml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let table = out;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
    if (header) {
      table = {};
      out[header[1] as string] = table;
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+?)(\s+#.*)?$/.exec(line);
    if (!pair) throw new Error(`not TOML this reader knows: ${line}`);
    table[pair[1] as string] = JSON.parse((pair[2] as string).replace(/'/g, '"'));
  }
  return out;
}

describe('examples/fetch/wrangler.toml', () => {
  const toml = readToml(readFileSync(join(dir, 'wrangler.toml'), 'utf8'));

  test('names the Worker, an entry file that exists, and a compatibility date', () => {
    expect(toml.name).toMatch(/^[a-z0-9-]+$/);
    expect(readdirSync(dir)).toContain(toml.main);
    expect(toml.main).toBe('worker.mjs');
    expect(toml.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(toml.compatibility_date as string))).toBe(false);
  });

  test('keeps the secrets out: only non-secret vars, each secret documented for `wrangler secret put`', () => {
    const text = readFileSync(join(dir, 'wrangler.toml'), 'utf8');
    const vars = (toml.vars ?? {}) as Record<string, unknown>;
    const secrets = [
      'TWILIO_ACCOUNT_SID',
      'TWILIO_API_KEY_SID',
      'TWILIO_API_KEY_SECRET',
      'TWIML_APP_SID',
      'DEVICE_KEYS',
    ];
    for (const secret of secrets) {
      expect(Object.keys(vars)).not.toContain(secret);
      expect(text).toContain(`wrangler secret put ${secret}`);
    }
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('wrangler secret put TWILIO_API_KEY_SECRET');
    expect(readme).toContain('wrangler deploy');
  });

  test('every variable the Worker reads is a documented secret', () => {
    const worker = readFileSync(join(dir, 'worker.mjs'), 'utf8');
    const text = readFileSync(join(dir, 'wrangler.toml'), 'utf8');
    const read = [...worker.matchAll(/env\?\.([A-Z_]+)/g)].map((m) => m[1] as string);
    expect(read).toEqual(expect.arrayContaining(['DEVICE_KEYS', 'TWIML_APP_SID']));
    for (const name of read) expect(text, name).toContain(`wrangler secret put ${name}`);
  });
});
