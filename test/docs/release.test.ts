import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

// Release plumbing: changesets reads the pending changes, and the docs build refuses an export
// without TSDoc (the same options as `npm run docs`, on a fixture with one undocumented export).

const root = new URL('../..', import.meta.url).pathname;
// The release tools are the tooling package in .ci/ (`node .ci/rigs.mjs tools` installs it), not the root.
const tool = ([name, ...args]: string[]) =>
  spawnSync(`${root}.ci/node_modules/.bin/${name}`, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });

describe('release', () => {
  test('changeset status works and lists the pending release', () => {
    const r = tool(['changeset', 'status']);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
    const text = (r.stdout + r.stderr).replace(/\u001b\[[\d;]*m/g, '');
    const pending = readdirSync(`${root}.changeset`).filter((f) => f.endsWith('.md') && f !== 'README.md');
    // With changesets pending it lists the bump; right after a release there are none to list.
    expect(text).toMatch(
      pending.length > 0
        ? /Packages to be bumped at (major|minor|patch)[\s\S]*twilio-access-token/
        : /NO packages to be bumped at patch/,
    );
  });

  test('the workflow linter accepts our workflows and refuses a broken one', () => {
    for (const file of readdirSync(`${root}.github/workflows`)) {
      const r = tool(['action-validator', `.github/workflows/${file}`]);
      expect(r.status, `${file}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const broken = tool(['action-validator', 'test/fixtures/broken-workflow.yml']);
    expect(broken.status).not.toBe(0);
    expect(broken.stdout + broken.stderr).toMatch(/Additional property 'wiht' is not allowed/);
  });

  test('CI runs the README test command on Node 20, 22 and 24; release publishes with provenance', () => {
    const ci = readFileSync(`${root}.github/workflows/ci.yml`, 'utf8');
    expect(ci).toMatch(/node: \[20, 22, 24\]/);
    expect(ci).toMatch(/run: npm ci && npm test/);
    const release = readFileSync(`${root}.github/workflows/release.yml`, 'utf8');
    expect(release).toMatch(/uses: changesets\/action@v1/);
    expect(release).toMatch(/id-token: write/);
    expect(release).toMatch(/NPM_CONFIG_PROVENANCE: ['"]true['"]/);
  });

  test('changesets is set up for a public package on main', () => {
    const config = JSON.parse(readFileSync(`${root}.changeset/config.json`, 'utf8')) as {
      access: string;
      baseBranch: string;
    };
    expect(config).toMatchObject({ access: 'public', baseBranch: 'main' });
  });

  test('the docs build fails on an export without TSDoc', () => {
    const r = tool([
      'typedoc',
      '--tsconfig',
      // The fixture alone: the whole test tree made this run take 30 s and more on a loaded machine.
      'test/fixtures/tsconfig.json',
      '--entryPoints',
      'test/fixtures/undocumented-export.ts',
      '--projectDocuments',
      'docs/index.md',
      '--out',
      'node_modules/.cache/typedoc-fixture',
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/undocumented.*does not have any documentation/);
    expect(r.stdout + r.stderr).not.toMatch(/\bdocumented \(Variable\).*does not have any documentation/);
  });
});
