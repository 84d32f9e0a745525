/**
 * End to end: builds the demo with `vite build`, serves the production build
 * with `vite preview` (cross-origin isolated), opens it in headless Chromium
 * (Debian's /usr/bin/chromium through playwright-core), clicks Run on all six
 * panels one after another, checks what each prints, and saves a screenshot of
 * the page after the run (e2e/output/screenshot.png, ignored by git; the README's
 * picture, e2e/screenshot.png, is copied from it by hand).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumLaunchOptions } from '../../../tools/chromium.mjs';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const screenshot = fileURLToPath(new URL('./output/screenshot.png', import.meta.url));

let server: PreviewServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  await build({ root, logLevel: 'warn' });
  server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  browser = await chromium.launch(await chromiumLaunchOptions());
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Clicks Run in panel `id`, waits until it is done, and returns its printed lines. */
async function run(id: string): Promise<string[]> {
  await page.click(`#${id} button.run`);
  await page.waitForSelector(`#${id}[data-state="done"], #${id}[data-state="failed"]`, { timeout: 60_000 });
  const lines = await page.$$eval(`#${id} .out .line .text`, (els) => els.map((e) => e.textContent ?? ''));
  expect(await page.getAttribute(`#${id}`, 'data-state'), `${id}: ${lines.join(' | ')}`).toBe('done');
  return lines;
}

it('the production build runs all six exercises in Chromium, cross-origin isolated', async () => {
  const url = server.resolvedUrls?.local[0];
  expect(url).toBeTruthy();
  await page.goto(url!);
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  expect(await page.textContent('#facts')).toMatch(/cross-origin isolated yes/);
  const cpus = await page.evaluate(() => navigator.hardwareConcurrency);

  const q1 = await run('q1');
  expect(q1.at(-1)).toMatch(new RegExp(`^speedup \\d+\\.\\d× on ${cpus} cores?$`));
  // 24 tasks on the page's thread, 24 on the pool, each drawn as a bar
  expect(await page.locator('#q1 svg.timeline rect.tl-task').count()).toBe(48);
  expect(await page.locator('#q1 svg.timeline .tl-label').allTextContents()).toContain('main thread');

  const q2 = await run('q2');
  expect(q2.join('\n')).toMatch(/async, one thread +\d/);
  expect(q2.join('\n')).toMatch(new RegExp(`Pool, ${cpus} +workers +\\d`));
  expect(q2.at(-1)).toMatch(/^the workers were (\d+\.\d× as fast|slower here)/);

  expect(await run('q3')).toEqual(['Hello from a child process', 'Child process has terminated']);
  expect(await page.locator('#q3 .line.child .src').allTextContents()).toEqual([expect.stringMatching(/^Process-\d+$/)]);

  const q4 = await run('q4');
  expect(q4[0]).toMatch(/^12 tasks, .* of work in all, done in .* on \d+ workers$/);
  expect(q4[1]).toMatch(/^speedup \d+\.\d× over running them one after another$/);
  expect(await page.locator('#q4 svg.timeline rect.tl-task').count()).toBe(12);
  const lanes = await page.locator('#q4 svg.timeline .tl-label').allTextContents();
  expect(lanes.length).toBe(Math.max(2, cpus));
  for (const lane of lanes) expect(lane).toMatch(/^PoolWorker-\d+$/);

  expect(await run('q5')).toEqual(['[4, 16, 36, 64, 81]']);

  const q6 = await run('q6');
  expect([...q6].sort()).toEqual(['1', '2', '3', '4']);
  expect(await page.locator('#q6 .line.child').count()).toBe(4);

  await page.screenshot({ path: screenshot, fullPage: true });
  expect(problems).toEqual([]);
});
