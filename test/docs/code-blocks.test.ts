import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { wholeFiles } from './whole-files.js';

// Every TypeScript block in README.md and docs/*.md that imports the package, and every @example
// in the source's TSDoc, compiles against the BUILT types (dist/*.d.ts), so the docs cannot rot.

const root = new URL('../..', import.meta.url).pathname;
const out = join(root, 'node_modules/.cache/doc-blocks');

interface Block {
  origin: string;
  line: number;
  code: string;
  /** A `tsx` block (React components), compiled as .tsx with the React JSX transform. */
  tsx: boolean;
}

function markdownBlocks(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks: Block[] = [];
  const fence = /^```(ts|typescript|tsx)\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(fence)) {
    const code = match[2] as string;
    if (!/from 'twilio-access-token(\/[\w-]+)?'/.test(code)) continue;
    const line = text.slice(0, match.index).split('\n').length + 1;
    blocks.push({ origin: file, line, code, tsx: match[1] === 'tsx' });
  }
  return blocks;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function tsdocExamples(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks: Block[] = [];
  const example = /@example\n((?:\s*\*.*\n)*?)\s*\*\s*```(tsx?)\n((?:\s*\*.*\n)*?)\s*\*\s*```/g;
  for (const match of text.matchAll(example)) {
    const code = (match[3] as string)
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    blocks.push({ origin: file, line: text.slice(0, match.index).split('\n').length, code, tsx: match[2] === 'tsx' });
  }
  return blocks;
}

const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = [...docs.flatMap(markdownBlocks), ...sourceFiles('src').flatMap(tsdocExamples)];

describe('code in the docs', () => {
  test('finds the blocks (README, every guide, TSDoc examples)', () => {
    expect(blocks.filter((b) => b.origin === 'README.md').length).toBeGreaterThanOrEqual(5);
    for (const guide of [
      'docs/getting-started.md',
      'docs/grants.md',
      'docs/handlers.md',
      'docs/migrating.md',
      'docs/guards.md',
      'docs/mobile.md',
    ]) {
      expect(
        blocks.some((b) => b.origin === guide),
        guide,
      ).toBe(true);
    }
    expect(blocks.filter((b) => b.origin.startsWith('src/')).length).toBeGreaterThanOrEqual(20);
  });

  test('type-checks every block against the built declarations', () => {
    expect(existsSync(join(root, 'dist/index.d.ts')), 'dist/ is missing: run `npm run build` first').toBe(true);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const files = blocks.map((block, i) => {
      const file = join(out, `${block.origin.replace(/[^\w]/g, '_')}_${block.line}_${i}.ts${block.tsx ? 'x' : ''}`);
      writeFileSync(file, `${block.code}\nexport {};\n`);
      return { file, block };
    });
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: ['node'],
        skipLibCheck: true,
        esModuleInterop: true,
        // React blocks resolve react's types from the root devDependency @types/react.
        jsx: ts.JsxEmit.ReactJSX,
        baseUrl: root,
        // The SDKs the client guide's snippets import live in the browser tests' own package; the
        // rate limiters and OpenTelemetry of the guards guide, in the Redis tests' package.
        paths: {
          'twilio-access-token': ['dist/index.d.ts'],
          'twilio-access-token/*': ['dist/*.d.ts'],
          ...Object.fromEntries(
            ['@twilio/voice-sdk', '@twilio/conversations', 'twilio-sync', 'twilio-taskrouter', 'twilio-video'].map(
              (name) => [name, [`test/browser/node_modules/${name}`]],
            ),
          ),
          ...Object.fromEntries(
            ['ioredis', 'rate-limiter-flexible', 'express-rate-limit', '@opentelemetry/api'].map((name) => [
              name,
              [`test/redis/node_modules/${name}`],
            ]),
          ),
          // The Hono guide's snippet: Hono lives in the runtimes tests' package.
          hono: ['test/runtimes/node_modules/hono'],
          // The mobile guide's React Native snippets: structural types, no React Native dependency.
          'react-native': ['test/docs/react-native-types/react-native.d.ts'],
          '@twilio/voice-react-native-sdk': ['test/docs/react-native-types/voice-react-native-sdk.d.ts'],
        },
      },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const entry = files.find((f) => f.file === d.file?.fileName);
      const where = entry ? `${entry.block.origin}:${entry.block.line}` : relative(root, d.file?.fileName ?? '?');
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${where} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(problems).toEqual([]);
    // One TypeScript program over every block: about 30 s of CPU alone, far more beside another run
    // of the suite on two cores. A limit on work done, not a time the test asserts.
  }, 180_000);
});

describe('blocks the docs call a whole file (issue 26, finding D1)', () => {
  const whole = wholeFiles();
  test('the Next.js route.ts of the guides is among them', () => {
    expect(whole.map((w) => `${w.origin.split(':')[0]} ${w.path}`)).toEqual(
      expect.arrayContaining([
        'docs/getting-started.md app/api/token/route.ts',
        'docs/handlers.md app/api/token/route.ts',
      ]),
    );
  });

  test.each(whole.map((w) => [w.origin, w] as const))('%s declares nothing it leaves undefined', (_o, w) => {
    // `declare` compiles here but is a ReferenceError in the app it is copied into.
    expect(w.code).not.toMatch(/^\s*declare\s/m);
  });
});
