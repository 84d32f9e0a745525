/**
 * Conformance: the rest of Python's SyncManager (Event, RLock, Condition,
 * Semaphore, BoundedSemaphore, Barrier, JoinableQueue, Array, Namespace) and
 * `manager.register`, used from workers — in every context, including child
 * processes and pages that share no memory (API.md section 5c).
 */
import type { Harness } from './harness.js';
import { px } from './parity-harness.js';
import { BrokenBarrierError, MpError, RemoteError } from '../errors.js';
import { Manager } from '../sync/manager.js';
import { deepEqual, equal, ok, rejects, settlesWithin, until } from './assert.js';

/** The program's own type, served by the manager. */
class Counter {
  n: number;
  readonly #secret = 'private';
  constructor(start = 0) {
    this.n = start;
  }
  inc(by = 1): number {
    return (this.n += by);
  }
  boom(): never {
    throw new RangeError(`boom at ${this.n}`);
  }
  secret(): string {
    return this.#secret;
  }
}

/** A registered type whose `wait()` never settles by itself. */
class Slow {
  waiting = 0;
  wait(): Promise<never> {
    this.waiting++;
    return new Promise(() => {});
  }
  count(): number {
    return this.waiting;
  }
}

export function parityManagerSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;

  h.describe('Manager, round 2', () => {
    h.it('Event and Namespace proxies: workers wait, the parent sets, each records in the namespace', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 2, context });
      try {
        const ready = await manager.Event();
        const ns = await manager.Namespace();
        const waiting = Promise.all([pool.apply(px.awaitManagedEvent, [ready, ns, 'a']), pool.apply(px.awaitManagedEvent, [ready, ns, 'b'])]);
        equal(await ready.isSet(), false);
        await ready.set();
        deepEqual(await waiting, [true, true]);
        deepEqual(await ns.toObject(), { a: true, b: true });
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('Barrier proxy: 3 workers get indexes 0, 1, 2 each round; a lone party times out with BrokenBarrierError', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 3, context });
      try {
        const barrier = await manager.Barrier(3);
        for (let round = 0; round < 2; round++) {
          const idx = await pool.map(px.managedBarrierParty, [barrier, barrier, barrier], { chunksize: 1 });
          deepEqual([...idx].sort(), [0, 1, 2], `round ${round}`);
        }
        const lonely = await manager.Barrier(2, { timeout: 50 });
        await rejects(lonely.wait(), BrokenBarrierError, /timed out/);
        equal(await lonely.broken(), true);
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('Semaphore(2) proxy: never more than 2 of 4 workers inside', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 4, context });
      try {
        const sem = await manager.BoundedSemaphore(2);
        const inside = await manager.Value('i32', 0);
        const most = await manager.Value('i32', 0);
        await pool.starmap(px.managedCrowd, Array.from({ length: 4 }, () => [sem, inside, most, 5] as [typeof sem, typeof inside, typeof most, number]), { chunksize: 1 });
        ok((await most.get()) <= 2, `at most 2 inside, saw ${await most.get()}`);
        equal(await sem.getValue(), 2);
      } finally {
        await pool.terminate();
      }
    }, 120_000);

    h.it('Condition proxy: a worker waits for a predicate, the parent notifies', async () => {
      await using manager = await Manager.start();
      const cond = await manager.Condition();
      const ns = await manager.Namespace<{ ready: boolean; entered: boolean }>({ ready: false });
      const p = new Process({ target: px.managedConditionWaiter, args: [cond, ns], context }).start();
      while ((await ns.get('entered')) !== true) await new Promise((r) => setTimeout(r, 5));
      await cond.withLock(async () => {
        await ns.set('ready', true);
        await cond.notifyAll();
      });
      await p.join();
      equal(p.exitCode, 0, String(p.error));
    }, 60_000);

    h.it('RLock proxy: re-entrant for its owner in a worker; a non-owner release rejects there', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 1, context });
      try {
        const mine = await manager.RLock();
        const theirs = await manager.RLock();
        ok(await theirs.acquire());
        const r = await pool.apply(px.managedRLockChecks, [mine, theirs]);
        equal(r.depth2, true);
        ok(/MpError: release\(\) of an RLock this thread does not hold/.test(r.foreign), r.foreign);
        equal(await theirs.locked(), true);
        await theirs.release();
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('JoinableQueue and Array proxies: join() resolves once workers mark every item done', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 2, context });
      try {
        const q = await manager.JoinableQueue<number>();
        for (let i = 1; i <= 10; i++) await q.put(i);
        const sums = Promise.all([pool.apply(px.managedJoinableConsumer, [q, 5]), pool.apply(px.managedJoinableConsumer, [q, 5])]);
        equal(await q.join({ timeout: 30_000 }), true);
        equal((await sums).reduce((a, b) => a + b, 0), 55);
        const array = await manager.Array('f64', 6);
        await pool.starmap(px.fillManagedArray, [[array, [0, 2, 4], 1.5], [array, [1, 3, 5], 1.5]]);
        deepEqual(await array.toArray(), [0, 1.5, 3, 4.5, 6, 7.5]);
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('register: a Counter deep inside the arguments of 4 workers counts exactly; errors come back as RemoteError', async () => {
      await using manager = await Manager.start();
      const m = manager.register('Counter', Counter, { exposed: ['inc', 'boom'] });
      const pool = new Pool({ processes: 4, context });
      try {
        const c = await m.Counter(100);
        await pool.starmap(px.bumpRegistered, Array.from({ length: 4 }, () => [{ deep: [c] }, 25] as [{ deep: [typeof c] }, number]), { chunksize: 1 });
        equal(await c.inc(0), 200);
        const errors = await pool.apply(px.registeredErrors, [c as never]);
        equal(errors[0], 'RemoteError/RangeError: boom at 200');
        ok(/^TypeError: Counter does not expose secret\(\); it exposes inc\(\), boom\(\)$/.test(errors[1] ?? ''), errors[1]);
        await rejects(c.boom(), RemoteError, /boom at 200/);
        const p = new Process({ target: px.bumpRegistered, args: [{ deep: [c] }, 3], context }).start();
        await p.join();
        equal(p.exitCode, 0, String(p.error));
        equal(await c.inc(0), 203);
      } finally {
        await pool.terminate();
      }
    }, 120_000);

    h.it('register: calls still running at shutdown reject with MpError, here, in a pool task and in a child', async () => {
      const manager = await Manager.start();
      const m = manager.register('Slow', Slow);
      const pool = new Pool({ processes: 1, context });
      try {
        const slow = await m.Slow();
        const here = slow.wait();
        const inTask = pool.apply(px.awaitRegisteredWait, [slow]);
        const child = new Process({ target: px.awaitRegisteredWait, args: [slow], context }).start();
        await until(async () => (await slow.count()) === 3, 20_000, 'the three calls reached the manager');
        await manager.shutdown();
        const settled = await settlesWithin(here, 2_000, 'the call here');
        ok(settled.status === 'rejected' && MpError.isInstance(settled.reason), String((settled as { reason?: unknown }).reason));
        ok(/was shut down while this call waited/.test((settled.reason as Error).message), (settled.reason as Error).message);
        const task = await settlesWithin(inTask, 5_000, 'the call in a pool task');
        const fromTask = (task as { reason?: unknown }).reason;
        ok(RemoteError.isInstance(fromTask) && MpError.isInstance(fromTask.cause) && /was shut down while this call waited/.test(fromTask.message), String(fromTask));
        await child.join(5_000);
        equal(child.exitCode, 1, 'the child ended, its call rejected');
        ok(child.error !== undefined && MpError.isInstance(child.error.cause) && /was shut down while this call waited/.test(child.error.message), String(child.error));
      } finally {
        await manager.shutdown();
        await pool.terminate();
      }
    }, 60_000);
  });
}
