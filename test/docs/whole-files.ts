import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The code blocks the docs call a whole file: a TypeScript block whose first line is a comment
// naming the file (`// app/api/token/route.ts`). Such a block must build and serve as it stands
// when copied into a fresh app (issue 26: the Next.js route.ts called "the whole of route.ts"
// used a `userFromSession` it never defined). test/examples/nextjs.test.ts builds them.

const root = new URL('../..', import.meta.url).pathname;

/** One whole-file block. */
export interface WholeFile {
  /** Where it is: `docs/handlers.md:173`. */
  readonly origin: string;
  /** The file it is, as its first line names it: `app/api/token/route.ts`. */
  readonly path: string;
  readonly code: string;
}

const NAMED = /^\/\/ ((?:[\w.[\]-]+\/)*[\w.[\]-]+\.(?:ts|tsx|js|mjs))\n/;

/** Every whole-file block of README.md and docs/*.md. */
export function wholeFiles(): WholeFile[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return [...text.matchAll(/^```(?:ts|tsx|typescript)\n([\s\S]*?)^```/gm)].flatMap((m) => {
      const code = m[1] as string;
      const named = NAMED.exec(code);
      if (named === null) return [];
      const line = text.slice(0, m.index).split('\n').length + 1;
      return [{ origin: `${file}:${line}`, path: named[1] as string, code }];
    });
  });
}
