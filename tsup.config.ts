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
    external: ['react', 'twilio-access-token/client'],
    esbuildPlugins: [clientAsPackage],
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
