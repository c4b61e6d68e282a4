import { defineConfig } from 'tsup';

/** The package's entries (subpath -> source), Node build; the WebCrypto build is added below. */
const entries = {
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
};

export default defineConfig([
  {
    entry: {
      ...entries,
      // The WebCrypto build of the root entry (export conditions workerd, worker, browser, deno,
      // default). It shares every chunk with the Node build except the crypto provider.
      'index.web': 'src/index.web.ts',
    },
    format: ['esm', 'cjs'],
    // The WebCrypto build has the same types as the Node build: package.json points its
    // conditions at dist/index.d.ts / dist/index.d.cts (test/runtime/entries.test.ts checks).
    dts: { entry: entries },
    // The adapters import the root entry by the package's own name, so the export conditions
    // pick the node:crypto or WebCrypto build at run time (and NotifyError stays one class).
    external: ['alipay-notify'],
    // No source maps: they were two thirds of the tarball, and the output is not minified
    // (stack traces point at readable code, with `// src/...` markers).
    sourcemap: false,
    // dist/cli is the second build's: leave it alone (both builds run in parallel).
    clean: ['!cli/**'],
    target: 'node20',
    splitting: true,
    treeshake: true,
    // No shims: the CJS shim chunk reads __filename as soon as any CJS entry loads, which
    // breaks the WebCrypto build's CJS file in a Worker bundle. tsup still rewrites
    // import.meta.url in the CJS build where it is used (src/keys/forge.ts loads node-forge
    // with createRequire; the testing subpath's fixture loader finds the package's fixtures/),
    // evaluated only when those run, on Node.
    shims: false,
  },
  {
    // The CLI: ESM only, its own bundle; commander/qs/decimal.js stay external (dependencies).
    entry: { index: 'src/cli/index.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
  },
]);
