import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Default pool ('forks') gives each test file its own process: fine for spawning workers.
    pool: 'forks',
  },
});
