import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; tests run them against the sources.
    alias: {
      'alipay-notify/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
      'alipay-notify': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/services/**', 'test/consumers/**', 'node_modules/**'],
    testTimeout: 30_000,
  },
});
