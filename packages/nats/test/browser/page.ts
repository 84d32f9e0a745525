/**
 * A browser caller of a cluster (built by Vite in browser.test.ts, run in headless Chromium): connects to
 * nats-server over WebSocket (`?ws=ws://…&name=…`), maps on the cluster's hosts, runs a remote Process whose
 * output reaches this page's console, and leaves what it saw in `window.result` (or `window.failure`).
 */
import { wsconnect } from '@nats-io/nats-core';
import { Pool, Process } from '@mp/browser';
import { cluster } from '../../src/index.ts';

// No DOM types in this package: the page's globals, as used here.
const w = globalThis as unknown as { location: { search: string }; result?: unknown; failure?: string };
const params = new URLSearchParams(w.location.search);

try {
  const nc = await wsconnect({ servers: params.get('ws')! });
  const context = cluster(nc, { name: params.get('name')! });
  const xs = Array.from({ length: 200 }, (_, i) => i);
  let squares: number[];
  let hosts: string[] | undefined;
  {
    await using pool = new Pool({ context });
    squares = await pool.map((x: number) => x * x, xs, { chunksize: 10 });
    hosts = pool.stats().hosts;
  }
  const p = new Process({
    target: (n: number) => {
      for (let i = 1; i <= n; i++) console.log(`remote line ${i}`);
    },
    args: [3],
    context,
  });
  p.start();
  await p.join();
  console.log('page: after join');
  w.result = { squaresOk: squares.every((s, i) => s === i * i) && squares.length === xs.length, hosts, exitCode: p.exitCode };
  await context.close();
  await nc.close();
} catch (error) {
  w.failure = String((error as Error)?.stack ?? error);
}
