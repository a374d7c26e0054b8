import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type GetModuleInfo, rollup } from 'rollup';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The layout (one copy of the core per format, never one per entry):
// - dist/esm/**: every module of src/ (but the CLI and /react) as its own ESM file, for bundlers (the
//   `module` condition; `react-native` for Metro) and runtimes without CommonJS (`worker`,
//   `browser`); dist/<entry>.js re-export their entry (but dist/client.js: /client whole in one
//   file, that a page can import as it is). One file per module keeps `sideEffects: false` as
//   fine-grained as bundling src/: an app's bundle holds what bundling the source would. The CLI
//   imports these files too.
// - dist/*.cjs and their core-/shared-*.cjs chunks: the same modules turned into CommonJS by
//   Rollup, for Node's `require`: the main entry opens two files (itself and the core chunk).
// - dist/*.mjs: Node's `import`, a thin ESM file naming every export of the .cjs entry, so `import`
//   and `require` in one Node process load the one copy (no dual-package hazard).
// - dist/*.d.cts: the declarations, once; dist/*.d.ts (for `import`) re-export them.

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

const REACT_MISSING =
  'twilio-access-token/react needs the react package, an optional peer dependency that is not installed: npm install react';

/**
 * The CJS /react build loads React through a function that turns "Cannot find module 'react'" and
 * its require stack into one line naming the fix, as /twilio does for twilio. (The ESM build keeps
 * its static import: a bundler or Node names the missing package before any code runs.)
 */
function reactWithHint(file: string): void {
  const code = readFileSync(file, 'utf8');
  const load = `(() => { try { return require('react'); } catch (thrown) {
  if (!thrown || thrown.code !== 'MODULE_NOT_FOUND' || !String(thrown.message).includes("'react'")) throw thrown;
  const error = new Error(${JSON.stringify(REACT_MISSING)});
  error.stack = 'Error: ' + error.message;
  throw error;
} })()`;
  const patched = code.replace(/require\((['"])react\1\)/g, load);
  if (patched === code) throw new Error(`${file}: no require('react') to wrap`);
  writeFileSync(file, patched);
}

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

/** Where the ESM build puts a module of src/. */
const esm = (source: string) => source.replace(/^src\//, 'dist/esm/').replace(/\.ts$/, '.js');

/** Resolves the CLI's imports of the library (src/ outside src/cli/) to its ESM build in dist/esm/. */
const libraryAsEsm = {
  name: 'library-as-esm',
  setup(build: {
    onResolve(
      o: { filter: RegExp },
      f: (a: { path: string; importer: string }) => { path: string; external: boolean } | undefined,
    ): void;
  }) {
    const cli = resolve('src/cli');
    build.onResolve({ filter: /^\.\.?\// }, ({ path, importer }) => {
      const target = resolve(dirname(importer), path);
      if (!importer.startsWith(cli) || target.startsWith(`${cli}/`)) return undefined;
      return { path: `./${relative('dist', esm(relative('.', target).replace(/\.js$/, '.ts')))}`, external: true };
    });
  },
};

/**
 * The ESM declarations: dist/<name>.d.ts re-exports dist/<name>.d.cts, the one copy of the types
 * (TypeScript lets ESM import CommonJS declarations; an ESM file's types are those of the CommonJS
 * module it names, as in Node).
 */
function declarationFaces(names: string[]): void {
  for (const name of names) writeFileSync(`dist/${name}.d.ts`, `export * from './${name}.cjs';\n`);
}

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
async function toCommonJs(input: Record<string, string>): Promise<void> {
  const bundle = await rollup({
    input,
    // Everything the ESM build left as an import of a package: node:*, twilio, react, /client.
    external: (id) => !id.startsWith('.') && !id.startsWith('/'),
    onwarn(warning, warn) {
      if (warning.code !== 'EMPTY_BUNDLE') warn(warning);
    },
  });
  const { output } = await bundle.write({
    dir: 'dist',
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: (chunk) => (chunk.name === 'core' ? '[name]-[hash].cjs' : 'shared-[hash].cjs'),
    exports: 'named',
    // The ESM build has no default exports and imports only node: modules and our own packages.
    interop: 'auto',
    generatedCode: 'es2015',
    // Fewer files to open on `require`: each costs ~0.2 ms, more than its size. What the main entry
    // needs is one chunk (its entry file only names the exports); what only other entries share is
    // left to Rollup's own chunking (chunks under 2 kB folded into another). /client's CommonJS then
    // opens the core chunk too: it is for Node; Metro has the `react-native` condition, bundlers
    // `module`, both the ESM build.
    manualChunks: (id, { getModuleInfo }) => {
      const index = resolve(esm(library.index));
      return id !== index && reaches(index, id, getModuleInfo) ? 'core' : undefined;
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
  // esbuild keeps the /* @__PURE__ */ marks that let an app's bundler drop unused factories; tsup's
  // extra Rollup pass would add nothing (the CommonJS build has its own Rollup pass, toCommonJs).
  treeshake: false,
  sourcemap: false,
  removeNodeProtocol: false,
} as const;

export default defineConfig([
  {
    // Each module on its own (no bundling): dist/esm/ mirrors src/.
    ...common,
    entry: ['src/**/*.ts', '!src/cli/**', '!src/react/**', '!src/react.ts'],
    outDir: 'dist/esm',
    format: ['esm'],
    bundle: false,
    dts: false,
    async onSuccess() {
      declarationFaces(Object.keys(library));
      for (const [name, source] of Object.entries(library))
        if (name !== 'client')
          writeFileSync(`dist/${name}.js`, `export * from './${relative('dist', esm(source))}';\n`);
      await toCommonJs(Object.fromEntries(Object.entries(library).map(([name, source]) => [name, esm(source)])));
    },
  },
  {
    // Declarations: dist/<entry>.d.cts (the JavaScript comes from the other configs; the .d.ts are
    // declarationFaces).
    ...common,
    entry: library,
    format: ['cjs'],
    dts: { only: true },
    external: ['twilio', /^twilio\//],
  },
  {
    // The CLI: its own modules bundled (the commands in lazily loaded chunks), the library imported
    // from dist/esm/, the modules the package's entries are made of.
    ...common,
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    splitting: true,
    esbuildPlugins: [libraryAsEsm],
    define: { __VERSION__: JSON.stringify(version) },
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // /client's ESM is one self-contained file, as before: a page can import it without a bundler
    // (examples/express serves it as is), and a bundle importing /client alone gets no other file.
    // Node's import and require use the CommonJS build, whose /client shares the core chunk.
    ...common,
    entry: { client: library.client },
    format: ['esm'],
    dts: false,
  },
  {
    // /react imports /client as a package, never a copy: one provider implementation per app, and
    // the entry's size is what React bindings add on top of /client.
    ...common,
    entry: react,
    format: ['esm'],
    dts: false,
    external: ['react', 'twilio-access-token/client'],
    esbuildPlugins: [clientAsPackage],
    async onSuccess() {
      declarationFaces(['react']);
      await toCommonJs({ react: 'dist/react.js' });
      reactWithHint('dist/react.cjs');
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
