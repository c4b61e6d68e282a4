import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      // alipay-notify/idempotency: the PostgreSQL, Redis and SQLite stores (kept out of the root entry).
      'idempotency/index': 'src/handler/idempotency/index.ts',
      // Framework adapters (alipay-notify/express, ...). The frameworks are optional peer
      // dependencies and the adapters only import their types, so nothing of them is bundled.
      'express/index': 'src/adapters/express.ts',
      'koa/index': 'src/adapters/koa.ts',
      'fastify/index': 'src/adapters/fastify.ts',
      'web/index': 'src/adapters/web.ts',
      'hono/index': 'src/adapters/hono.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // dist/cli is the second build's: leave it alone (both builds run in parallel).
    clean: ['!cli/**'],
    target: 'node20',
    splitting: true,
    treeshake: true,
    // import.meta.url in the CJS build: src/keys/forge.ts loads node-forge lazily with createRequire,
    // and the testing subpath's fixture loader finds the package's fixtures/.
    shims: true,
  },
  {
    // The CLI: ESM only, its own bundle; commander/qs/decimal.js stay external (dependencies).
    entry: { index: 'src/cli/index.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
  },
]);
