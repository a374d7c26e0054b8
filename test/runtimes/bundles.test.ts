import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

// /web, /fetch, /client and /probe must run where there is no Node: bundled for the browser, nothing may reach for
// a Node built-in, and the built code must hold no `node:` specifier and no require(). /fetch signs
// with node:crypto where it can be loaded: the one place it names a Node module is that loader,
// `getBuiltinModule("node:crypto")` and `("node:buffer")`, called only where process.getBuiltinModule
// exists; nothing is imported.

const root = new URL('../..', import.meta.url).pathname;
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe.each(['web', 'fetch', 'client', 'probe'])('dist/%s.js', (entry) => {
  test('bundles for the browser platform without any Node built-in', async () => {
    expect(existsSync(`${root}dist/${entry}.js`), 'dist/ is missing: run `npm run build` first').toBe(true);
    const reached: string[] = [];
    const result = await build({
      entryPoints: [`${root}dist/${entry}.js`],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      plugins: [
        {
          name: 'no-node-builtins',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (builtins.has(args.path) || args.path.startsWith('node:')) reached.push(args.path);
              return undefined;
            });
          },
        },
      ],
    });
    expect(reached).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/\bimport\s*\(/);
    if (entry === 'fetch') {
      // Every `node:` name is an argument of the guarded loader, and it is guarded.
      const loads = code.match(/\.getBuiltinModule\(["']node:[a-z]+["']\)/g) ?? [];
      expect(loads.sort()).toEqual(['.getBuiltinModule("node:buffer")', '.getBuiltinModule("node:crypto")']);
      expect(code).toMatch(/typeof \w+\?\.getBuiltinModule !== "function"/);
      expect(code.replace(/\.getBuiltinModule\(["']node:[a-z]+["']\)/g, '')).not.toMatch(/["']node:[a-z]/);
    } else {
      expect(code).not.toMatch(/["']node:/);
      expect(code).not.toMatch(/\bBuffer\b/);
      expect(code).not.toMatch(/\bgetBuiltinModule\b/);
      expect(code).not.toMatch(/\bprocess\.getBuiltinModule\b/);
    }
  });
});
