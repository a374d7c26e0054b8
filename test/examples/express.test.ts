import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAccessToken } from '../../src/index.js';
import { credentials, sid } from '../helpers.js';
import { type RedisServer, startRedisServer } from '../redis-server.js';
import { expectBuilt, login, ownLines, postJson } from './example-helpers.js';
import { type RunningExample, runExampleToExit, startExample } from './run-example.js';

// examples/express as its README runs it (`npm start` in a copy, with its own installed
// dependencies), attacked over HTTP on 127.0.0.1: logins without a password, unknown users,
// rooms the user does not have, password guessing, malformed bodies and placeholder credentials.

const appSecret = randomBytes(32).toString('hex');
const env = {
  TWILIO_ACCOUNT_SID: credentials.accountSid,
  TWILIO_API_KEY_SID: credentials.apiKeySid,
  TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
  APP_JWT_SECRET: appSecret,
};
const verify = (token: string) => verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
const start = () => startExample({ name: 'express', env });
const WRONG = { error: { code: 'ERR_UNAUTHORIZED', message: 'Wrong username or password' } };

beforeAll(expectBuilt);

describe('examples/express: npm start', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await start();
  }, 180_000);
  afterAll(() => example?.stop());

  test('logs in, then gets a token for the logged-in user only', async () => {
    const sessionToken = await login(example.base, 'alice', 'wonderland');
    const response = await fetch(`${example.base}/token?room=standup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
      // A client naming someone else changes nothing: identity comes from the session.
      body: JSON.stringify({ identity: 'mallory' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; identity: string };
    expect(body.identity).toBe('alice');
    expect(verify(body.token).grants).toEqual({ identity: 'alice', video: { room: 'standup' } });
  });

  test.each([
    ['no session token', {}],
    ['a forged session token', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl' }],
    ['"Bearer undefined"', { authorization: 'Bearer undefined' }],
  ])('%s: 401', async (_name, headers) => {
    const response = await fetch(`${example.base}/token?room=standup`, { method: 'POST', headers });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
  });

  test('serves the browser page and the /client entry it imports', async () => {
    const page = await fetch(`${example.base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("import { createTokenProvider } from '/client.js'");
    const client = await fetch(`${example.base}/client.js`);
    expect(client.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await client.text()).toMatch(/export \{[^}]*createTokenProvider/);
  });

  test('a wrong password gets no session', async () => {
    const response = await postJson(`${example.base}/login`, { username: 'alice', password: 'guess' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(WRONG);
  });

  describe('the room comes from the server', () => {
    let session: string;
    beforeAll(async () => {
      session = await login(example.base, 'alice', 'wonderland');
    });
    const token = (query: string, body?: unknown) =>
      fetch(`${example.base}/token${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    test('no room asked: the user first room', async () => {
      const response = await token('');
      expect(response.status).toBe(200);
      expect(verify(((await response.json()) as { token: string }).token).grants.video).toEqual({ room: 'standup' });
    });

    test('another of the user rooms, by ?room=', async () => {
      const response = await token('?room=design-review');
      expect(response.status).toBe(200);
      const grants = verify(((await response.json()) as { token: string }).token).grants;
      expect(grants.video).toEqual({ room: 'design-review' });
    });

    test.each(['ceo-private-room', '__proto__', 'constructor', 'toString', 'Standup', 'standup ', ''])(
      '?room=%j, not in the allowlist: 403, no token',
      async (room) => {
        const response = await token(`?room=${encodeURIComponent(room)}`);
        expect(response.status).toBe(403);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.json()).toEqual({
          error: { code: 'ERR_FORBIDDEN', message: 'That room is not one of yours' },
        });
      },
    );

    test('a room in the body is ignored: the token is for the default room', async () => {
      const response = await token('', { room: 'ceo-private-room' });
      expect(response.status).toBe(200);
      expect(verify(((await response.json()) as { token: string }).token).grants.video).toEqual({ room: 'standup' });
    });

    test('?room= twice, not one name: 400', async () => {
      const response = await token('?room=standup&room=ceo-private-room');
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ error: { code: 'ERR_BAD_REQUEST', message: 'room: one name' } });
    });

    test.each(['?room[]=ceo-private-room', '?room[x]=ceo-private-room', '?Room=ceo-private-room'])(
      '%s is not the room parameter: the token is for the default room',
      async (query) => {
        const response = await token(query);
        expect(response.status).toBe(200);
        const grants = verify(((await response.json()) as { token: string }).token).grants;
        expect(grants.video).toEqual({ room: 'standup' });
      },
    );
  });

  test('unknown routes answer JSON, not an HTML page', async () => {
    const response = await fetch(`${example.base}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  describe('body errors answer JSON with no-store, no stack and no HTML', () => {
    test.each([
      ['malformed JSON', '{"username":"alice","password":', 400, 'ERR_BAD_REQUEST', 'Malformed request body'],
      ['a JSON string', '"alice"', 400, 'ERR_BAD_REQUEST', 'Malformed request body'],
      [
        '20 KiB',
        JSON.stringify({ username: 'a'.repeat(20 * 1024) }),
        413,
        'ERR_PAYLOAD_TOO_LARGE',
        'Request body over 16 KiB',
      ],
    ])('%s', async (_name, body, status, code, message) => {
      const response = await fetch(`${example.base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: { code, message } });
      expect(text).not.toMatch(/<|SyntaxError|at |node_modules|\.js:/);
    });
  });
});

describe('examples/express: /login refuses every way of not knowing the password alike', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await start();
  }, 180_000);
  afterAll(() => example?.stop());

  test.each<[string, Record<string, unknown>]>([
    ['an unknown user, no password (then asking for any room)', { username: 'bob' }],
    ['a known user, no password', { username: 'alice' }],
    ['an empty password', { username: 'alice', password: '' }],
    ['a null password', { username: 'alice', password: null }],
    ['the password in an array', { username: 'alice', password: ['wonderland'] }],
    ['username __proto__', { username: '__proto__', password: 'wonderland' }],
    ['username constructor, no password', { username: 'constructor' }],
  ])('%s: 401 with the wrong-password body', async (_name, body) => {
    const response = await postJson(`${example.base}/login`, body);
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(WRONG);
    // And with no session, no token for any room.
    const token = await fetch(`${example.base}/token?room=ceo-private-room`, { method: 'POST' });
    expect(token.status).toBe(401);
  });
});

describe('examples/express: unknown users take the password-hashing path; /login is rate-limited', () => {
  let example: RunningExample;
  beforeAll(async () => {
    example = await start();
  }, 180_000);
  afterAll(() => example?.stop());

  const timed = async (body: unknown) => {
    const started = performance.now();
    const response = await postJson(`${example.base}/login`, body);
    expect(response.status).toBe(401);
    await response.arrayBuffer();
    return performance.now() - started;
  };

  test('an unknown user costs what a wrong password costs (one scrypt), not a quick lookup', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await timed({ username: 'alice', password: `guess-${i}` }));
      unknown.push(await timed({ username: `nobody-${i}`, password: `guess-${i}` }));
    }
    // A lookup that skipped the hash would answer in a few milliseconds against scrypt's tens. The
    // fastest of each is compared, the sample least disturbed by other load on the machine.
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.4);
  });

  test('after 10 failed logins from one address, the 11th attempt is 429, even with the right password', async () => {
    // The timing test above spent 8 of the 10 failures.
    for (let i = 0; i < 2; i++) {
      expect((await postJson(`${example.base}/login`, { username: 'alice', password: 'guess' })).status).toBe(401);
    }
    const blocked = await postJson(`${example.base}/login`, { username: 'alice', password: 'wonderland' });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('cache-control')).toBe('no-store');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.json()).toEqual({
      error: { code: 'ERR_RATE_LIMITED', message: 'Too many failed logins; try again later' },
    });
    // Malformed bodies are refused by the limit too, before they are parsed.
    const malformed = await fetch(`${example.base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(malformed.status).toBe(429);
  });
});

describe('examples/express: TOKEN_LIMIT tokens per user a minute', () => {
  const tokens = async (base: string, session: string, count: number) => {
    const answers: Response[] = [];
    for (let i = 0; i < count; i++)
      answers.push(await fetch(`${base}/token`, { method: 'POST', headers: { authorization: `Bearer ${session}` } }));
    return answers;
  };

  test('in memory without REDIS_URL: the limit, then 429 with Retry-After and no token', async () => {
    const example = await startExample({ name: 'express', env: { ...env, TOKEN_LIMIT: '3' } });
    try {
      expect(example.output()).toContain('token limit in memory');
      const answers = await tokens(example.base, await login(example.base, 'alice', 'wonderland'), 5);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      const refused = answers[4] as Response;
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_RATE_LIMITED');
    } finally {
      example.stop();
    }
  });

  describe('with REDIS_URL: one limit shared by two instances of the app', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis?.stop());

    test('3 tokens for alice across both instances, then 429 from either', async () => {
      const shared = { ...env, TOKEN_LIMIT: '3', REDIS_URL: redis.url };
      const [one, two] = await Promise.all([
        startExample({ name: 'express', env: shared }),
        startExample({ name: 'express', env: shared }),
      ]);
      try {
        expect(one.output()).toContain('token limit in redis');
        // The session key is the same: a session from one instance is good on the other.
        const session = await login(one.base, 'alice', 'wonderland');
        const statuses: number[] = [];
        for (const base of [one.base, two.base, one.base, two.base, one.base, two.base])
          statuses.push((await tokens(base, session, 1))[0]?.status as number);
        expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      } finally {
        one.stop();
        two.stop();
      }
    });
  });
});

describe('examples/express refuses to start, with one line and no secret', () => {
  const placeholderSecret = 'your_api_key_secret';
  test.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no APP_JWT_SECRET', { APP_JWT_SECRET: undefined }, /^Set APP_JWT_SECRET to a random string/],
    ['a short APP_JWT_SECRET', { APP_JWT_SECRET: 'short' }, /^Set APP_JWT_SECRET/],
    ['APP_JWT_SECRET of one repeated character', { APP_JWT_SECRET: 'x'.repeat(40) }, /^Set APP_JWT_SECRET/],
    ['no Twilio credentials', { TWILIO_ACCOUNT_SID: undefined }, /^Twilio credentials: Missing Twilio credentials/],
    [
      'the README values (AC..., SK..., ...)',
      { TWILIO_ACCOUNT_SID: 'AC...', TWILIO_API_KEY_SID: 'SK...', TWILIO_API_KEY_SECRET: '...' },
      /^Twilio credentials: /,
    ],
    [
      'an all-zero Account SID',
      { TWILIO_ACCOUNT_SID: sid('AC') },
      /^Twilio credentials: the Account SID is a placeholder/,
    ],
    ['an ACxxx... Account SID', { TWILIO_ACCOUNT_SID: `AC${'x'.repeat(32)}` }, /^Twilio credentials: /],
    [
      'an all-zero API Key SID',
      { TWILIO_API_KEY_SID: sid('SK') },
      /^Twilio credentials: the API Key SID is a placeholder/,
    ],
    [
      'a placeholder secret',
      { TWILIO_API_KEY_SECRET: placeholderSecret },
      /^Twilio credentials: the API Key secret is a placeholder/,
    ],
    ['a secret of dots', { TWILIO_API_KEY_SECRET: '...' }, /^Twilio credentials: the API Key secret is a placeholder/],
  ])(
    '%s: exits non-zero at startup',
    async (_name, change, line) => {
      const merged = Object.fromEntries(
        Object.entries({ ...env, ...change }).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const { code, stdout, stderr } = await runExampleToExit({ name: 'express', env: merged });
      expect(code).not.toBe(0);
      const lines = ownLines(stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
      for (const secret of [appSecret, credentials.apiKeySecret, placeholderSecret]) {
        expect(stdout + stderr).not.toContain(secret);
      }
      expect(stdout).not.toContain('listening');
    },
    30_000,
  );
});
