import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { linkExampleModules } from './run-example.js';

// The examples are JavaScript checked by TypeScript (checkJs) against the types of the packages
// each example installs itself, not against this repository's devDependencies: so the check runs
// here, after the harness has installed them.

const root = new URL('../..', import.meta.url).pathname;

test('the examples type-check against their own dependencies (tsc -p test/examples/tsconfig.json)', () => {
  for (const name of readdirSync(join(root, 'examples'))) {
    if (statSync(join(root, 'examples', name)).isDirectory()) linkExampleModules(name);
  }
  let output = '';
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'test/examples/tsconfig.json', '--noEmit'],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
}, 240_000);
