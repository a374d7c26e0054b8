import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PLATFORMS } from '../../../src/cli/init/platforms.js';
import { readProject } from '../../../src/cli/init/project.js';
import { emptyDir, runInProcess } from '../harness.js';

// Issue 26, third attack, finding A3: `init --force` wrote through a symbolic link to a file outside
// the project (a symlinked server.mjs), or through a symlinked folder (app/api pointing outside); and
// a folder where a file goes was "unexpected failure (EISDIR)". Now each is refused before anything
// is written, with a message naming the path, exit 1.

const outside = () => {
  const dir = emptyDir();
  writeFileSync(join(dir, 'victim.txt'), 'precious');
  return dir;
};

describe('init never writes through a symbolic link (issue 26, third attack A3)', () => {
  test('a symlinked server.mjs, even with --force: exit 1, named, the target untouched', async () => {
    const dir = emptyDir();
    const away = outside();
    symlinkSync(join(away, 'victim.txt'), join(dir, 'server.mjs'));
    const r = await runInProcess(['init', 'express', '--force'], { dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^twilio-token: server\.mjs is a symbolic link: .*nothing written\n$/);
    expect(readFileSync(join(away, 'victim.txt'), 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['server.mjs']);
  });

  test('a symlinked folder on the way (app/api pointing outside), even with --force', async () => {
    const dir = emptyDir();
    const away = outside();
    mkdirSync(join(dir, 'app'));
    symlinkSync(away, join(dir, 'app/api'));
    const r = await runInProcess(['init', 'next', '--force'], { dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('app/api is a symbolic link');
    expect(readdirSync(away)).toEqual(['victim.txt']);
  });

  test('a dangling link is refused too (it would create a file outside)', async () => {
    const dir = emptyDir();
    const away = outside();
    symlinkSync(join(away, 'new.txt'), join(dir, '.env.example'));
    const r = await runInProcess(['init', 'express', '--force'], { dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.env.example is a symbolic link');
    expect(readdirSync(away)).toEqual(['victim.txt']);
  });

  test('a directory where a file goes: a clear message, exit 1, not EISDIR', async () => {
    for (const force of [[], ['--force']]) {
      const dir = emptyDir();
      mkdirSync(join(dir, 'server.mjs'));
      const r = await runInProcess(['init', 'express', ...force], { dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'twilio-token: server.mjs is a directory where init writes a file: nothing written (move it away)\n',
      );
    }
  });

  test('property: for every platform, a link at any of its paths or folders is refused and nothing is written', async () => {
    const fresh = readProject(emptyDir());
    const cases = [...PLATFORMS].flatMap(([name, platform]) =>
      Object.keys(platform.layout(fresh).files).flatMap((path) => {
        const parts = path.split('/');
        return parts.map((_, i) => [name, parts.slice(0, i + 1).join('/')] as const);
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.boolean(), async ([name, linked], force) => {
        const dir = emptyDir();
        const away = outside();
        const parent = linked.split('/').slice(0, -1).join('/');
        if (parent !== '') mkdirSync(join(dir, parent), { recursive: true });
        symlinkSync(linked.includes('.') ? join(away, 'victim.txt') : away, join(dir, linked));
        const r = await runInProcess(['init', name, ...(force ? ['--force'] : [])], { dir });
        // A project's own src/index.ts or wrangler.toml is left alone, a link too: never written.
        if (r.code === 0) expect(['src/index.ts', 'wrangler.toml']).toContain(linked);
        else {
          expect(r.code).toBe(1);
          expect(r.stderr).toContain(`${linked} is a symbolic link`);
        }
        expect(readdirSync(away)).toEqual(['victim.txt']);
        expect(readFileSync(join(away, 'victim.txt'), 'utf8')).toBe('precious');
      }),
      { numRuns: 40 },
    );
  });
});
