import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliPath, emptyDir } from '../harness.js';

// attack4 (round: init adapts to an existing project). Was failing: init reads package.json
// and .gitignore with readFileSync, following links and opening FIFOs and devices, so a hostile
// package.json (a FIFO, a link to /dev/zero) hangs init forever or grows it until it dies, instead
// of a clear message ("package.json is not a regular file") or ignoring it. Nothing is written in
// either case, but `init` never answers.
//
// Repro: mkdir p && mkfifo p/package.json && cd p && npx twilio-access-token init express   (hangs)
//        mkdir q && ln -s /dev/zero q/package.json && cd q && npx twilio-access-token init express   (reads forever)

/** Runs the built CLI with a time limit: `null` status means it was killed at the limit. */
function initWithin(dir: string, ms: number) {
  const r = spawnSync(process.execPath, [cliPath, 'init', 'express'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    input: '',
    encoding: 'utf8',
    timeout: ms,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('init with a hostile package.json or .gitignore answers (attack4)', () => {
  test('package.json as a FIFO nobody writes to: init answers, does not block forever', () => {
    const dir = emptyDir();
    execFileSync('mkfifo', [join(dir, 'package.json')]);
    const r = initWithin(dir, 8000);
    expect(r.code, 'init was killed after 8 s: it blocked opening the FIFO').not.toBeNull();
  });

  test('package.json linked to /dev/zero: init answers, does not read forever', () => {
    const dir = emptyDir();
    symlinkSync('/dev/zero', join(dir, 'package.json'));
    const r = initWithin(dir, 8000);
    expect(r.code, 'init was killed after 8 s: it was still reading /dev/zero').not.toBeNull();
    // And it does not write next to a package.json it could not read as a file without saying so.
    if (r.code === 0) expect(r.stdout + r.stderr).toMatch(/package\.json/);
  });

  test('.gitignore as a FIFO: init answers', () => {
    const dir = emptyDir();
    execFileSync('mkfifo', [join(dir, '.gitignore')]);
    const r = initWithin(dir, 8000);
    expect(r.code, 'init was killed after 8 s: it blocked opening .gitignore').not.toBeNull();
    expect(readdirSync(dir)).toContain('.gitignore');
  });
});

// attack4, Was failing: a HARD link planted in the project (a hostile archive or checkout can
// hold one) is a file whose content lives outside the project too; `init --force` opens it with
// O_TRUNC and rewrites the outside file. Symbolic links are refused "even with --force"; a file with
// more than one link is the same hazard and is not checked (stat.nlink > 1).
//
// Repro: echo precious > ~/victim; ln ~/victim proj/.env.example; cd proj; twilio-token init express --force
//        -> ~/victim now holds the .env.example template.
describe('init --force never writes through a hard link to a file outside the project (attack4)', () => {
  test('a hard-linked .env.example: refused (or replaced, not written through); the outside file untouched', () => {
    const dir = emptyDir();
    const away = emptyDir();
    writeFileSync(join(away, 'victim.txt'), 'precious');
    linkSync(join(away, 'victim.txt'), join(dir, '.env.example'));
    const r = spawnSync(process.execPath, [cliPath, 'init', 'express', '--force'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).not.toBeNull();
    expect(readFileSync(join(away, 'victim.txt'), 'utf8')).toBe('precious');
  });
});

// attack4, Was failing: with --force, a FIFO where init writes a file (.env.example) passes
// the checks (not a link, not a directory), and openSync(O_WRONLY) blocks until a reader comes:
// init hangs forever, having already written the files before it (server.mjs), so the folder is
// left half-written. A path that is not a regular file should be refused like a directory.
//
// Repro: mkdir p && mkfifo p/.env.example && cd p && twilio-token init express --force   (hangs; server.mjs written)
describe('init --force with a FIFO where a file goes (attack4)', () => {
  test('answers, and writes nothing', () => {
    const dir = emptyDir();
    execFileSync('mkfifo', [join(dir, '.env.example')]);
    const r = spawnSync(process.execPath, [cliPath, 'init', 'express', '--force'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 8000,
      killSignal: 'SIGKILL',
    });
    expect(r.status, 'init was killed after 8 s: it blocked opening the FIFO').not.toBeNull();
    expect(readdirSync(dir).sort()).toEqual(['.env.example']);
  });
});

// attack4, Was failing (LOW): a package.json that exists but cannot be read as a file (a
// directory here; the same for one too large for a string) is reported as "No package.json here",
// and the advice is `npm init -y`, which then fails on the existing path. It should say that
// package.json could not be read, as it does for invalid JSON.
describe('init with a package.json it cannot read (attack4)', () => {
  test('a directory named package.json is not "No package.json here"', () => {
    const dir = emptyDir();
    mkdirSync(join(dir, 'package.json'));
    const r = spawnSync(process.execPath, [cliPath, 'init', 'express'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout + r.stderr).toMatch(/package\.json/);
    expect(r.stdout + r.stderr).not.toMatch(/No package\.json here/);
  });
});
