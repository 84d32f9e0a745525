/**
 * Conformance: Manager proxies (API.md section 5b), in every context,
 * including child processes that share no memory.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { Empty, Full, MpError } from '../errors.js';
import { Manager } from '../sync/manager.js';
import { delay, deepEqual, equal, ok, rejects, rejectsAtCall } from './assert.js';

export function managerSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;

  h.describe('Manager', () => {
    h.it('dict, list, Queue, Lock and Value proxies work here, with Python timeouts', async () => {
      const manager = await Manager.start();
      try {
        const d = await manager.dict<string, number>([['a', 1]]);
        await d.set('b', 2);
        equal(await d.get('a'), 1);
        equal(await d.get('zz', 9), 9);
        ok(await d.has('b'));
        equal(await d.size(), 2);
        ok(await d.delete('a'));
        deepEqual(await d.entries(), [['b', 2]]);
        const l = await manager.list([1, 2]);
        await l.append(3);
        equal(await l.get(-1), 3);
        await l.set(0, 10);
        deepEqual(await l.toArray(), [10, 2, 3]);
        equal(await l.length(), 3);
        await rejects(l.get(5), RangeError, /out of range/);
        const q = await manager.Queue<number>({ maxsize: 1 });
        await q.put(1);
        await rejects(q.put(2, { timeout: 30 }), Full);
        await rejects(q.putNowait(2), Full);
        equal(await q.get(), 1);
        await rejects(q.get({ timeout: 30 }), Empty);
        await rejects(q.getNowait(), Empty);
        const lock = await manager.Lock();
        ok(await lock.acquire());
        equal(await lock.acquire({ timeout: 30 }), false);
        await lock.release();
        await rejects(lock.release(), MpError, /not locked/);
        const v = await manager.Value('i64', 5n);
        equal(await v.add(2n), 5n);
        equal(await v.get(), 7n);
        await rejects(v.set(1 as never), TypeError, /bigint/);
        await rejectsAtCall(() => manager.Queue({ maxsize: -1 }), RangeError, /maxsize/);
      } finally {
        await manager.shutdown();
      }
    });

    h.it('a proxy anywhere inside the arguments works in a pool task', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 2, context });
      try {
        const results = await manager.dict<number, number>();
        await pool.starmap(fx.recordSquare, [1, 2, 3, 4].map((k) => [{ results }, k] as [{ results: typeof results }, number]));
        deepEqual((await results.entries()).sort((a, b) => a[0] - b[0]), [[1, 1], [2, 4], [3, 9], [4, 16]]);
      } finally {
        await pool.terminate();
      }
    });

    h.it('a managed Lock keeps 4 workers × 100 increments of a managed Value exact', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 4, context });
      try {
        const value = await manager.Value('i32', 0);
        const lock = await manager.Lock();
        await pool.starmap(fx.managedIncrements, Array.from({ length: 4 }, () => [value, lock, 100] as [typeof value, typeof lock, number]), { chunksize: 1 });
        equal(await value.get(), 400);
      } finally {
        await pool.terminate();
      }
    }, 120_000);

    h.it('a managed Queue carries items between producer and consumer workers', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 4, context });
      try {
        const queue = await manager.Queue<[number, number]>({ maxsize: 8 });
        const seen = await manager.list<string>();
        const consumers = Promise.all([pool.apply(fx.consume, [queue, seen, 100]), pool.apply(fx.consume, [queue, seen, 100])]);
        const producers = Promise.all([pool.apply(fx.produce, [queue, 0, 100]), pool.apply(fx.produce, [queue, 1, 100])]);
        const [made, took] = await Promise.allSettled([producers, consumers]);
        if (made.status === 'rejected') throw made.reason;
        if (took.status === 'rejected') throw took.reason;
        const all = await seen.toArray();
        equal(all.length, 200);
        equal(new Set(all).size, 200, 'each item seen once');
      } finally {
        await pool.terminate();
      }
    }, 120_000);

    h.it('a Process target gets a working proxy; after shutdown, proxies reject', async () => {
      const manager = await Manager.start();
      const d = await manager.dict<number, number>();
      const p = new Process({ target: fx.recordSquare, args: [{ results: d }, 7], context }).start();
      await p.join();
      equal(p.exitCode, 0);
      equal(await d.get(7), 49);
      await manager.shutdown();
      await rejects(d.get(7), Error, /not running/);
      await delay(1);
    });
  });
}
