// What `twilio-token init <platform>` writes, one entry per platform: the files as that platform's
// users lay out a project, the variables the endpoint reads, and the two commands to run next. The
// texts live in the CLI's bundle only, as plain strings. Every endpoint's `identify` refuses
// everyone (`return null;`) below a TODO until the app fills it in.

/** A platform `init` knows. */
export interface Platform {
  /** What the output calls it. */
  readonly title: string;
  /** Path (relative to the current folder) to content. The first file is the endpoint. */
  readonly files: Readonly<Record<string, string>>;
  /** What each file is, in the output, by path. */
  readonly about: Readonly<Record<string, string>>;
  /** The packages the project needs for these files. */
  readonly needs: readonly string[];
  /** The next two commands, each with a comment. */
  readonly next: readonly (readonly [string, string])[];
}

const TODO =
  "TODO: return the signed-in user's identity, read from your own auth (a session cookie,\n$// an Authorization header...). Until then everyone is refused with a 401.\n$return null;";
const identify = (indent: string) => TODO.replaceAll('$', indent);

const TWILIO_ENV = (a: string, k: string, s: string) =>
  `# Your Account SID (AC...) and an API Key (SK...) with its secret, from the Twilio Console:\n# Account > API keys & tokens. Never commit the file that holds the real values.\n${a}=\n${k}=\n${s}=\n`;
const ENV = TWILIO_ENV('TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET');

const TEST = `// Mints a token with the endpoint's grant and fake credentials, then verifies it: \`node --test\`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccessToken, verifyAccessToken, videoGrant } from 'twilio-access-token';

// Shaped like real ones, accepted by nobody: Twilio rejects tokens signed with them.
const credentials = { accountSid: 'AC' + 'a'.repeat(32), apiKeySid: 'SK' + 'b'.repeat(32), apiKeySecret: 'fake-secret-for-tests' };

test('a token minted with the endpoint\\'s grant verifies', () => {
  const token = createAccessToken('alice', videoGrant(), { credentials, ttl: 600 });
  const payload = verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
  assert.equal(payload.grants.identity, 'alice');
  assert.deepEqual(payload.grants.video, {});
  assert.equal(payload.iss, credentials.apiKeySid);
  assert.equal(payload.sub, credentials.accountSid);
});
`;
const TEST_ABOUT = 'mints and verifies a token with fake credentials: node --test';

const FETCH_HANDLER = (generic: string) => `createFetchHandler${generic}({
  // The signed-in user's identity, or null for a 401.
  identify: async (request) => {
    // ${identify('    ')}
  },
  grants: videoGrant(),`;

const NEXT = `// POST /api/token: answers { token, identity, ttl, expiresAt } for the signed-in user. Credentials
// come from process.env, which Next.js fills from .env.local.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

export const POST = ${FETCH_HANDLER('')}
  // The app calls its own origin: no CORS headers.
  cors: false,
});
`;

const WORKER = `// A Cloudflare Worker: POST /token answers { token, identity, ttl, expiresAt } for the signed-in
// user. Credentials come from the Worker's env: secrets in production (\`wrangler secret put\`),
// .dev.vars locally.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

export interface Env {
  TWILIO_ACCOUNT_SID: string;
  TWILIO_API_KEY_SID: string;
  TWILIO_API_KEY_SECRET: string;
}

const token = ${FETCH_HANDLER('<Env>')}
});

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname === '/token') return token(request, env);
    return new Response('Not found', { status: 404 });
  },
};
`;

const WRANGLER = `name = "twilio-token"
main = "src/index.ts"
compatibility_date = "2025-09-01"

# No [vars]: the Twilio credentials are secrets, never written here.
#   npx wrangler secret put TWILIO_ACCOUNT_SID
#   npx wrangler secret put TWILIO_API_KEY_SID
#   npx wrangler secret put TWILIO_API_KEY_SECRET
# For \`wrangler dev\`, the same names go in .dev.vars (see .env.example).
`;

const HONO = `// Hono on Node: POST /token answers { token, identity, ttl, expiresAt } for the signed-in user.
// Credentials come from process.env.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

const token = ${FETCH_HANDLER('')}
});

const app = new Hono();
app.post('/token', (c) => token(c.req.raw));

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port, hostname: process.env.HOST }, (info) => {
  console.log(\`Token endpoint: POST http://localhost:\${info.port}/token\`);
});
`;

const EXPRESS = `// Express: POST /token answers { token, identity, ttl, expiresAt } for the signed-in user.
// Credentials come from process.env.
import express from 'express';
import { videoGrant } from 'twilio-access-token';
import { createExpressHandler } from 'twilio-access-token/express';

const app = express();

app.post(
  '/token',
  createExpressHandler({
    // The signed-in user's identity (platform.req is Express's request), or null for a 401.
    identify: async ({ platform }) => {
      // ${identify('      ')}
    },
    grants: videoGrant(),
  }),
);

const port = Number(process.env.PORT ?? 3000);
app.listen(port, process.env.HOST, () => {
  console.log(\`Token endpoint: POST http://localhost:\${port}/token\`);
});
`;

const LAMBDA = `// AWS Lambda (API Gateway or a function URL): answers { token, identity, ttl, expiresAt } for the
// signed-in user. Credentials come from the function's environment variables. Handler: handler.handler
import { videoGrant } from 'twilio-access-token';
import { createLambdaHandler } from 'twilio-access-token/lambda';

export const handler = createLambdaHandler({
  // The signed-in user's identity (platform.event is the Lambda event: an authorizer's claims are in
  // platform.event.requestContext), or null for a 401.
  identify: async ({ platform }) => {
    // ${identify('    ')}
  },
  grants: videoGrant(),
});
`;

const FUNCTION = `// A Twilio Function: GET or POST /token answers { token, identity, ttl, expiresAt } for the
// signed-in user. Credentials come from the service's environment (context): ACCOUNT_SID, API_KEY
// and API_SECRET, from .env locally.
const { createTwilioFunction } = require('twilio-access-token/twilio-functions');
const { videoGrant } = require('twilio-access-token');

exports.handler = createTwilioFunction({
  // The caller's identity (params: the request's parameters; platform.context: the service's
  // variables), or null for a 401.
  identify: async ({ params, platform }) => {
    // ${identify('    ')}
  },
  grants: videoGrant(),
});
`;

const ENDPOINT = 'the token endpoint';

/** Every platform, by the name `init` takes. */
export const PLATFORMS: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  [
    'functions',
    {
      title: 'Twilio Functions (Serverless Toolkit)',
      files: {
        'functions/token.js': FUNCTION,
        '.env.example': TWILIO_ENV('ACCOUNT_SID', 'API_KEY', 'API_SECRET'),
        'token.test.mjs': TEST,
      },
      about: { 'functions/token.js': `${ENDPOINT}: /token` },
      needs: ['twilio-access-token', 'twilio-run (dev)'],
      next: [
        ['cp .env.example .env', 'then fill in your credentials'],
        ['npx twilio-run', 'POST http://localhost:3000/token'],
      ],
    },
  ],
  [
    'express',
    {
      title: 'Express',
      files: { 'server.mjs': EXPRESS, '.env.example': ENV, 'token.test.mjs': TEST },
      about: { 'server.mjs': `${ENDPOINT}: POST /token` },
      needs: ['twilio-access-token', 'express'],
      next: [
        ['cp .env.example .env', 'then fill in your credentials'],
        ['node --env-file=.env server.mjs', 'POST http://localhost:3000/token'],
      ],
    },
  ],
  [
    'next',
    {
      title: 'Next.js (App Router)',
      files: { 'app/api/token/route.ts': NEXT, '.env.example': ENV, 'token.test.mjs': TEST },
      about: { 'app/api/token/route.ts': `${ENDPOINT}: POST /api/token` },
      needs: ['twilio-access-token', 'next'],
      next: [
        ['cp .env.example .env.local', 'then fill in your credentials'],
        ['npm run dev', 'POST http://localhost:3000/api/token'],
      ],
    },
  ],
  [
    'workers',
    {
      title: 'Cloudflare Workers',
      files: { 'src/index.ts': WORKER, 'wrangler.toml': WRANGLER, '.env.example': ENV, 'token.test.mjs': TEST },
      about: { 'src/index.ts': `${ENDPOINT}: POST /token`, 'wrangler.toml': "the Worker's configuration" },
      needs: ['twilio-access-token', 'wrangler (dev)'],
      next: [
        ['cp .env.example .dev.vars', 'then fill in your credentials'],
        ['npx wrangler dev', 'POST http://localhost:8787/token'],
      ],
    },
  ],
  [
    'lambda',
    {
      title: 'AWS Lambda',
      files: { 'handler.mjs': LAMBDA, '.env.example': ENV, 'token.test.mjs': TEST },
      about: { 'handler.mjs': `${ENDPOINT}: handler.handler` },
      needs: ['twilio-access-token'],
      next: [
        ['node --test', 'runs token.test.mjs'],
        ['zip -qr token.zip handler.mjs node_modules', 'upload; set the variables of .env.example on the function'],
      ],
    },
  ],
  [
    'hono',
    {
      title: 'Hono on Node',
      files: { 'src/index.ts': HONO, '.env.example': ENV, 'token.test.mjs': TEST },
      about: { 'src/index.ts': `${ENDPOINT}: POST /token` },
      needs: ['twilio-access-token', 'hono', '@hono/node-server'],
      next: [
        ['cp .env.example .env', 'then fill in your credentials'],
        ['npx tsx --env-file=.env src/index.ts', 'POST http://localhost:3000/token'],
      ],
    },
  ],
]);

/** What every `.env.example` says about itself and the test file, by path. */
export const COMMON_ABOUT: Readonly<Record<string, string>> = {
  '.env.example': 'the variables it reads',
  'token.test.mjs': TEST_ABOUT,
};
