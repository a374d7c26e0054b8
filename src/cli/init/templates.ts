// The files `twilio-token init <platform>` writes, as plain strings in the CLI's bundle only. Every
// endpoint's `identify` refuses everyone (`return null;`) below a TODO until the app fills it in.

const TODO =
  "TODO: return the signed-in user's identity, read from your own auth (a session cookie,\n$// an Authorization header...). Until then everyone is refused with a 401.\n$return null;";
const identify = (indent: string) => TODO.replaceAll('$', indent);

/** A .env.example naming the three credential variables, under the given names. */
export const TWILIO_ENV = (a: string, k: string, s: string) =>
  `# Your Account SID (AC...) and an API Key (SK...) with its secret, from the Twilio Console:\n# Account > API keys & tokens. Never commit the file that holds the real values.\n${a}=\n${k}=\n${s}=\n`;
/** The .env.example of every platform that reads process.env or a Worker env. */
export const ENV = TWILIO_ENV('TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET');

/** token.test.mjs: mints with the endpoint's grant and fake credentials, then verifies (`node --test`). */
export const TEST = `// Mints a token with the endpoint's grant and fake credentials, then verifies it: \`node --test\`.
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

const FETCH_HANDLER = (generic: string) => `createFetchHandler${generic}({
  // The signed-in user's identity, or null for a 401.
  identify: async (request) => {
    // ${identify('    ')}
  },
  grants: videoGrant(),`;

/** Next.js App Router: app/api/token/route.ts. */
export const NEXT = `// POST /api/token: answers { token, identity, ttl, expiresAt } for the signed-in user. Credentials
// come from process.env, which Next.js fills from .env.local.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

export const POST = ${FETCH_HANDLER('')}
  // The app calls its own origin: no CORS headers.
  cors: false,
});
`;

/** Cloudflare Workers: src/index.ts, credentials from the typed env. */
export const WORKER = `// A Cloudflare Worker: POST /token answers { token, identity, ttl, expiresAt } for the signed-in
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

/** Cloudflare Workers: wrangler.toml, with the secrets' names and no values. */
export const WRANGLER = `name = "twilio-token"
main = "src/index.ts"
compatibility_date = "2025-09-01"

# No [vars]: the Twilio credentials are secrets, never written here.
#   npx wrangler secret put TWILIO_ACCOUNT_SID
#   npx wrangler secret put TWILIO_API_KEY_SID
#   npx wrangler secret put TWILIO_API_KEY_SECRET
# For \`wrangler dev\`, the same names go in .dev.vars (see .env.example).
`;

/** Hono on Node (@hono/node-server): src/index.ts. */
export const HONO = `// Hono on Node: POST /token answers { token, identity, ttl, expiresAt } for the signed-in user.
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

/** Express: server.mjs. */
export const EXPRESS = `// Express: POST /token answers { token, identity, ttl, expiresAt } for the signed-in user.
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

/** AWS Lambda: handler.mjs (handler.handler). */
export const LAMBDA = `// AWS Lambda (API Gateway or a function URL): answers { token, identity, ttl, expiresAt } for the
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

/** Twilio Functions (Serverless Toolkit): functions/token.js, CommonJS. */
export const FUNCTION = `// A Twilio Function: GET or POST /token answers { token, identity, ttl, expiresAt } for the
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
