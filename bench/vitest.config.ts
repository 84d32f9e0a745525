/** Vitest for the benchmark: only the smoke test, which spawns real workers and processes. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 330_000, // the smoke runs take 60–110 s inside a full CI run on 2 cores (about a third of that alone)
    pool: 'forks',
  },
});
