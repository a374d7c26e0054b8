import { ENV, EXPRESS, FUNCTION, HONO, LAMBDA, NEXT, TEST, TWILIO_ENV, WORKER, WRANGLER } from './templates.js';

// What `twilio-token init <platform>` knows of each platform: the files as that platform's users lay
// out a project (texts in templates.ts), what each is, the packages it needs, and the two commands
// to run next.

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
  'token.test.mjs': 'mints and verifies a token with fake credentials: node --test',
};
