import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

// The CHANGELOG a release leaves: its top section is package.json's version, written by hand
// (.ci/release-notes.mjs replaces what `changeset version` generates) as Changed, Added, Fixed, with a
// migration line for every breaking change. These hold before the release (0.1.0, changesets pending)
// and after it (0.2.0, none pending). `dist/cli.js --version` is checked against package.json by
// test/cli/cli.test.ts.

const root = new URL('../..', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
const changelog = readFileSync(`${root}CHANGELOG.md`, 'utf8');
const pending = readdirSync(`${root}.changeset`).filter((f) => f.endsWith('.md') && f !== 'README.md');

/** The release sections of a changelog: heading (without "## ") to the section's lines. */
function sections(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      current = [];
      result.set(line.slice(3).trim(), current);
    } else current?.push(line);
  }
  return result;
}

/** A section's subsections ("### Name") in order, each with its top-level bullets (continuations joined). */
function subsections(lines: readonly string[]): { name: string; bullets: string[] }[] {
  const result: { name: string; bullets: string[] }[] = [];
  for (const line of lines) {
    const last = result.at(-1);
    if (line.startsWith('### ')) result.push({ name: line.slice(4).trim(), bullets: [] });
    else if (line.startsWith('- ')) last?.bullets.push(line);
    else if (/^\s+\S/.test(line) && last !== undefined && last.bullets.length > 0)
      last.bullets[last.bullets.length - 1] += `\n${line}`;
  }
  return result;
}

describe('CHANGELOG.md and the release version', () => {
  const all = sections(changelog);
  const [top] = all.keys();

  test("the top section is package.json's version", () => {
    expect(top).toBe(version);
    // Before 0.2.0 is cut, what it will carry waits in .changeset/.
    if (version === '0.1.0') expect(pending.length).toBeGreaterThan(0);
  });

  test("package-lock.json and the examples name package.json's version", () => {
    const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    expect([lock.version, lock.packages['']?.version]).toEqual([version, version]);
    // A caret range of 0.x admits no later minor: an example copied out of the repository must ask for
    // this release, or `npm install` there gets the previous one.
    for (const example of readdirSync(`${root}examples`, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const dir = `${root}examples/${example.name}`;
      const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      expect(manifest.dependencies?.['twilio-access-token'], example.name).toBe(`^${version}`);
      const readme = readFileSync(`${dir}/README.md`, 'utf8');
      for (const [mention] of readme.matchAll(/twilio-access-token@\^[\d.]+/g))
        expect(mention, `examples/${example.name}/README.md`).toBe(`twilio-access-token@^${version}`);
    }
  });

  test('no entry waits for confirmation, and no section is the one changesets generates', () => {
    expect(changelog).not.toMatch(/<!--\s*pending/);
    for (const [heading, lines] of all) {
      const text = lines.join('\n');
      expect(text, heading).not.toMatch(/^### (Major|Minor|Patch) Changes/m);
      expect(text, `${heading}: a changeset's commit hash`).not.toMatch(/^- [0-9a-f]{7}: /m);
    }
  });

  test('from 0.2.0 on, a section is Changed, Added, Fixed in that order; each breaking change says how to migrate', () => {
    for (const [heading, lines] of all) {
      if (heading === '0.1.0') continue; // the first release: everything new, grouped by theme
      const parts = subsections(lines);
      const names = parts.map((p) => p.name);
      const order = ['Changed', 'Added', 'Fixed'];
      expect(
        names.every((n) => order.includes(n)),
        `${heading}: ${names.join(', ')}`,
      ).toBe(true);
      expect(names, heading).toEqual(order.filter((n) => names.includes(n)));
      if (heading === '0.2.0') expect(names).toEqual(order);
      const changed = parts.find((p) => p.name === 'Changed')?.bullets ?? [];
      let migrations = true;
      for (const bullet of changed) {
        expect(bullet, `${heading}: a Changed entry opens with a bold summary`).toMatch(/^- \*\*[^*]+\*\*/);
        const breaking = /\bbreaking\b|\brenam|→/i.test(bullet);
        const migration = /\bMigration:/.test(bullet);
        if (breaking) expect(migration, `${heading}: no "Migration:" in\n${bullet}`).toBe(true);
        // Breaking changes first: once an entry has no migration line, none after it has one.
        if (migration) expect(migrations, `${heading}: a breaking change after other changes:\n${bullet}`).toBe(true);
        else migrations = false;
      }
    }
  });
});

describe('.ci/release-notes.mjs', () => {
  // The script rewrites the CHANGELOG.md beside its own folder: a scratch project with a copy of it.
  const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
  mkdirSync(join(dir, '.ci'));
  copyFileSync(`${root}.ci/release-notes.mjs`, join(dir, '.ci/release-notes.mjs'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = '# pkg\n\nIntro paragraph,\nover two lines.\n\n## 0.1.0\n\n- First\n  release.\n';
  // What `changeset version` leaves: its section after the first line, and prettier's re-indent.
  const generated =
    '# pkg\n\n## 0.2.0\n\n### Minor Changes\n\n- abc1234: A change.\n\nIntro paragraph,\nover two lines.\n\n## 0.1.0\n\n- First\nrelease.\n';
  const section = '## 0.2.0\n\nLead.\n\n### Changed\n\n- **A.** Migration: b.\n';

  const lock = `${JSON.stringify({ name: 'pkg', version: '0.1.0', packages: { '': { version: '0.1.0' } } }, null, 2)}\n`;
  const exampleManifest = '{\n  "dependencies": { "express": "^5.1.0", "twilio-access-token": "^0.1.0" }\n}\n';
  const exampleReadme = 'From the registry, `twilio-access-token@^0.1.0`; also `twilio-access-token@^0.1.0` here.\n';

  function run(current: string, sectionText: string) {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '0.2.0' }));
    writeFileSync(join(dir, 'package-lock.json'), lock);
    mkdirSync(join(dir, 'examples/demo'), { recursive: true });
    writeFileSync(join(dir, 'examples/demo/package.json'), exampleManifest);
    writeFileSync(join(dir, 'examples/demo/README.md'), exampleReadme);
    writeFileSync(join(dir, 'base.md'), base);
    writeFileSync(join(dir, 'CHANGELOG.md'), current);
    writeFileSync(join(dir, 'section.md'), sectionText);
    const r = spawnSync(process.execPath, ['.ci/release-notes.mjs', 'section.md', '--base', 'base.md'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const read = (path: string) => readFileSync(join(dir, path), 'utf8');
    return {
      ...r,
      changelog: read('CHANGELOG.md'),
      others: [read('package-lock.json'), read('examples/demo/package.json'), read('examples/demo/README.md')],
    };
  }

  test('replaces the generated section, keeping the intro and earlier releases as committed; twice is once', () => {
    const expected = `# pkg\n\nIntro paragraph,\nover two lines.\n\n${section}\n## 0.1.0\n\n- First\n  release.\n`;
    const first = run(generated, section);
    expect(first.status, first.stderr).toBe(0);
    expect(first.changelog).toBe(expected);
    const again = run(expected, section);
    expect(again.status, again.stderr).toBe(0);
    expect(again.changelog).toBe(expected);
    // What names the released version follows it: the lockfile's own version, the example's range.
    expect(again.others).toEqual([
      lock.replaceAll('0.1.0', '0.2.0'),
      exampleManifest.replace('^0.1.0', '^0.2.0'),
      exampleReadme.replaceAll('^0.1.0', '^0.2.0'),
    ]);
  });

  test.each([
    ['a pending marker', generated, `${section}<!--\n  pending: confirm at merge -->\n`, /pending/],
    ['a heading other than the version', generated, section.replace('0.2.0', '0.3.0'), /must start with "## 0.2.0"/],
    ['no generated section', base, section, /run `changeset version` first/],
    ['an earlier release edited', generated.replace('First', 'Frist'), section, /more than the section/],
  ])('refuses %s and writes nothing', (_name, current, sectionText, message) => {
    const r = run(current, sectionText);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.changelog).toBe(current);
    expect(r.others).toEqual([lock, exampleManifest, exampleReadme]);
  });
});
