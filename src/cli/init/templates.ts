// The files `twilio-token init <platform>` writes, as plain strings in the CLI's bundle only. Every
// endpoint's `identify` refuses everyone (`return null;`) below a TODO until the app fills it in.
// The Node-only platforms are here; the fetch runtimes (Next.js, Workers, Hono) in templates-fetch.ts.

const TODO =
  "TODO: return the signed-in user's identity, read from your own auth (a session cookie,\n$// an Authorization header...). Until then everyone is refused with a 401.\n$return null;";

/**
 * The `identify` option: no parameter until the app needs one (so no linter flags it unused), the
 * request's shape in the comment above, the TODO in its body.
 */
export const IDENTIFY = (indent: string, takes: string) =>
  `${indent}// Who is asking: the signed-in user's identity, or null for a 401. ${takes}
${indent}identify: async () => {
${indent}  // ${TODO.replaceAll('$', `${indent}  `)}
${indent}},`;

/** A .env.example naming the three credential variables, under the given names. */
export const TWILIO_ENV = (a: string, k: string, s: string) =>
  `# Your Account SID (AC...) and an API Key (SK...) with its secret, from the Twilio Console:\n# Account > API keys & tokens. Never commit the file that holds the real values.\n${a}=\n${k}=\n${s}=\n`;
/** The .env.example of every platform that reads process.env or a Worker env. */
export const ENV = TWILIO_ENV('TWILIO_ACCOUNT_SID', 'TWILIO_API_KEY_SID', 'TWILIO_API_KEY_SECRET');

/**
 * The test's file name: not `*.test.mjs`, which Vitest (create-cloudflare's `npm test`) would pick
 * up and fail on `node:test`. Run by name (`node --test token.node-test.mjs`): a bare `node --test`
 * on Node 22 also runs a project's `test/*.ts`.
 */
export const TEST_FILE = 'token.node-test.mjs';

/** The test: mints with the endpoint's grant and fake credentials, then verifies (`node --test <file>`). */
export const TEST = `// Mints a token with the endpoint's grant and fake credentials, then verifies it:
// \`node --test ${TEST_FILE}\`.
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
${IDENTIFY('    ', "It is called with the\n    // request: async ({ headers, platform }) => ..., platform.req being Express's request.")}
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
${IDENTIFY('  ', "It is called with the\n  // request: async ({ headers, platform }) => ..., platform.event being the Lambda event (an\n  // authorizer's claims are in platform.event.requestContext).")}
  grants: videoGrant(),
});
`;

/** AWS Lambda: invoke.mjs, one local call of the handler with an API Gateway (HTTP API) event. */
export const INVOKE = `// Calls handler.handler once with an API Gateway (HTTP API) event, as Lambda would, and prints the
// answer: \`node --env-file=.env invoke.mjs\`. For your machine only: leave it out of the zip.
import { handler } from './handler.mjs';

const event = {
  version: '2.0',
  routeKey: 'POST /token',
  rawPath: '/token',
  rawQueryString: '',
  headers: {},
  requestContext: {
    http: { method: 'POST', path: '/token', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'invoke.mjs' },
    requestId: 'local',
    routeKey: 'POST /token',
    stage: '$default',
  },
  isBase64Encoded: false,
};
const { statusCode, body } = await handler(event, { awsRequestId: 'local' });
console.log(statusCode, body);
`;

/** Twilio Functions (Serverless Toolkit): functions/token.js, CommonJS. */
export const FUNCTION = `// A Twilio Function: GET or POST /token answers { token, identity, ttl, expiresAt } for the
// signed-in user. Credentials come from the service's environment (context): ACCOUNT_SID, API_KEY
// and API_SECRET, from .env locally.
const { createTwilioFunction } = require('twilio-access-token/twilio-functions');
const { videoGrant } = require('twilio-access-token');

exports.handler = createTwilioFunction({
${IDENTIFY('  ', "It is called with the\n  // request: async ({ params, platform }) => ..., params being the request's parameters and\n  // platform.context the service's variables.")}
  grants: videoGrant(),
});
`;
