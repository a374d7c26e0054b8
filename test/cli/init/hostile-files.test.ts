import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyDir, runInProcess } from '../harness.js';

// The messages behind hostile-files.attack.test.ts (attack4): init reads only regular files of at
// most 1 MiB, refuses a FIFO, device or socket where it writes, and with --force replaces a file by
// renaming a new one over it, so a hard link to a file outside the project is broken, not written through.

describe('init reads package.json only as a regular file of at most 1 MiB', () => {
  test('a FIFO: named as one, not "No package.json here"; the files are written', async () => {
    const dir = emptyDir();
    execFileSync('mkfifo', [join(dir, 'package.json')]);
    const r = await runInProcess(['init', 'express'], { dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'package.json is not a regular file (a FIFO), so init did not read it; the project needs',
    );
    expect(r.stdout).not.toContain('No package.json here');
  });

  test('larger than 1 MiB: said so', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'package.json'), `{"x":"${'a'.repeat(1024 * 1024)}"}`);
    const r = await runInProcess(['init', 'express'], { dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('package.json is larger than 1 MiB, so init did not read it');
  });

  test.skipIf(process.getuid?.() === 0)('unreadable (EACCES): said so, with the code', async () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'package.json'), '{}');
    chmodSync(join(dir, 'package.json'), 0);
    const r = await runInProcess(['init', 'express'], { dir });
    expect(r.stdout).toContain('package.json cannot be read (EACCES)');
  });
});

describe('init where it writes', () => {
  test('a FIFO at a target path, with or without --force: refused before anything is written', async () => {
    for (const force of [[], ['--force']]) {
      const dir = emptyDir();
      execFileSync('mkfifo', [join(dir, 'token.node-test.mjs')]);
      const r = await runInProcess(['init', 'express', ...force], { dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'twilio-token: token.node-test.mjs is not a regular file (a FIFO, device or socket) where init writes a file: nothing written (move it away)\n',
      );
      expect(readdirSync(dir)).toEqual(['token.node-test.mjs']);
    }
  });

  test('a hard link: without --force refused; with --force replaced, the outside file untouched, no temporary file left', async () => {
    const dir = emptyDir();
    const away = emptyDir();
    writeFileSync(join(away, 'victim.txt'), 'precious');
    linkSync(join(away, 'victim.txt'), join(dir, 'server.mjs'));
    expect((await runInProcess(['init', 'express'], { dir })).code).toBe(1);
    const r = await runInProcess(['init', 'express', '--force'], { dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(overwrote server.mjs)');
    expect(readFileSync(join(away, 'victim.txt'), 'utf8')).toBe('precious');
    expect(statSync(join(away, 'victim.txt')).nlink).toBe(1);
    expect(readFileSync(join(dir, 'server.mjs'), 'utf8')).toContain('TODO');
    expect(readdirSync(dir).sort()).toEqual(['.env.example', 'server.mjs', 'token.node-test.mjs']);
  });
});
