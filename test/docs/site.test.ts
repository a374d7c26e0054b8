import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The docs site as `npm run docs` builds it (typedoc over the entry points and the guides), into a
// folder of its own: every link and anchor in every generated page resolves, the navigation and the
// search reach every guide and entry point, docs/index.md lists them all, and the README's absolute
// links to the site or the repository point at pages, anchors and files that exist.

const root = new URL('../..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  repository: { url: string };
  homepage: string;
  typedocOptions: { projectDocuments: string[] };
};
/** Where docs.yml publishes the site. */
const SITE = 'https://twilio-access-token.github.io/twilio-access-token/';
const REPO = 'https://github.com/twilio-access-token/twilio-access-token/';
const GUIDES = manifest.typedocOptions.projectDocuments;
const SUBPATHS = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => key.slice(1) || '/');

let out: string;
let pages: Map<string, { html: string; ids: Set<string> }>;

/** Every file under `dir`, relative. */
const filesIn = (dir: string): string[] =>
  (
    readdirSync(dir, { recursive: true, withFileTypes: true }) as {
      isFile(): boolean;
      parentPath: string;
      name: string;
    }[]
  )
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));

const decodeEntities = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** The JSON typedoc stores deflated and base64-encoded in assets/<name>.js. */
function assetData(name: string): unknown {
  const text = readFileSync(join(out, 'assets', `${name}.js`), 'utf8');
  const data = /= "([A-Za-z0-9+/=]+)"/.exec(text)?.[1];
  expect(data, `assets/${name}.js`).toBeDefined();
  return JSON.parse(inflateSync(Buffer.from(data ?? '', 'base64')).toString('utf8'));
}

/** Why a link from `from` (a page, relative to the site) to `href` does not resolve, or undefined. */
function brokenLink(from: string, href: string): string | undefined {
  const [pathPart = '', anchor] = href.split('#', 2);
  const path = decodeURIComponent(pathPart.split('?')[0] ?? '');
  const target = path === '' ? from : join(dirname(from), path);
  if (target.startsWith('..')) return `${href}: outside the site`;
  if (!existsSync(join(out, target))) return `${href}: no file ${target}`;
  if (anchor === undefined || anchor === '') return undefined;
  const page = pages.get(target);
  if (page === undefined) return `${href}: an anchor into a file that is not a page`;
  return page.ids.has(decodeURIComponent(anchor)) ? undefined : `${href}: no anchor #${anchor} in ${target}`;
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'tat-docs-site-'));
  const r = spawnSync(`${root}.ci/node_modules/.bin/typedoc`, ['--out', out], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  pages = new Map();
  for (const file of filesIn(out).filter((f) => /\.(html|svg)$/.test(f))) {
    const html = readFileSync(join(out, file), 'utf8');
    const ids = new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? '')));
    pages.set(file, { html, ids });
  }
}, 120_000);

afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

describe('the docs site', () => {
  test('every link and anchor in every page resolves', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const [file, { html }] of pages) {
      if (!file.endsWith('.html')) continue;
      for (const [, raw] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const href = decodeEntities(raw ?? '');
        if (/^(https?:|mailto:|data:|javascript:)/.test(href)) {
          if (href.startsWith(SITE) || href.startsWith(REPO)) broken.push(...absoluteProblems(href, file));
          continue;
        }
        checked++;
        const problem = brokenLink(file, href);
        if (problem !== undefined) broken.push(`${file}: ${problem}`);
      }
    }
    expect(broken).toEqual([]);
    const count = [...pages.keys()].filter((file) => file.endsWith('.html')).length;
    expect(count).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(5_000);
    console.log(`docs site: ${count} pages, ${checked} links checked`);
  });

  test('the navigation holds every guide and every entry point, and each of its links resolves', () => {
    interface Node {
      text: string;
      path?: string;
      children?: Node[];
    }
    const nav = assetData('navigation') as Node[];
    const paths: string[] = [];
    const walk = (nodes: Node[]) => {
      for (const node of nodes) {
        if (node.path !== undefined) paths.push(node.path);
        walk(node.children ?? []);
      }
    };
    walk(nav);
    expect(paths.map((path) => brokenLink('index.html', path)).filter(Boolean)).toEqual([]);
    const titles = nav.map((node) => node.text);
    for (const guide of GUIDES) expect(titles).toContain(titleOf(guide));
    for (const subpath of SUBPATHS)
      expect(titles).toContain(subpath === '/' ? 'twilio-access-token' : `twilio-access-token${subpath}`);
  });

  test('the search indexes every guide and entry point, and each result links to a page', () => {
    const search = assetData('search') as { rows: { name: string; url: string }[] };
    expect(search.rows.map((row) => brokenLink('index.html', row.url)).filter(Boolean)).toEqual([]);
    const names = search.rows.map((row) => row.name);
    for (const guide of GUIDES) expect(names).toContain(titleOf(guide));
    expect(names).toContain('twilio-access-token/react');
    expect(names).toContain('createAccessToken');
  });

  test('the overview (docs/index.md) links every guide and names every entry point', () => {
    const index = readFileSync(join(root, 'docs/index.md'), 'utf8');
    for (const guide of GUIDES) expect(index, guide).toContain(`](${guide.slice('docs/'.length)})`);
    // Every guide in docs/ is one of the site's documents.
    const onDisk = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'index.md');
    expect(onDisk.map((f) => `docs/${f}`).sort()).toEqual([...GUIDES].sort());
    for (const subpath of SUBPATHS)
      expect(index, subpath).toMatch(new RegExp(`\`(twilio-access-token)?${subpath === '/' ? '' : subpath}\``));
  });

  test('docs.yml publishes this site to GitHub Pages on a release', () => {
    const docs = readFileSync(join(root, '.github/workflows/docs.yml'), 'utf8');
    expect(docs).toMatch(/^on:\n {2}release:\n {4}types: \[published\]\n {2}workflow_call:/m);
    expect(docs).toMatch(/run: npm ci && npm run docs/);
    expect(docs).toMatch(/uses: actions\/upload-pages-artifact@v\d+\n\s+with:\n\s+path: docs\/api/);
    expect(docs).toMatch(/uses: actions\/deploy-pages@v\d+/);
    expect(docs).toMatch(/pages: write/);
    // release.yml calls it once changesets has published (its GITHUB_TOKEN release starts no workflow).
    const release = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
    expect(release).toMatch(
      /if: needs\.release\.outputs\.published == 'true'[\s\S]*uses: \.\/\.github\/workflows\/docs\.yml/,
    );
    expect(manifest.homepage).toBe(SITE);
  });

  test("the README's links to the site and the repository resolve", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\((https:[^)\s]+)\)/g)].map((m) => m[1] ?? '');
    expect(links.filter((link) => link.startsWith(SITE)).length).toBeGreaterThan(5);
    expect(links.flatMap((link) => absoluteProblems(link, 'README.md'))).toEqual([]);
  });
});

/** A guide's title, from its front matter. */
function titleOf(guide: string): string {
  return /^title: (.+)$/m.exec(readFileSync(join(root, guide), 'utf8'))?.[1] ?? guide;
}

/** Problems of an absolute link to the site (the page and anchor exist) or the repository (the file exists). */
function absoluteProblems(href: string, from: string): string[] {
  if (href.startsWith(SITE)) {
    const inside = href.slice(SITE.length);
    const problem = brokenLink('index.html', inside.startsWith('#') || inside === '' ? `index.html${inside}` : inside);
    return problem === undefined ? [] : [`${from}: ${href}: ${problem}`];
  }
  const match = /^(?:blob|tree)\/main\/([^#?]*)/.exec(href.slice(REPO.length));
  if (match === null) return [];
  return existsSync(join(root, decodeURIComponent(match[1] ?? '')))
    ? []
    : [`${from}: ${href}: no such file in the repository`];
}
