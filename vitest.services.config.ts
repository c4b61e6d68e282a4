import { defineConfig } from 'vitest/config';

// `npm run test:services`: tests against real PostgreSQL and Redis (scripts/services.sh starts
// them), and several OS processes sharing one store. `npm test` never runs these.
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
