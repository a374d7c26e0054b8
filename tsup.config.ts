import { readFileSync, rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

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

const REACT_MISSING =
  'twilio-access-token/react needs the react package, an optional peer dependency that is not installed: npm install react';

/**
 * The CJS /react build loads React through a module that turns "Cannot find module 'react'" and
 * its require stack into one line naming the fix, as /twilio does for twilio. (The ESM build keeps
 * its static import: a bundler or Node names the missing package before any code runs.)
 */
const reactWithHint = {
  name: 'react-with-hint',
  setup(build: {
    initialOptions: { format?: string };
    onResolve(
      o: { filter: RegExp },
      f: (args: { namespace: string }) => { path: string; external?: boolean; namespace?: string },
    ): void;
    onLoad(o: { filter: RegExp; namespace: string }, f: () => { contents: string; loader: 'js' }): void;
  }) {
    const cjs = build.initialOptions.format === 'cjs';
    build.onResolve({ filter: /^react$/ }, (args) =>
      !cjs || args.namespace === 'react-hint'
        ? { path: 'react', external: true }
        : { path: 'react', namespace: 'react-hint' },
    );
    build.onLoad({ filter: /.*/, namespace: 'react-hint' }, () => ({
      loader: 'js',
      contents: `try { module.exports = require('react'); } catch (thrown) {
  if (!thrown || thrown.code !== 'MODULE_NOT_FOUND' || !String(thrown.message).includes("'react'")) throw thrown;
  const error = new Error(${JSON.stringify(REACT_MISSING)});
  error.stack = 'Error: ' + error.message;
  throw error;
}`,
    }));
  },
};

// One clean for the whole build, here: a config's own `clean` also deletes, late in its declaration
// build, the .d.ts files another config (the /react one) has already written.
rmSync('dist', { recursive: true, force: true });

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      web: 'src/web.ts',
      fetch: 'src/handlers/fetch/index.ts',
      express: 'src/handlers/node-http/index.ts',
      lambda: 'src/handlers/lambda/index.ts',
      'twilio-functions': 'src/handlers/twilio-functions/index.ts',
      twilio: 'src/twilio.ts',
      client: 'src/client.ts',
      probe: 'src/probe.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'node20',
    // One file per entry: a main entry split into shared chunks took 4.5 ms to load instead of 1.8.
    // Entries then hold their own copies of the core, so errors and grants are recognised by a
    // Symbol.for brand (and `instanceof AccessTokenError` checks the brand), not by identity.
    splitting: false,
    // esbuild already drops unused code within each entry, and keeps the /* @__PURE__ */ marks that
    // let an app's bundler drop unused factories; tsup's extra Rollup pass would add nothing.
    treeshake: false,
    sourcemap: false,
    external: ['twilio', /^twilio\//],
    // /twilio loads twilio with createRequire(import.meta.url), to fail with "npm install twilio"
    // when it is missing; the shim gives the CJS build its import.meta.url.
    shims: true,
    removeNodeProtocol: false,
  },
  {
    // /react imports /client as a package, never a copy: one provider implementation per app, and
    // the entry's size is what React bindings add on top of /client.
    entry: { react: 'src/react.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: false,
    target: 'node20',
    splitting: false,
    treeshake: false,
    sourcemap: false,
    // react stays external, by reactWithHint (tsup's own external list would resolve it first).
    external: ['twilio-access-token/client'],
    noExternal: [/^react$/],
    esbuildPlugins: [clientAsPackage, reactWithHint],
    removeNodeProtocol: false,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    removeNodeProtocol: false,
    define: { __VERSION__: JSON.stringify(version) },
    banner: { js: '#!/usr/bin/env node' },
  },
]);
