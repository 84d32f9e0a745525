/**
 * The built package (dist/), served as plain ES modules with no bundler: a
 * static server, an import map on the page for `@mp/browser`, `@mp/core` and
 * `comlink`, and headless Chromium. The worker entry is self-contained (a
 * worker does not see the page's import map). Needs `pnpm build` first.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../../../../tools/chromium.mjs';
import { chromium, type Browser } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const coreDir = dirname(require.resolve('@mp/core/package.json'));
const comlinkDir = dirname(createRequire(join(coreDir, 'package.json')).resolve('comlink/package.json'));

/** URL prefix → directory served there. */
const roots: [string, string][] = [
  ['/browser/', join(here, '../../dist')],
  ['/core/', join(coreDir, 'dist')],
  ['/comlink/', join(comlinkDir, 'dist/esm')],
  ['/', here],
];

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const [prefix, dir] = roots.find(([p]) => path.startsWith(p))!;
    const file = normalize(join(dir, path === '/' ? 'page.html' : path.slice(prefix.length)));
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'Content-Type': file.endsWith('.html') ? 'text/html' : 'text/javascript',
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch(await chromiumLaunchOptions());
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

it('works served unbundled: Pool by value and by reference, shared memory, a Process and its output', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const { port } = server.address() as { port: number };
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => 'result' in window, null, { timeout: 30_000 });
  const result = await page.evaluate(() => (window as unknown as { result: unknown }).result);
  expect(result).toEqual({
    squares: [4, 16, 36, 64, 81],
    byReference: [1, 8, 27],
    counter: 2000,
    lines: ['Hello from a child process', 'Child process has terminated'],
    exitCode: 0,
    isolated: true,
  });
  expect(errors).toEqual([]);
});

it("still runs pools on a page whose import map names @mp/core's Node index, and says what to map for the rest", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const { port } = server.address() as { port: number };
  await page.goto(`http://127.0.0.1:${port}/node-index.html`);
  await page.waitForFunction(() => 'result' in window, null, { timeout: 30_000 });
  const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as Record<string, unknown>;
  expect(result.error).toBeUndefined();
  // 1 + 2 + … + 50: every awaited task answered, through the port.
  expect(result.awaited).toBe(1275);
  expect(result.squares).toEqual([4, 16, 36]);
  expect(result.queue).toMatch(/dist\/index\.browser\.js/);
  expect(warnings.filter((w) => w.includes('fast path is off'))).toHaveLength(1);
  expect(errors).toEqual([]);
});
