/**
 * Conformance: locks, semaphores, events, conditions, barriers and shared
 * values, used across workers (API.md section 5). Where the context shares no
 * memory (child processes), passing them is refused with an error naming Manager.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { BrokenBarrierError, MpError } from '../errors.js';
import { Barrier } from '../sync/barrier.js';
import { Condition } from '../sync/condition.js';
import { Event } from '../sync/event.js';
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';
import { BoundedSemaphore, Semaphore } from '../sync/semaphore.js';
import { SharedArray } from '../sync/shared-array.js';
import { Value } from '../sync/value.js';
import { delay, deepEqual, equal, ok, rejects, throws, rejectsAtCall } from './assert.js';
import { until } from './assert.js';

export function syncSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;
  const withPool = async (processes: number, body: (pool: InstanceType<typeof Pool>) => Promise<void>) => {
    const pool = new Pool({ processes, context });
    try {
      await body(pool);
    } finally {
      await pool.terminate();
    }
  };

  if (!(h.features.sharedArrayBuffer ?? true)) {
    h.skip('shared state: Lock, RLock, Semaphore, Event, Condition, Barrier, Value and SharedArray', 'no SharedArrayBuffer here: they cannot be made (the page is not cross-origin isolated)');
    return;
  }

  h.describe('shared state: single-thread behaviour and bad input', () => {
    h.it('Lock: acquire, timeout returns false, release of an unheld lock throws, withLock always releases', async () => {
      const lock = new Lock();
      ok(await lock.acquire());
      ok(lock.locked());
      equal(await lock.acquire({ timeout: 30 }), false);
      equal(lock.acquireSync({ blocking: false }), false);
      lock.release();
      throws(() => lock.release(), MpError, /not locked/);
      await rejects(lock.withLock(() => { throw new Error('inside'); }), Error, /inside/);
      equal(lock.locked(), false);
      equal(await lock.withLock(() => 5), 5);
      await rejectsAtCall(() => lock.withLock(5 as never), TypeError, /^withLock\(fn\): fn must be a function, got 5$/);
      equal(lock.locked(), false);
    });

    h.it('RLock is re-entrant for its owner; Semaphore, BoundedSemaphore and Event basics', async () => {
      const blocks = h.features.mainThreadBlocks ?? true;
      const r = new RLock();
      ok(await r.acquire());
      // Where this thread may not block, a …Sync form that may wait throws even when it would not have to.
      if (blocks) ok(r.acquireSync());
      else {
        throws(() => r.acquireSync(), TypeError, /cannot block this thread/);
        ok(r.acquireSync({ blocking: false }));
      }
      r.release();
      ok(r.locked());
      r.release();
      equal(r.locked(), false);
      throws(() => r.release(), MpError, /does not hold/);
      const s = new Semaphore(2);
      if (blocks) ok(s.acquireSync() && s.acquireSync());
      else ok(s.acquireSync({ blocking: false }) && s.acquireSync({ timeout: 0 }));
      equal(await s.acquire({ timeout: 20 }), false);
      s.release(2);
      equal(s.getValue(), 2);
      const b = new BoundedSemaphore(1);
      throws(() => b.release(), MpError, /too many times/);
      const e = new Event();
      equal(await e.wait({ timeout: 20 }), false);
      e.set();
      ok(await e.wait());
      ok(e.isSet());
      e.clear();
      if (blocks) equal(e.waitSync({ timeout: 10 }), false);
      else throws(() => e.waitSync({ timeout: 10 }), TypeError, /cannot block this thread/);
      e.set();
      if (blocks) ok(e.waitSync());
      else throws(() => e.waitSync(), TypeError, /^event\.waitSync\(\) cannot block this thread/);
    });

    h.it('Value and SharedArray take all ten types and the Python typecodes', async () => {
      const types = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'b', 'B', 'h', 'H', 'i', 'I', 'q', 'Q', 'f', 'd'] as const;
      for (const t of types) {
        const big = t === 'i64' || t === 'u64' || t === 'q' || t === 'Q';
        const v = new Value(t, (big ? 7n : 7));
        equal(v.value, big ? 7n : 7, `Value ${t}`);
        const a = new SharedArray(t, 3);
        deepEqual(a.toArray(), big ? [0n, 0n, 0n] : [0, 0, 0]);
      }
      const c = new Value('i32', 10);
      equal(c.add(5), 10);
      equal(c.sub(3), 15);
      equal(c.compareExchange(12, 1), 12);
      equal(c.value, 1);
      const f = new Value('d', 0.5);
      throws(() => f.add(1), TypeError, /integer type/);
      const arr = new SharedArray('u8', [1, 2, 3]);
      arr.set(1, 9);
      deepEqual(arr.toArray(), [1, 9, 3]);
      equal(arr.length, 3);
      throws(() => arr.get(3), RangeError, /index must be an integer from 0 to 2, got 3/);
      throws(() => new Value('i32', 0, { lock: false }).getLock(), TypeError, /lock: false/);
      await c.getLock().withLock(() => { c.value = 2; });
      equal(c.value, 2);
    });

    h.it('bad input: constructors throw, promise methods reject, each naming the argument', async () => {
      throws(() => new Semaphore(-1), RangeError, /^value must be an integer >= 0, got -1$/);
      throws(() => new Barrier(0), RangeError, /^parties must be an integer >= 1, got 0$/);
      throws(() => new Value('x' as never, 0 as never), TypeError, /^type must be one of .* got "x" \(string\)$/);
      throws(() => new SharedArray('i32', -1), RangeError, /^size must be an integer >= 0, got -1$/);
      throws(() => new Value('i64', 1 as never), TypeError, /must be a bigint/);
      throws(() => new Value('i32', 1n as never), TypeError, /must be a number/);
      throws(() => new Condition({} as never), TypeError, /lock must be a Lock or an RLock/);
      // Their constructors take nothing from a program (they failed later with the engine's words).
      throws(() => new Lock('x' as never), TypeError, /^new Lock\(\) takes no arguments, got "x" \(string\)$/);
      throws(() => new RLock({} as never), TypeError, /^new RLock\(\) takes no arguments, got /);
      throws(() => new Event(5 as never), TypeError, /^new Event\(\) takes no arguments, got 5$/);
      throws(() => new Barrier(2, { action: 'x' as never }), TypeError, /action must be a function/);
      await rejectsAtCall(() => new Lock().acquire({ timeout: -1 }), RangeError, /^timeout must be .* got -1$/);
      await rejectsAtCall(() => new Event().wait({ blocking: false } as never), TypeError, /blocking is not an option/);
      // A misspelt option is named, not ignored: `{ timout: 100 }` waited with no limit at all.
      const held = new Lock();
      await held.acquire();
      await rejectsAtCall(() => held.acquire({ timout: 100 } as never), TypeError, /^options\.timout is not an option here; expected one of timeout, blocking$/);
      throws(() => held.acquireSync({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      await rejectsAtCall(() => new Event().wait({ timout: 100 } as never), TypeError, /^options\.timout is not an option here; expected only timeout$/);
      await rejectsAtCall(() => new Semaphore(0).acquire({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      await rejectsAtCall(() => new RLock().acquire({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      await rejectsAtCall(() => new Barrier(2).wait({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      const cond = new Condition();
      await cond.acquire();
      await rejectsAtCall(() => cond.wait({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      cond.release();
      throws(() => new Barrier(2, { timout: 100 } as never), TypeError, /^unknown option "timout" for Barrier; the options are timeout, action$/);
      throws(() => new Value('i32', 0, { lokc: false } as never), TypeError, /^unknown option "lokc" for Value; the options are lock$/);
      throws(() => new SharedArray('i32', 2, { lokc: false } as never), TypeError, /^unknown option "lokc" for SharedArray; the options are lock$/);
      await Promise.resolve();
    });

    h.it('Barrier: index per round, action, timeout and abort break it', async () => {
      let ran = 0;
      const one = new Barrier(1, { action: () => ran++ });
      equal(await one.wait(), 0);
      equal(ran, 1);
      const two = new Barrier(2, { timeout: 50 });
      await rejects(two.wait(), BrokenBarrierError, /timed out/);
      ok(two.broken);
      await rejects(two.wait(), BrokenBarrierError);
      two.reset();
      equal(two.broken, false);
      const waiting = two.wait({ timeout: 5_000 });
      await delay(20);
      equal(two.nWaiting, 1);
      two.abort();
      await rejects(waiting, BrokenBarrierError);
    });
  });

  if (!(h.features.sharedMemory ?? true)) {
    h.it('passing a shared-memory object to this context is refused, naming Manager', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        await rejectsAtCall(() => pool.apply(fx.echo, [new Lock()]), TypeError, /^args\[0\] is a Lock, .* Manager/);
        await rejectsAtCall(() => pool.map(fx.echo, [1, { v: new Value('i32', 1) }]), TypeError, /^iterable\[1\]\.v is a Value/);
        throws(() => new Process({ target: fx.echo, args: [new Event()], context }), TypeError, /Manager/);
        throws(() => new Pool({ processes: 1, context, initargs: [new Semaphore(1)] }), TypeError, /^initargs\[0\] is a Semaphore/);
      } finally {
        await pool.terminate();
      }
    });
    return;
  }

  h.describe('shared state across workers', () => {
    h.it('4 workers × 10,000 increments of a Value under a Lock end at exactly 40,000', () =>
      withPool(4, async (pool) => {
        const counter = new Value('i32', 0);
        const lock = new Lock();
        await pool.starmap(fx.incrementLocked, Array.from({ length: 4 }, () => [counter, lock, 10_000] as [Value<'i32'>, Lock, number]), { chunksize: 1 });
        equal(counter.value, 40_000);
        const guarded = new Value('i32', 0);
        await pool.starmap(fx.incrementLocked, Array.from({ length: 4 }, () => [guarded, guarded.getLock(), 2_000] as [Value<'i32'>, RLock, number]), { chunksize: 1 });
        equal(guarded.value, 8_000, 'with the Value’s own lock');
      }),
      120_000,
    );

    h.it('every task runs exactly once, awaited one after another or in small bursts (a Value counts the runs)', async () => {
      // One at a time, where the runtime offers it and it measures faster, the worker waits for its next batch
      // (WorkerPort.receiveSync): a message taken there must not also arrive through the event loop.
      for (const processes of [1, 2]) {
        const runs = new Value('i32', 0);
        const count = (v: Value<'i32'>, x: number) => (v.add(1), x);
        await withPool(processes, async (pool) => {
          for (let i = 0; i < 300; i++) equal(await pool.apply(count, [runs, i]), i);
          for (let i = 0; i < 100; i++) await Promise.all([0, 1, 2].map((k) => pool.apply(count, [runs, k])));
        });
        equal(runs.value, 600, `runs counted with ${processes} worker(s)`);
      }
    });

    h.it('a Barrier of 4 cycled 1,000 times gives exactly one 0 per round', () =>
      withPool(4, async (pool) => {
        const barrier = new Barrier(4, { action: () => undefined });
        const zeros = await pool.starmap(fx.cycleBarrier, Array.from({ length: 4 }, () => [barrier, 1_000] as [Barrier, number]), { chunksize: 1 });
        equal(zeros.reduce((a, b) => a + b, 0), 1_000);
      }),
      120_000,
    );

    h.it('a Semaphore(2) never admits a third', () =>
      withPool(4, async (pool) => {
        const sem = new Semaphore(2);
        const inside = new Value('i32', 0);
        const most = new Value('i32', 0);
        await pool.starmap(fx.crowd, Array.from({ length: 4 }, () => [sem, inside, most, 200] as [Semaphore, Value<'i32'>, Value<'i32'>, number]), { chunksize: 1 });
        ok(most.value >= 1 && most.value <= 2, `at most 2 inside, saw ${most.value}`);
        equal(inside.value, 0);
      }),
      120_000,
    );

    h.it('an Event set in the parent wakes waiters in workers; a timed-out wait returns false', () =>
      withPool(3, async (pool) => {
        const event = new Event();
        const waiting = new Value('i32', 0);
        const waits = [
          pool.apply(fx.awaitEvent, [event, 20_000, waiting]),
          pool.apply(fx.awaitEventSync, [event, 20_000, waiting]),
          pool.apply(fx.awaitEvent, [event, 20_000, waiting]),
        ];
        // Handshake: each worker counts itself just before it waits.
        await until(() => waiting.value === 3, 20_000, 'three workers about to wait');
        equal(event.isSet(), false);
        event.set();
        deepEqual(await Promise.all(waits), [true, true, true]);
        event.clear();
        equal(await pool.apply(fx.awaitEventSync, [event, 50]), false);
      }),
    );

    h.it('a Condition notified in the parent wakes its waiters in workers', () =>
      withPool(2, async (pool) => {
        const cond = new Condition();
        const flag = new Value('i32', 0);
        const inside = new Value('i32', 0);
        const waiting = [pool.apply(fx.awaitCondition, [cond, flag, inside]), pool.apply(fx.awaitCondition, [cond, flag, inside])];
        // Handshake: a worker counts itself holding the lock and then waits, which releases it; so once
        // the lock is ours with the count at 2, both are inside their wait.
        await until(() => cond.withLock(() => inside.value === 2), 20_000, 'both workers waiting');
        await cond.withLock(() => {
          flag.value = 1;
          cond.notifyAll();
        });
        deepEqual(await Promise.all(waiting), [1, 1]);
      }),
    );

    h.it('Condition(lock): wait() in workers, notify(n) wakes n of them, notifyAll() the rest', () =>
      withPool(3, async (pool) => {
        const lock = new Lock();
        const cond = new Condition(lock);
        const waiting = new Value('i32', 0);
        const woken = new Value('i32', 0);
        const waits = [0, 1, 2].map(() => pool.apply(fx.conditionWaiter, [cond, waiting, woken, 30_000]));
        // Each waiter counts itself holding the lock, then wait() releases it: with the lock ours and the
        // count at 3, all three are waiting. The Condition works over the Lock it was given.
        await until(() => cond.withLock(() => waiting.value === 3), 20_000, 'three workers in wait()');
        ok(await lock.acquire({ timeout: 10_000 }), "the Condition's lock is the one given");
        cond.notify(2);
        lock.release();
        await until(() => woken.value >= 2, 20_000, 'waiters woken by notify(2)');
        // The third is still waiting: it needs a notify of its own.
        equal(await cond.withLock(() => woken.value), 2, 'waiters woken by notify(2)');
        equal(await cond.withLock(() => waiting.value), 3);
        await cond.withLock(() => cond.notifyAll());
        deepEqual(await Promise.all(waits), [true, true, true]);
        equal(woken.value, 3);
        equal(lock.locked(), false);
      }),
    );

    h.it('a Lock held in a worker makes the parent wait; an RLock held there cannot be released here', () =>
      withPool(1, async (pool) => {
        const lock = new Lock();
        const holding = new Event();
        const held = pool.apply(fx.holdLock, [lock, 300, holding]);
        ok(await holding.wait({ timeout: 20_000 }), 'the worker took the lock');
        equal(await lock.acquire({ timeout: 20 }), false, 'held by the worker');
        ok(await lock.acquire({ timeout: 10_000 }), 'free once the worker released it');
        lock.release();
        ok(await held);
        const r = new RLock();
        const rholding = new Event();
        const rheld = pool.apply(fx.holdLock, [r, 200, rholding]);
        ok(await rholding.wait({ timeout: 20_000 }));
        throws(() => r.release(), MpError, /does not hold/);
        await rheld;
      }),
    );

    h.it('a Value passed in initargs is the same object in every worker', async () => {
      const counter = new Value('i32', 0);
      const pool = new Pool({ processes: 2, context, initializer: fx.init, initargs: [counter] });
      try {
        await pool.map(fx.bumpInitValue, Array.from({ length: 20 }, () => undefined as never), { chunksize: 1 });
        equal(counter.value, 20);
      } finally {
        await pool.terminate();
      }
    });

    h.it('SharedArray, Value<i64> and Barrier are the same objects in a Process and a pool task', async () => {
      const array = new SharedArray('f64', 5);
      const p = new Process({ target: fx.fillArray, args: [array, 1.5], context }).start();
      await p.join();
      equal(p.exitCode, 0);
      deepEqual(array.toArray(), [0, 1.5, 3, 4.5, 6]);
      const big = new Value('i64', 2n ** 40n);
      await withPool(1, async (pool) => {
        equal(await pool.apply(fx.bumpBig, [big]), 2n ** 40n);
        equal(big.value, 2n ** 40n + 1n);
        const barrier = new Barrier(2);
        const [a, b] = await Promise.all([pool.apply(fx.waitBarrierOnce, [barrier]), barrier.wait({ timeout: 10_000 })]);
        deepEqual([a, b].sort(), [0, 1]);
      });
    });
  });
}
