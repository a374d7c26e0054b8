// The files `twilio-token init <platform>` writes for the fetch runtimes: Next.js, Cloudflare
// Workers, Hono on Node. Workers and Hono get the endpoint in src/token.ts, so a project that has its
// own src/index.ts (from create-cloudflare or create-hono) keeps it and mounts the endpoint.
import { IDENTIFY } from './templates.js';

const FETCH_HANDLER = (generic: string, platform: string) => `createFetchHandler${generic}({
${IDENTIFY('  ', `It is called with the\n  // request: async ({ headers, platform }) => ..., ${platform}.`)}
  grants: videoGrant(),`;

/** Next.js App Router: app/api/token/route.ts. */
export const NEXT = `// POST /api/token: answers { token, identity, ttl, expiresAt } for the signed-in user. Credentials
// come from process.env, which Next.js fills from .env.local.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

export const POST = ${FETCH_HANDLER('', 'platform.request being the Request')}
  // The app calls its own origin: no CORS headers.
  cors: false,
});
`;

/** Cloudflare Workers: src/token.ts, credentials from the typed env. */
export const WORKER_TOKEN = `// POST /token for a Cloudflare Worker: answers { token, identity, ttl, expiresAt } for the signed-in
// user. Credentials come from the Worker's env: secrets in production (\`wrangler secret put\`),
// .dev.vars locally. src/index.ts answers /token with it: \`return token(request, env)\`.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

/** The variables the endpoint reads from the Worker's env. */
export interface TwilioEnv {
  TWILIO_ACCOUNT_SID: string;
  TWILIO_API_KEY_SID: string;
  TWILIO_API_KEY_SECRET: string;
}

export const token = ${FETCH_HANDLER('<TwilioEnv>', "platform.request being the Request\n  // and platform.env the Worker's env")}
});
`;

/** Cloudflare Workers: src/index.ts, when the project has none. */
export const WORKER_INDEX = `// A Cloudflare Worker: POST /token is the token endpoint of src/token.ts; anything else is a 404.
import { type TwilioEnv, token } from './token.js';

export default {
  async fetch(request: Request, env: TwilioEnv): Promise<Response> {
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

/** Hono on Node: src/token.ts, a Hono app to mount. */
export const HONO_TOKEN = `// POST /token for Hono on Node: answers { token, identity, ttl, expiresAt } for the signed-in user.
// Mount it in src/index.ts: \`app.route('/', token)\`. Credentials come from process.env, which
// .env fills in when it exists (\`npm run dev\` loads no .env itself; set variables win over it).
import { existsSync } from 'node:fs';
import { Hono } from 'hono';
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

if (existsSync('.env')) process.loadEnvFile('.env');

const handler = ${FETCH_HANDLER('', 'platform.request being the Request')}
});

export const token = new Hono().post('/token', (c) => handler(c.req.raw));
`;

/** Hono on Node: src/index.ts, when the project has none. */
export const HONO_INDEX = `// Hono on Node (@hono/node-server): serves the token endpoint of src/token.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { token } from './token.js';

const app = new Hono();
app.route('/', token);

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port, hostname: process.env.HOST }, (info) => {
  console.log(\`Token endpoint: POST http://localhost:\${info.port}/token\`);
});
`;
