/**
 * The ends of things: a cluster context closed under its pools (every call settles, with a clear error), and a
 * host whose pool is closed, before it is given to host() or while the host serves (it takes no more work, and
 * what it held goes to another host instead of failing its callers' calls). Hosts run in this process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Pool, PoolClosedError, Process, task } from '@mp/node';
import { cluster, host } from '../src/index.ts';
import { startNats, type NatsServer } from './nats-server.ts';

const tasksUrl = new URL('./fixtures/tasks.mjs', import.meta.url);
const slow = task<(i: number, ms: number) => Promise<number>>(tasksUrl, 'slow');

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNats();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

/** What `p` rejected with; `'resolved'`, or `'pending'` if it had not settled within `ms`. */
function rejection(p: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  return Promise.race([p.then(() => 'resolved', (error: unknown) => error), late]).finally(() => clearTimeout(timer));
}

describe('ClusterContext.close()', () => {
  it('fails the work in flight and all later work with a PoolClosedError naming the cluster; nothing hangs', async () => {
    await using local = new Pool({ processes: 2 });
    await using h = await host(nc, { name: 'ctx-close', pool: local, allow: ['/'] });
    expect(h.name).toBe('ctx-close');
    const ctx = cluster(nc, { name: 'ctx-close' });
    const pool = new Pool({ processes: 2, context: ctx });
    try {
      expect(await pool.apply(slow, [1, 1])).toBe(1);
      const map = pool.starmap(slow, Array.from({ length: 6 }, (_, i) => [i, 1000] as [number, number]), { chunksize: 1 });
      await new Promise((r) => setTimeout(r, 300));
      await ctx.close();
      const inFlight = await rejection(map, 5000);
      expect(PoolClosedError.isInstance(inFlight), String(inFlight)).toBe(true);
      expect(String(inFlight)).toMatch(/cluster 'ctx-close' was closed/);
      // The same pool afterwards, a new pool and a new Process on the closed context: each settles, saying so.
      const after = await rejection(pool.apply(slow, [2, 1]), 5000);
      expect(PoolClosedError.isInstance(after), String(after)).toBe(true);
      await using fresh = new Pool({ processes: 1, context: ctx });
      const onFresh = await rejection(fresh.apply(slow, [3, 1]), 5000);
      expect(PoolClosedError.isInstance(onFresh), String(onFresh)).toBe(true);
      expect(String(onFresh)).toMatch(/cluster 'ctx-close' was closed/);
      const p = new Process({ target: slow, args: [4, 1], context: ctx });
      p.start();
      expect(await rejection(p.join(), 5000)).toBe('resolved');
      expect(p.exitCode).toBe(1);
      expect(p.error?.message).toMatch(/cluster 'ctx-close' was closed/);
    } finally {
      await pool.terminate();
    }
  });

  it('a context closed before any pool used it refuses the same way, and closing twice is harmless', async () => {
    const ctx = cluster(nc, { name: 'ctx-unused' });
    await ctx.close();
    await ctx.close();
    await using pool = new Pool({ processes: 1, context: ctx });
    const got = await rejection(pool.apply(slow, [1, 1]), 5000);
    expect(PoolClosedError.isInstance(got), String(got)).toBe(true);
    expect(String(got)).toMatch(/cluster 'ctx-unused' was closed/);
  });
});

describe('a host whose pool is closed', () => {
  it('host() rejects a pool that was closed or terminated, naming the argument', async () => {
    const terminated = new Pool({ processes: 1 });
    await terminated.terminate();
    await expect(host(nc, { name: 'dead-pool', pool: terminated })).rejects.toThrow(/^pool must be an open Pool, got one that was closed or terminated \(.*terminate\(\)/);
    const closed = new Pool({ processes: 1 });
    closed.close();
    await expect(host(nc, { name: 'dead-pool', pool: closed })).rejects.toThrow(/^pool must be an open Pool, got one that was closed or terminated \(.*close\(\)/);
    await closed.join();
  });

  it("terminated while it serves: it takes no more work, and what it held runs on another host instead of failing callers' calls", async () => {
    const dying = new Pool({ processes: 2 });
    await using healthy = new Pool({ processes: 2 });
    await using a = await host(nc, { name: 'pool-gone', pool: dying, allow: ['/'], hostName: 'dying' });
    await using b = await host(nc, { name: 'pool-gone', pool: healthy, allow: ['/'], hostName: 'healthy' });
    await using pool = new Pool({ processes: 8, context: cluster(nc, { name: 'pool-gone' }) });
    const xs = Array.from({ length: 24 }, (_, i) => i);
    let terminated: Promise<void> | undefined;
    const started = performance.now();
    const results = await pool.starmap(slow, xs.map((i) => [i, 200] as [number, number]), {
      chunksize: 1,
      onProgress: (done) => {
        if (done >= 4 && a.stats().running > 0) terminated ??= dying.terminate();
      },
    });
    expect(terminated).toBeDefined();
    await terminated;
    expect(results).toEqual(xs);
    // Promptly: what the host held went back to the queue at once, not after the ack wait (30 s).
    expect(performance.now() - started).toBeLessThan(20_000);
    // Later calls (queued and awaited, which may go to a host directly) all run on the healthy host.
    const later = await pool.starmap(slow, xs.map((i) => [i, 1] as [number, number]), { chunksize: 1 });
    expect(later).toEqual(xs);
    for (let i = 0; i < 5; i++) expect(await pool.apply(slow, [i, 1])).toBe(i);
    expect(b.stats().answered).toBeGreaterThan(0);
    const answeredByA = a.stats().answered;
    expect(await pool.apply(slow, [7, 1])).toBe(7);
    expect(a.stats().answered).toBe(answeredByA);
  });
});
