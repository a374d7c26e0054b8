// Writes each example's package-lock.json: `node examples/update-lockfiles.mjs [name...]`.
//
// An example depends on `twilio-access-token` by version, as an app copied out of this repository
// would. Its lockfile pins everything else and leaves that one package out, so `npm install` in a
// copy adds it from the registry, while the tests (and `npm install --no-save ../..` here) link it
// to this repository's build and never ask the registry for it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const names = process.argv.slice(2);
const examples = names.length > 0 ? names : readdirSync(here).filter((n) => statSync(join(here, n)).isDirectory());

for (const name of examples) {
  const manifest = JSON.parse(readFileSync(join(here, name, 'package.json'), 'utf8'));
  delete manifest.dependencies?.['twilio-access-token'];
  const scratch = mkdtempSync(join(tmpdir(), `lock-${name}-`));
  try {
    writeFileSync(join(scratch, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: scratch,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    copyFileSync(join(scratch, 'package-lock.json'), join(here, name, 'package-lock.json'));
    console.log(`examples/${name}/package-lock.json`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
