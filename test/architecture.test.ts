import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

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
}

function parse(file: string): Parsed {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  const functions: { name: string; lines: number }[] = [];
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
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { file, lines: text.split('\n').length, imports, functions };
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
