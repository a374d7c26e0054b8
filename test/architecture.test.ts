import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { PRODUCTS } from '../src/grants/products.js';

// The layers of src/, lowest first. A file may import from its own layer or a lower one, never
// from a higher one: data flows entry -> handlers -> handlers/core -> platform/client/probe -> inspect
// -> token -> grants -> crypto -> base.
// probe/ (the online probe) sits beside client/: it reads decode and the finding vocabulary from inspect/.
// platform/ (each platform's signer-bound functions and guard digests) sits below handlers/core,
// which reads the guard platform type from it.
// react/ (the hooks) sits on client/ (the provider it imports, never copies).
const LAYERS: readonly (readonly [rank: number, prefix: string])[] = [
  [0, 'base/'],
  [1, 'crypto/'],
  [2, 'grants/'],
  [3, 'token/'],
  [4, 'inspect/'],
  [5, 'client/'],
  [5, 'probe/'],
  [5, 'platform/'],
  [6, 'handlers/core/'],
  [6, 'react/'],
  [7, 'handlers/'],
  [7, 'cli/'],
];
const ENTRY_RANK = 8;
const MAX_FILE_LINES = 250;
const MAX_FUNCTION_LINES = 60;

const src = resolve(dirname(new URL(import.meta.url).pathname), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function rankOf(file: string): number {
  const rel = relative(src, file);
  if (!rel.includes('/')) return ENTRY_RANK;
  return LAYERS.find(([, prefix]) => rel.startsWith(prefix))?.[0] ?? -1;
}

interface Parsed {
  readonly file: string;
  readonly lines: number;
  readonly imports: readonly string[];
  readonly functions: readonly { name: string; lines: number }[];
  /** Snake_case words and grant options named in code. */
  readonly names: readonly string[];
}

function parse(file: string): Parsed {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const functions: { name: string; lines: number }[] = [];
  const names: string[] = [];
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text.startsWith('.')
    ) {
      imports.push(resolve(dirname(file), node.moduleSpecifier.text.replace(/\.js$/, '.ts')));
    }
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const name =
        node.name && ts.isIdentifier(node.name) ? node.name.text : `<anonymous at ${line(node.getStart()) + 1}>`;
      functions.push({ name, lines: line(node.end) - line(node.getStart()) + 1 });
    }
    names.push(...grantNames(node));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { file, lines: text.split('\n').length, imports, functions, names };
}

// Wire keys (snake_case) and the products' multi-word options are named in src/grants/ only: every
// other file reads them from the tables. A short list of snake_case words that are no wire key of a
// table, each with its reason.
const NOT_WIRE_KEYS: ReadonlyMap<string, string> = new Map([
  ['diagnostics_channel', "Node's module node:diagnostics_channel"],
  ['ip_messaging', 'a legacy grant no table has: diagnose names it to say so'],
  ['node_modules', 'a folder init writes into the .gitignore it generates'],
  ['compatibility_date', 'a wrangler.toml setting init writes for Cloudflare Workers'],
]);
const GRANT_OPTIONS = new Set(
  PRODUCTS.flatMap((spec) => spec.fields.map((f) => f.option)).filter((o) => /[A-Z]/.test(o)),
);
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
const WORD = /[A-Za-z][A-Za-z0-9]*/g;

/** The snake_case words and grant options a node names in code (an identifier or a string, never a comment). */
function grantNames(node: ts.Node): string[] {
  const text =
    ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) ? node.text : '';
  return [
    ...[...text.matchAll(SNAKE_CASE)].map(([word]) => word).filter((word) => !NOT_WIRE_KEYS.has(word)),
    ...[...text.matchAll(WORD)].map(([word]) => word).filter((word) => GRANT_OPTIONS.has(word)),
  ];
}

const MAX_PREFIXED = 4;

/** A folder's files that share a name prefix (`keyring-*.ts`), four or more of them. */
function crowdedPrefixes(dir: string): string[] {
  const names = readdirSync(dir).filter((name) => name.endsWith('.ts') && name.includes('-'));
  const count = new Map<string, number>();
  for (const prefix of names.map((name) => name.slice(0, name.indexOf('-'))))
    count.set(prefix, (count.get(prefix) ?? 0) + 1);
  return [...count]
    .filter(([, n]) => n >= MAX_PREFIXED)
    .map(([prefix]) => `${relative(src, dir) || '.'}/${prefix}-*.ts`);
}

function folders(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => folders(join(dir, e.name))),
  ];
}

const files = sourceFiles(src).map(parse);
const byFile = new Map(files.map((f) => [f.file, f]));

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of byFile.get(file)?.imports ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const { file } of files) if (!state.has(file)) walk(file);
  return found.map((cycle) => cycle.map((f) => relative(src, f)));
}

describe('src/ architecture', () => {
  test('finds the source files and their imports (the checks below see something)', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.imports.length > 3)).toBe(true);
    expect(files.every((f) => rankOf(f.file) >= 0)).toBe(true);
  });

  test('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  test('imports only from its own layer or a lower one', () => {
    const upward = files.flatMap((f) =>
      f.imports
        .filter((target) => rankOf(target) > rankOf(f.file))
        .map((target) => `${relative(src, f.file)} -> ${relative(src, target)}`),
    );
    expect(upward).toEqual([]);
  });

  test('keeps the platform-neutral core free of adapters and of twilio', () => {
    const core = files.filter((f) => rankOf(f.file) < ENTRY_RANK && !relative(src, f.file).startsWith('handlers/'));
    for (const f of core) {
      const text = readFileSync(f.file, 'utf8');
      expect(text, relative(src, f.file)).not.toMatch(/from ['"]twilio['"]/);
    }
  });

  test('names wire keys and grant options only in src/grants/ (the rest reads the tables)', () => {
    expect(GRANT_OPTIONS.has('incomingAllow')).toBe(true);
    const named = files
      .filter((f) => !relative(src, f.file).startsWith('grants/'))
      .flatMap((f) => f.names.map((word) => `${relative(src, f.file)}: ${word}`));
    expect(named).toEqual([]);
  });

  test('builds findings only from the finding table (no severity written beside it)', () => {
    const written = files
      .filter((f) => relative(src, f.file) !== 'inspect/diagnose/finding.ts')
      .filter((f) => /severity: '(error|warning)'/.test(readFileSync(f.file, 'utf8')))
      .map((f) => relative(src, f.file));
    expect(written).toEqual([]);
  });

  test(`has no folder with ${MAX_PREFIXED} or more files of one prefix (they are a folder of their own)`, () => {
    expect(folders(src).flatMap(crowdedPrefixes)).toEqual([]);
  });

  test(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => f.lines > MAX_FILE_LINES).map((f) => `${relative(src, f.file)}: ${f.lines}`);
    expect(long).toEqual([]);
  });

  test(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap((f) =>
      f.functions
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => `${relative(src, f.file)} ${fn.name}: ${fn.lines}`),
    );
    expect(long).toEqual([]);
  });
});

// test/ mirrors src/: the tests of the code in src/<folder>/ live in test/<folder>/. Each src folder has
// its test folder, and one with source files of its own has test files of its own.
const tests = resolve(src, '../test');
const holds = (dir: string, suffix: string) => readdirSync(dir).some((name) => name.endsWith(suffix));

describe('test/ mirrors src/', () => {
  test('each src folder has its test folder', () => {
    const mirrored = folders(src)
      .filter((dir) => dir !== src)
      .map((dir) => relative(src, dir));
    expect(mirrored.length).toBeGreaterThan(10);
    const missing = mirrored.filter((rel) => {
      const test = join(tests, rel);
      if (!existsSync(test)) return true;
      return holds(join(src, rel), '.ts') && !holds(test, '.test.ts');
    });
    expect(missing).toEqual([]);
  });
});
