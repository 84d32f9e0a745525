/**
 * A browser caller: test/browser/page.ts, built by Vite and run in real headless Chromium (tools/chromium.mjs),
 * connects to a real nats-server over its WebSocket listener (nats.js `wsconnect`), maps on a cluster served by a
 * Node host in its own process, and runs a remote Process whose output reaches the page's console before join().
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions } from '../../../tools/chromium.mjs';
import { freePort, startNats, type NatsServer } from './nats-server.ts';
import { startHost, type HostProcess } from './hosts.ts';

const pageDir = fileURLToPath(new URL('./browser/', import.meta.url));

let server: NatsServer;
let wsPort: number;
let host: HostProcess;
let out: string;
let http: Server;
let browser: Browser;

beforeAll(async () => {
  wsPort = await freePort();
  server = await startNats({ config: `websocket { listen: "127.0.0.1:${wsPort}", no_tls: true }` });
  host = await startHost({ servers: server.url, name: 'web', hostName: 'web-node', allow: ['/'], allowSource: true });
  out = await mkdtemp(join(tmpdir(), 'mp-nats-web-'));
  await build({ root: pageDir, configFile: false, logLevel: 'error', build: { outDir: out, emptyOutDir: true, target: 'es2022' } });
  http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(out, path === '/' ? 'index.html' : path));
    if (!file.startsWith(out)) return void res.writeHead(404).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'Content-Type': extname(file) === '.html' ? 'text/html' : 'text/javascript' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch(await chromiumLaunchOptions());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  await host?.stop();
  await server?.stop();
  if (out) await rm(out, { recursive: true, force: true });
});

it('a page maps on a cluster over WebSocket, and a remote Process prints to its console before join()', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  const logs: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => logs.push(m.text()));
  const { port } = http.address() as { port: number };
  await page.goto(`http://127.0.0.1:${port}/?ws=${encodeURIComponent(`ws://127.0.0.1:${wsPort}`)}&name=web`);
  await page.waitForFunction(() => 'result' in globalThis || 'failure' in globalThis, null, { timeout: 60_000 });
  const { result, failure } = await page.evaluate(() => {
    const w = globalThis as unknown as { result?: unknown; failure?: string };
    return { result: w.result, failure: w.failure };
  });
  expect(failure).toBeUndefined();
  expect(result).toEqual({ squaresOk: true, hosts: ['web-node'], exitCode: 0 });
  expect(logs.filter((l) => /line|after join/.test(l))).toEqual(['remote line 1', 'remote line 2', 'remote line 3', 'page: after join']);
  expect(errors).toEqual([]);
  // The host ran the work: its output does not hold the Process's lines.
  expect(host.output()).not.toContain('remote line');
}, 120_000);
