import { defineConfig } from 'vitest/config';

// (With this file present vitest does not read the app's vite.config.ts: the end-to-end test runs in Node and
// builds and serves the app itself.)
export default defineConfig({
  test: { environment: 'node', include: ['e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 60_000 },
});
