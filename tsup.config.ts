import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // import.meta.url in the CJS build (src/keys/forge.ts loads node-forge lazily with createRequire).
  shims: true,
  treeshake: true,
});
