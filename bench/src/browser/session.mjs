/**
 * Chromium cells, driven from Node: a static server with the COOP/COEP headers
 * (bench/src and the built @mp/browser, @mp/core and comlink, unbundled with an
 * import map, as packages/browser/test/unbundled does), Debian's chromium
 * through playwright-core, and a fresh browser context (a new renderer) per cell.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRecord, parseRecordLine } from '../core/record.mjs';
import { now } from '../core/clock.mjs';

const require = createRequire(import.meta.url);
const srcDir = fileURLToPath(new URL('../', import.meta.url));
const browserDir = dirname(require.resolve('@mp/browser/package.json'));
const coreDir = dirname(require.resolve('@mp/core/package.json'));
const comlinkDir = dirname(createRequire(join(coreDir, 'package.json')).resolve('comlink/package.json'));

/** URL prefix → directory served there. */
const roots = [
  ['/mp-browser/', join(browserDir, 'dist')],
  ['/mp-core/', join(coreDir, 'dist')],
  ['/comlink/', join(comlinkDir, 'dist/esm')],
  ['/bench/', srcDir],
];

function serve() {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const root = roots.find(([p]) => path.startsWith(p));
    if (!root) return void res.writeHead(404).end();
    const file = normalize(join(root[1], path.slice(root[0].length)));
    if (!file.startsWith(root[1])) return void res.writeHead(403).end();
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
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Starts the server and Chromium; `runCell` measures one cell on a fresh page, `close` ends both. */
export async function openChromium() {
  const { chromium } = await import('playwright-core');
  const server = await serve();
  const { chromiumLaunchOptions } = await import('../../../tools/chromium.mjs');
  const browser = await chromium.launch(await chromiumLaunchOptions());
  const base = `http://127.0.0.1:${server.address().port}/bench/browser/page.html`;
  return {
    version: browser.version(),
    /** @returns {Promise<{ record: import('../core/record.mjs').BenchRecord, ms: number }>} */
    async runCell(cell, { mode, rep, timeoutMs }) {
      const start = now();
      const context = await browser.newContext();
      const errors = [];
      let record;
      try {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(e.message));
        const q = new URLSearchParams({ library: cell.library.id, scenario: cell.scenario.id, mode, rep: String(rep) });
        await page.goto(`${base}?${q}`);
        const line = await page.waitForFunction(() => globalThis.mpBenchRecord, null, { timeout: timeoutMs, polling: 50 });
        record = parseRecordLine(String(await line.jsonValue()));
      } catch (error) {
        const why = `${String(error).split('\n')[0]}${errors.length ? `; page errors: ${errors.slice(-3).join(' | ')}` : ''}`;
        record = makeRecord({ runtime: 'chromium', library: cell.library.id, scenario: cell.scenario, rep, mode, value: NaN, unit: cell.scenario.unit, error: why });
      } finally {
        await context.close();
      }
      return { record, ms: now() - start };
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
