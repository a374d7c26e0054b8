import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The README as npm shows it: the one inside the packed tarball. npm renders it away from the
// repository, so a relative link breaks unless its target ships in the tarball too.

const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let readme: string;
let files: Set<string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tat-readme-'));
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string; files: { path: string }[] }];
  files = new Set(packed.files.map((f) => f.path));
  execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', dir, 'package/README.md']);
  readme = readFileSync(join(dir, 'package/README.md'), 'utf8');
}, 120_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Every link target in a Markdown text: inline links and images, reference definitions, HTML. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? ''),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] ?? ''),
    ...[...prose.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? ''),
  ];
}

describe('the README in the tarball', () => {
  test('links only to absolute https URLs or to files inside the tarball', () => {
    const found = links(readme);
    expect(found.length).toBeGreaterThan(20);
    const broken = found.filter((link) => {
      if (/^https:\/\/[^/]+/.test(link)) return false;
      const path = link.split('#')[0] ?? '';
      // An anchor into the README itself renders on npm too.
      if (path === '') return false;
      return !files.has(path.replace(/^\.\//, ''));
    });
    expect(broken).toEqual([]);
  });

  test('the link finder sees relative links (and so would catch one)', () => {
    expect(links('[a](docs/x.md) ![b](./img.png "t")\n[c]: examples/\n<a href="LICENSE">l</a>')).toEqual([
      'docs/x.md',
      './img.png',
      'examples/',
      'LICENSE',
    ]);
  });

  test('opens with the way to the docs site and the newcomer path', () => {
    expect(readme).toContain('https://twilio-access-token.github.io/twilio-access-token/');
    expect(readme).toMatch(/npm install twilio-access-token\nnpx twilio-access-token init next/);
    expect(readme).toMatch(/npm run dev/);
  });
});
