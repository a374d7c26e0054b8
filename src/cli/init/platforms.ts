import type { Project } from './project.js';
import { ENV, EXPRESS, FUNCTION, INVOKE, LAMBDA, TEST, TEST_FILE, TWILIO_ENV } from './templates.js';
import { HONO_INDEX, HONO_TOKEN, NEXT, WORKER_INDEX, WORKER_TOKEN, WRANGLER } from './templates-fetch.js';

// What `twilio-token init <platform>` knows of each platform: the files as that platform's users lay
// out a project (texts in templates*.ts), fitted to the project found (Next.js's src/ folder, an
// src/index.ts or a Wrangler configuration of the project's own), the packages it needs, and how
// to serve it.

/** What init writes into one project, and what it says about it. */
export interface Layout {
  /** Path (relative to the current folder) to content. The first file is the endpoint, with the TODO. */
  readonly files: Readonly<Record<string, string>>;
  /** What each file is, in the output, by path (.env.example and the test are described by init). */
  readonly about: Readonly<Record<string, string>>;
  /** The file the variables go in locally: .env, .env.local, .dev.vars. */
  readonly envFile: string;
  /** The command that serves the endpoint locally, and what to do then. */
  readonly run: readonly [string, string];
  /** What the project must do by hand: a file init left alone, how to mount the endpoint. */
  readonly notes: readonly string[];
}

export interface Platform {
  /** What the output calls it. */
  readonly title: string;
  /** The packages these files import, and the ones only development needs. */
  readonly needs: { readonly dependencies: readonly string[]; readonly devDependencies: readonly string[] };
  /** The files and the steps for the project found in the current folder. */
  layout(project: Project): Layout;
}

const ENDPOINT = 'the token endpoint';

/** `npm run <script>` when package.json has that script and it runs `tool`; else `fallback`. */
function script(project: Project, name: string, tool: string, fallback: string): string {
  if (!project.manifest?.scripts[name]?.includes(tool)) return fallback;
  return name === 'start' ? 'npm start' : `npm run ${name}`;
}

/** The endpoint module, then the rest, then .env.example and the test: every platform's files. */
const withCommon = (files: Record<string, string>, env = ENV) => ({ ...files, '.env.example': env, [TEST_FILE]: TEST });

/** `{ [path]: text }` when `condition` holds, else nothing. */
const when = (condition: boolean, path: string, text: string): Record<string, string> =>
  condition ? { [path]: text } : {};

/** The lines that mount src/token.ts in an src/index.ts of the project's own. */
function mount(project: Project, lines: readonly string[]): string[] {
  if (!project.has('src/index.ts')) return [];
  return ['src/index.ts exists, so init left it alone: mount the endpoint in it.', ...lines.map((l) => `  ${l}`)];
}

const WRANGLER_FILES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];

function workers(project: Project): Layout {
  const config = WRANGLER_FILES.find((file) => project.has(file));
  return {
    files: withCommon({
      'src/token.ts': WORKER_TOKEN,
      ...when(!project.has('src/index.ts'), 'src/index.ts', WORKER_INDEX),
      ...when(config === undefined, 'wrangler.toml', WRANGLER),
    }),
    about: {
      'src/token.ts': `${ENDPOINT}: POST /token`,
      'src/index.ts': 'the Worker: /token to the endpoint, anything else 404',
      'wrangler.toml': "the Worker's configuration (main: src/index.ts)",
    },
    envFile: '.dev.vars',
    run: [script(project, 'dev', 'wrangler', 'npx wrangler dev'), 'POST http://localhost:8787/token'],
    notes: [
      ...(config !== undefined
        ? [`${config} exists, so init wrote no wrangler.toml: its "main" must be src/index.ts.`]
        : []),
      ...mount(project, [
        "import { token } from './token.js';",
        '// first thing in fetch(request, env):',
        "if (new URL(request.url).pathname === '/token') return token(request, env);",
        ...(project.manifest?.scripts['cf-typegen']
          ? ['Once .dev.vars is filled in (below), `npm run cf-typegen` adds its variables to Env.']
          : []),
      ]),
    ],
  };
}

function hono(project: Project): Layout {
  return {
    files: withCommon({
      'src/token.ts': HONO_TOKEN,
      ...when(!project.has('src/index.ts'), 'src/index.ts', HONO_INDEX),
    }),
    about: {
      'src/token.ts': `${ENDPOINT}: POST /token, a Hono app to mount`,
      'src/index.ts': 'the server (@hono/node-server), with the endpoint mounted',
    },
    envFile: '.env',
    run: [script(project, 'dev', 'tsx', 'npx tsx src/index.ts'), 'POST http://localhost:3000/token'],
    notes: mount(project, ["import { token } from './token.js';", "app.route('/', token);"]),
  };
}

function next(project: Project): Layout {
  // With app/ or pages/ in src/, Next.js ignores src/ once an app/ appears beside it: write into src/.
  const src = !project.has('app') && !project.has('pages') && (project.has('src/app') || project.has('src/pages'));
  const route = `${src ? 'src/' : ''}app/api/token/route.ts`;
  return {
    files: withCommon({ [route]: NEXT }),
    about: { [route]: `${ENDPOINT}: POST /api/token` },
    envFile: '.env.local',
    run: [script(project, 'dev', 'next', 'npx next dev'), 'POST http://localhost:3000/api/token'],
    notes: [],
  };
}

/** Every platform, by the name `init` takes. */
export const PLATFORMS: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  [
    'functions',
    {
      title: 'Twilio Functions (Serverless Toolkit)',
      needs: { dependencies: ['twilio-access-token'], devDependencies: ['twilio-run'] },
      layout: (project) => ({
        files: withCommon({ 'functions/token.js': FUNCTION }, TWILIO_ENV('ACCOUNT_SID', 'API_KEY', 'API_SECRET')),
        about: { 'functions/token.js': `${ENDPOINT}: /token` },
        envFile: '.env',
        run: [script(project, 'start', 'twilio-run', 'npx twilio-run'), 'POST http://localhost:3000/token'],
        notes: [],
      }),
    },
  ],
  [
    'express',
    {
      title: 'Express',
      needs: { dependencies: ['twilio-access-token', 'express'], devDependencies: [] },
      layout: () => ({
        files: withCommon({ 'server.mjs': EXPRESS }),
        about: { 'server.mjs': `${ENDPOINT}: POST /token` },
        envFile: '.env',
        run: ['node --env-file=.env server.mjs', 'POST http://localhost:3000/token'],
        notes: [],
      }),
    },
  ],
  [
    'next',
    {
      title: 'Next.js (App Router)',
      needs: { dependencies: ['twilio-access-token', 'next'], devDependencies: [] },
      layout: next,
    },
  ],
  [
    'workers',
    {
      title: 'Cloudflare Workers',
      needs: { dependencies: ['twilio-access-token'], devDependencies: ['wrangler'] },
      layout: workers,
    },
  ],
  [
    'lambda',
    {
      title: 'AWS Lambda',
      needs: { dependencies: ['twilio-access-token'], devDependencies: [] },
      layout: () => ({
        files: withCommon({ 'handler.mjs': LAMBDA, 'invoke.mjs': INVOKE }),
        about: {
          'handler.mjs': `${ENDPOINT}: handler.handler (to upload: zip -qr token.zip handler.mjs node_modules)`,
          'invoke.mjs': 'calls the handler once with an API Gateway event, on your machine',
        },
        envFile: '.env',
        run: ['node --env-file=.env invoke.mjs', 'prints the status and the body'],
        notes: [],
      }),
    },
  ],
  [
    'hono',
    {
      title: 'Hono on Node',
      needs: { dependencies: ['twilio-access-token', 'hono', '@hono/node-server'], devDependencies: ['tsx'] },
      layout: hono,
    },
  ],
]);
