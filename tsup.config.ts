import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      web: 'src/web.ts',
      fetch: 'src/handlers/fetch.ts',
      express: 'src/handlers/express.ts',
      lambda: 'src/handlers/lambda.ts',
      'twilio-functions': 'src/handlers/twilio-functions.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    splitting: true,
    // treeshake: true writes the sourceMappingURL comment twice (see TOOLCHAIN.md).
    treeshake: false,
    sourcemap: false,
    external: ['twilio'],
    removeNodeProtocol: false,
  },
]);
