import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type GetModuleInfo, rollup } from 'rollup';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The layout (one copy of the core per format, never one per entry):
// - dist/*.js and their chunk-*.js: ESM split by esbuild, for bundlers (the `module` condition) and
//   for runtimes without CommonJS (`worker`, `browser`). The CLI (dist/cli.js) shares these chunks.
// - dist/*.cjs and their shared-*.cjs: the same files turned into CommonJS by Rollup, chunks and
//   all, for Node's `require`.
// - dist/*.mjs: Node's `import`, a thin ESM file naming every export of the .cjs entry, so `import`
//   and `require` in one Node process load the one copy (no dual-package hazard).
// - dist/*.d.ts for ESM, dist/*.d.cts for CommonJS.

const library = {
  index: 'src/index.ts',
  web: 'src/web.ts',
  fetch: 'src/handlers/fetch/index.ts',
  express: 'src/handlers/node-http/index.ts',
  lambda: 'src/handlers/lambda/index.ts',
  'twilio-functions': 'src/handlers/twilio-functions/index.ts',
  twilio: 'src/twilio.ts',
  client: 'src/client.ts',
  probe: 'src/probe.ts',
};
const react = { react: 'src/react.ts' };

/** Resolves src/react's imports of src/client/ to the published `twilio-access-token/client`. */
const clientAsPackage = {
  name: 'client-as-package',
  setup(build: { onResolve(o: { filter: RegExp }, f: () => { path: string; external: boolean }): void }) {
    build.onResolve({ filter: /^\.\.\/client\/[\w-]+\.js$/ }, () => ({
      path: 'twilio-access-token/client',
      external: true,
    }));
  },
};

/** Whether `to` is among the static imports of `from`, directly or not. */
function reaches(from: string, to: string, info: GetModuleInfo, seen = new Set<string>()): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const imported = info(from)?.importedIds ?? [];
  return imported.includes(to) || imported.some((next) => reaches(next, to, info, seen));
}

/**
 * Turns the built ESM entries (and the chunks they import) into CommonJS with Rollup, chunks shared
 * between entries, then writes each entry's Node ESM face (dist/<name>.mjs) naming its exports.
 */
async function toCommonJs(names: string[]): Promise<void> {
  const bundle = await rollup({
    input: Object.fromEntries(names.map((n) => [n, `dist/${n}.js`])),
    // Everything the ESM build left as an import of a package: node:*, twilio, react, /client.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    treeshake: false,
    onwarn(warning, warn) {
      if (warning.code !== 'EMPTY_BUNDLE') warn(warning);
    },
  });
  const { output } = await bundle.write({
    dir: 'dist',
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: (chunk) => (['base', 'core'].includes(chunk.name) ? '[name]-[hash].cjs' : 'shared-[hash].cjs'),
    exports: 'named',
    // The ESM build has no default exports and imports only node: modules and our own packages.
    interop: 'auto',
    generatedCode: 'es2015',
    // Fewer files to open on `require` (each costs more than its size): what /client needs is one
    // chunk, what the rest of the main entry needs another; what only other entries share is left to
    // Rollup's own chunking.
    manualChunks: (id, { getModuleInfo }) => {
      if (id === resolve('dist/index.js') || id === resolve('dist/client.js')) return undefined;
      if (reaches(resolve('dist/client.js'), id, getModuleInfo)) return 'base';
      if (reaches(resolve('dist/index.js'), id, getModuleInfo)) return 'core';
      return undefined;
    },
    experimentalMinChunkSize: 2000,
  });
  await bundle.close();
  for (const chunk of output) {
    if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
    if (chunk.exports.includes('default')) throw new Error(`${chunk.name}: a default export has no ESM face`);
    const list = chunk.exports.join(', ');
    writeFileSync(
      `dist/${chunk.name}.mjs`,
      `// Node's \`import\` of this entry: the CommonJS build, so import and require share one copy.\n` +
        `import m from './${chunk.name}.cjs';\n` +
        `export const { ${list} } = m;\n`,
    );
  }
}

// One clean for the whole build, here: a config's own `clean` also deletes, late in its declaration
// build, the .d.ts files another config (the /react one) has already written.
rmSync('dist', { recursive: true, force: true });

const common = {
  clean: false,
  target: 'node20',
  // esbuild already drops unused code within each entry, and keeps the /* @__PURE__ */ marks that
  // let an app's bundler drop unused factories; tsup's extra Rollup pass would add nothing.
  treeshake: false,
  sourcemap: false,
  removeNodeProtocol: false,
} as const;

export default defineConfig([
  {
    ...common,
    entry: { ...library, cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: { entry: library },
    splitting: true,
    external: ['twilio', /^twilio\//],
    define: { __VERSION__: JSON.stringify(version) },
    async onSuccess() {
      const cli = readFileSync('dist/cli.js', 'utf8');
      writeFileSync('dist/cli.js', `#!/usr/bin/env node\n${cli}`);
      chmodSync('dist/cli.js', 0o755);
      await toCommonJs(Object.keys(library));
    },
  },
  {
    // The CommonJS declarations (.d.cts): declarations only, the JavaScript comes from Rollup.
    ...common,
    entry: library,
    format: ['cjs'],
    dts: { only: true },
    external: ['twilio', /^twilio\//],
  },
  {
    // /react imports /client as a package, never a copy: one provider implementation per app, and
    // the entry's size is what React bindings add on top of /client.
    ...common,
    entry: react,
    format: ['esm'],
    dts: true,
    external: ['react', 'twilio-access-token/client'],
    esbuildPlugins: [clientAsPackage],
    async onSuccess() {
      await toCommonJs(Object.keys(react));
    },
  },
  {
    ...common,
    entry: react,
    format: ['cjs'],
    dts: { only: true },
    external: ['react', 'twilio-access-token/client'],
    esbuildPlugins: [clientAsPackage],
  },
]);
