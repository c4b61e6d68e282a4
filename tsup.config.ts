import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    // alipay-notify/idempotency: the PostgreSQL, Redis and SQLite stores (kept out of the root entry).
    'idempotency/index': 'src/handler/idempotency/index.ts',
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
