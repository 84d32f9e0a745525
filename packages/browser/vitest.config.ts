/**
 * Tests in real headless Chromium (found by tools/chromium.mjs: MP_CHROMIUM,
 * Debian's /usr/bin/chromium, or the one inside the npm package
 * @sparticuz/chromium; driven by Playwright, no browser download). Three projects: `isolated` serves the page
 * with the COOP/COEP headers (SharedArrayBuffer available) and runs the whole
 * conformance suite; `not-isolated` serves it without them and checks the clear
 * errors and the Manager fallback; `unbundled` serves the built dist/ as plain
 * ES modules with an import map.
 */
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumLaunchOptions } from '../../tools/chromium.mjs';

const launchOptions = await chromiumLaunchOptions();

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Inline projects do not inherit the root's test options: each spreads these. */
const timeouts = { testTimeout: 60_000, hookTimeout: 60_000 };

/** A fresh object per project: vitest names each project's instances in place. */
const browser = () => ({
  enabled: true,
  headless: true,
  provider: playwright({
    launchOptions,
  }),
  instances: [{ browser: 'chromium' as const }],
  screenshotFailures: false,
  // Vitest's default of 30 s to reach the page ran out on a loaded CI machine (transform and import of the
  // suite took 100 s there): the whole project then ran nothing.
  connectTimeout: 180_000,
});

export default defineConfig({
  test: {
    projects: [
      {
        server: { headers: isolation },
        test: { ...timeouts, name: 'isolated', include: ['test/*.test.ts'], browser: browser() },
      },
      {
        test: { ...timeouts, name: 'not-isolated', include: ['test/not-isolated/*.test.ts'], browser: browser() },
      },
      {
        // The built dist/ served unbundled to Chromium (driven from Node by playwright-core).
        test: { ...timeouts, name: 'unbundled', include: ['test/unbundled/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
