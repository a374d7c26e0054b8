import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

// The main entry and /web never load twilio: checked in a fresh process for require and import.

const root = new URL('../..', import.meta.url).pathname;
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

describe('loading the package', () => {
  test.each([
    'twilio-access-token',
    'twilio-access-token/web',
    'twilio-access-token/express',
    'twilio-access-token/lambda',
  ])('require(%s) loads no module from twilio', (id) => {
    const loaded = node([
      '-e',
      `require(${JSON.stringify(id)}); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/node_modules/'))))`,
    ]);
    expect(JSON.parse(loaded)).toEqual([]);
  });

  const hooks = `data:text/javascript,${encodeURIComponent(
    'export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes("/node_modules/")) console.log("loaded", r.url); return r; }',
  )}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`)}`;
  const importing = (id: string) =>
    node([
      '--import',
      register,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(id)}); console.log('done')`,
    ])
      .split('\n')
      .filter((l) => l.startsWith('loaded'));

  test.each(['twilio-access-token', 'twilio-access-token/web', 'twilio-access-token/fetch'])(
    'import(%s) resolves no module from twilio',
    (id) => {
      expect(importing(id)).toEqual([]);
    },
  );

  test('the import check sees twilio when it is loaded (control)', () => {
    expect(importing('twilio-access-token/twilio')).toEqual([
      expect.stringMatching(/node_modules\/twilio\/lib\/jwt\/AccessToken\.js$/),
    ]);
  });

  test('the /twilio entry does load twilio, and only its AccessToken module', () => {
    const loaded = JSON.parse(
      node([
        '-e',
        `require('twilio-access-token/twilio'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('/node_modules/twilio/'))))`,
      ]),
    ) as string[];
    expect(loaded.map((f) => f.slice(f.indexOf('/node_modules/twilio/')))).toEqual([
      '/node_modules/twilio/lib/jwt/AccessToken.js',
    ]);
  });
});
