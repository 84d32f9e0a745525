import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // smoke/: the packaging smoke test (pnpm pack + publint + attw + npm install); needs a build.
    include: ['test/**/*.test.ts', 'smoke/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Default pool ('forks') gives each test file its own process: fine for spawning workers.
    pool: 'forks',
  },
});
