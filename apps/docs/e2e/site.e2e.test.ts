/**
 * End to end: the built site (apps/docs/dist; built here when it is missing or MP_DOCS_REBUILD=1 — turbo's
 * `test` runs after this package's `build`), served by a small static server, and every page opened in
 * Chromium: no console error, no page error, no failed request. The links of every rendered page are checked
 * as a crawler would: each internal link reaches a page or file of the site, each `#anchor` an element of its
 * page, and every page is reachable from the home page. (linkinator 8 needs Node 22; this repo runs on 20.)
 * Then a search through VitePress's local search, and screenshots of the home page and an API page in
 * e2e/output/ (ignored by git).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../../tools/chromium.mjs';

const docs = fileURLToPath(new URL('..', import.meta.url));
const dist = join(docs, 'dist');
const output = join(docs, 'e2e/output');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves dist/ as a static host would: `/x/` is `/x/index.html`, anything missing is the 404 page. */
function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      let path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = resolve(dist, `.${path}`);
      if (!file.startsWith(dist + sep)) return response.writeHead(403).end();
      try {
        const body = await readFile(file);
        // Hashed assets are cached as a static host would have them (without it every page fetched and compiled
        // every chunk again: ~1.5 s a page, and over the hydration wait on a loaded CI machine).
        const cache = path.startsWith('/assets/') ? { 'cache-control': 'public, max-age=31536000, immutable' } : {};
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...cache }).end(body);
      } catch {
        response.writeHead(404, { 'content-type': TYPES['.html']! }).end(await readFile(join(dist, '404.html')));
      }
    })();
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Every page of the built site, as a path (`/guide/pool.html`). */
function pages(dir = dist): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'assets' ? [] : pages(path);
    return entry.name.endsWith('.html') && path !== join(dist, '404.html') ? [`/${relative(dist, path).split(sep).join('/')}`] : [];
  });
}

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (process.env.MP_DOCS_REBUILD === '1' || !existsSync(join(dist, 'index.html'))) {
    execFileSync('pnpm', ['run', 'build'], { cwd: docs, stdio: 'inherit' });
  }
  server = await serve();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch(await chromiumLaunchOptions());
  mkdirSync(output, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

/** What each page links to and which anchors it has, as rendered. */
const rendered = new Map<string, { links: string[]; ids: Set<string> }>();

it('opens every page in Chromium without a console error or a failed request', async () => {
  const all = pages();
  expect(all.length).toBeGreaterThan(40);
  const problems: string[] = [];
  const queue = [...all];
  // A few tabs at once: most of a page's time is waiting for its chunks.
  const tab = async (): Promise<void> => {
    const page = await browser.newPage();
    page.setDefaultTimeout(60_000);
    let current = '';
    page.on('console', (m) => m.type() === 'error' && problems.push(`${current}: console.error ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`${current}: ${e.message}`));
    // (VitePress prefetches the pages a page links to; leaving the page aborts those: not a failure.)
    page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`${current}: request failed ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${current}: ${r.status()} ${r.url()}`));
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      current = path;
      const response = await page.goto(`${base}${path}`, { waitUntil: 'domcontentloaded' });
      expect(response?.status(), path).toBe(200);
      // Hydrated: VitePress's Vue app has mounted on the server-rendered page.
      await page.waitForFunction(() => (document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__ !== undefined, null, {
        timeout: 60_000,
      });
      const { links, ids } = await page.evaluate(() => ({
        links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
      }));
      rendered.set(path, { links, ids: new Set(ids) });
    }
    await page.close();
  };
  await Promise.all([tab(), tab(), tab(), tab()]);
  expect(problems).toEqual([]);
  expect(rendered.size).toBe(all.length);
}, 600_000);

it('has no broken internal link or anchor, and no page that nothing links to', () => {
  const all = new Set(pages());
  const canonical = (pathname: string): string => (pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  const broken: string[] = [];
  for (const [path, { links }] of rendered) {
    for (const href of links) {
      const url = new URL(href);
      if (url.origin !== base) continue; // outside links are not this test's business (and CI has no network)
      const target = canonical(decodeURIComponent(url.pathname));
      if (!all.has(target)) {
        if (!existsSync(join(dist, target))) broken.push(`${path}: ${href} (no such page)`);
        continue;
      }
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (anchor && !rendered.get(target)?.ids.has(anchor)) broken.push(`${path}: ${href} (no #${anchor} there)`);
    }
  }
  expect(broken).toEqual([]);
  // Every page is reachable from the home page.
  const reached = new Set(['/index.html']);
  for (const queue = ['/index.html']; queue.length > 0; ) {
    for (const href of rendered.get(queue.shift()!)?.links ?? []) {
      const url = new URL(href);
      const target = canonical(decodeURIComponent(url.pathname));
      if (url.origin === base && all.has(target) && !reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  expect([...all].filter((p) => !reached.has(p))).toEqual([]);
});

it('finds pages through the local search', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.click('.DocSearch-Button');
  await page.fill('#localsearch-input', 'imapUnordered');
  await page.waitForSelector('#localsearch-list .result', { timeout: 15_000 });
  const hits = await page.$$eval('#localsearch-list .result', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hits.some((href) => href.includes('/guide/pool'))).toBe(true);
  expect(hits.some((href) => href.includes('/api/'))).toBe(true);
  await page.close();
});

it('saves screenshots of the home page and an API page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/`);
  await page.waitForSelector('.VPHero');
  await page.screenshot({ path: join(output, 'home.png') });
  await page.goto(`${base}/api/core/classes/Pool.html`);
  await expect.poll(() => page.textContent('h1')).toContain('Pool');
  await page.screenshot({ path: join(output, 'api-pool.png'), fullPage: false });
  await page.close();
  expect(existsSync(join(output, 'home.png')) && existsSync(join(output, 'api-pool.png'))).toBe(true);
});
