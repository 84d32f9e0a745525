/**
 * Conformance: Manager proxies (API.md section 5b), in every context,
 * including child processes that share no memory.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { Empty, Full, MpError, TimeoutError } from '../errors.js';
import { Manager } from '../sync/manager.js';
import type { TypeSpec } from '../internal/typecodes.js';
import { delay, deepEqual, equal, ok, rejects, rejectsAtCall, settlesWithin, throws } from './assert.js';

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

    h.it('a proxy inside a Map or a Set argument works in a pool task and a Process target', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 1, context });
      try {
        const d = await manager.dict<string, number>();
        type Dict = { set(key: string, value: number): Promise<void> };
        // By value: the proxies come inside a Map (as a value and as a key) and a Set.
        const useAll = async (byValue: Map<string, Dict>, byKey: Map<Dict, string>, inSet: Set<Dict>): Promise<void> => {
          await byValue.get('d')!.set('map value', 1);
          for (const [proxy, key] of byKey) await proxy.set(key, 2);
          for (const proxy of inSet) await proxy.set('set item', 3);
        };
        await pool.apply(useAll, [new Map([['d', d]]), new Map([[d, 'map key']]), new Set([d])]);
        deepEqual((await d.entries()).sort(), [['map key', 2], ['map value', 1], ['set item', 3]]);
        const p = new Process({ target: useAll, args: [new Map([['d', d]]), new Map([[d, 'from a Process']]), new Set([d])], context }).start();
        await p.join();
        equal(p.exitCode, 0, String(p.error));
        equal(await d.get('from a Process'), 2);
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

    h.it('a worker that ends while it waits in a manager is given nothing: a timed-out task, a terminated child', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 1, context });
      try {
        await pool.apply(fx.squ, [1]); // the worker is up: the task below starts at once
        for (const ending of ['a pool task timed out', 'a Process terminated']) {
          const q = await manager.Queue<string>();
          const lock = await manager.Lock();
          ok(await lock.acquire());
          const sem = await manager.Semaphore(0);
          const ready = await manager.Event();
          const args: [typeof q, typeof lock, typeof sem, typeof ready] = [q, lock, sem, ready];
          if (ending === 'a pool task timed out') {
            // Time for the worker to make its four manager calls on a loaded machine before it times out (under
            // 1.5 s it sometimes had not: the wait below then failed, and the task's rejection went unhandled).
            const task = pool.apply(fx.managedWaitAll, args, { timeout: 4_000 });
            void task.catch(() => undefined); // awaited below; not unhandled if an assertion fails first
            equal(await ready.wait({ timeout: 20_000 }), true, `${ending}: its waits reached the manager`);
            await rejects(task, TimeoutError);
          } else {
            const p = new Process({ target: fx.managedWaitAll, args, context }).start();
            equal(await ready.wait({ timeout: 20_000 }), true, `${ending}: its waits reached the manager`);
            await p.terminate();
          }
          // Its get, acquire and acquire waited in the manager: what comes now goes to the next caller.
          await q.put('item');
          await lock.release();
          await sem.release();
          equal(await q.get({ timeout: 2_000 }).catch(String), 'item', `${ending}: the item`);
          equal(await lock.acquire({ timeout: 2_000 }), true, `${ending}: the lock`);
          equal(await sem.acquire({ timeout: 2_000 }), true, `${ending}: the permit`);
        }
      } finally {
        await pool.terminate();
      }
    }, 90_000);

    h.it('what a manager gave a worker that was stopped before reading it goes back: an item, a lock, a permit', async () => {
      await using manager = await Manager.start();
      const pool = new Pool({ processes: 1, context });
      try {
        await pool.apply(fx.squ, [1]);
        const q = await manager.Queue<string>();
        const lock = await manager.Lock();
        ok(await lock.acquire());
        const sem = await manager.Semaphore(0);
        const ready = await manager.Event();
        // The task waits on all three, then keeps its thread busy, so what it is given is never read.
        // Its timeout must come after the puts and releases below, which follow `ready` by half a second.
        const task = pool.apply(fx.managedWaitAllThenBlock, [q, lock, sem, ready], { timeout: 5_000 });
        void task.catch(() => undefined); // awaited below; not unhandled if an assertion fails first
        equal(await ready.wait({ timeout: 20_000 }), true);
        // The waits are in the manager; give the task time to read set()'s answer and start its busy loop (a busy
        // worker can say nothing). Too short a pause fails this test (the task reads the item), never passes it.
        await delay(500);
        await q.put('first'); // to the task's get
        await q.put('second'); // stays
        await lock.release();
        await sem.release();
        equal(await lock.locked(), true, 'the lock went to the task');
        await rejects(task, TimeoutError);
        deepEqual([await q.get({ timeout: 2_000 }).catch(String), await q.get({ timeout: 2_000 }).catch(String)], ['first', 'second'], 'the item went back to the front');
        equal(await lock.acquire({ timeout: 2_000 }), true, 'the lock was released');
        equal(await sem.acquire({ timeout: 2_000 }), true, 'the permit was given back');
      } finally {
        await pool.terminate();
      }
    }, 90_000);

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

  h.describe('Manager, checks', () => {
    h.it('proxy timeouts and options are checked as the local Queue, Lock and Event check them', async () => {
      await using manager = await Manager.start();
      const q = await manager.Queue<number>({ maxsize: 1 });
      await q.put(0);
      const empty = await manager.Queue<number>();
      const lock = await manager.Lock();
      await lock.acquire();
      const event = await manager.Event();
      const calls: [string, (options: never) => Promise<unknown>][] = [
        ['Queue.get', (o) => empty.get(o)],
        ['Queue.put', (o) => q.put(1, o)],
        ['Lock.acquire', (o) => lock.acquire(o)],
        ['Event.wait', (o) => event.wait(o)],
      ];
      for (const [what, call] of calls) {
        for (const bad of [-1, NaN, Infinity]) {
          await rejectsAtCall(() => within(call({ timeout: bad } as never), what), RangeError, new RegExp(`^timeout must be a finite number of milliseconds >= 0, got ${bad}$`));
        }
        await rejectsAtCall(() => within(call({ timeout: '100' } as never), what), TypeError, /^timeout must be a number of milliseconds >= 0, got "100" \(string\)$/);
        await rejectsAtCall(() => within(call({ timeout: null } as never), what), TypeError, /^timeout must be a number of milliseconds >= 0, got null$/);
        await rejectsAtCall(() => within(call(5 as never), what), TypeError, /^options must be an object, got 5$/);
      }
      // Nothing was taken or put by the refused calls.
      equal(await q.qsize(), 1);
      equal(await empty.qsize(), 0);
    });

    h.it('a proxy timeout past 2^31-1 ms does not fire early', async () => {
      await using manager = await Manager.start();
      const event = await manager.Event();
      const q = await manager.Queue<number>();
      const lock = await manager.Lock();
      await lock.acquire();
      const sem = await manager.Semaphore(0);
      const barrier = await manager.Barrier(2);
      const settled: string[] = [];
      const track = <T>(what: string, p: Promise<T>): Promise<T> => {
        p.then(() => settled.push(what), () => settled.push(what));
        return p;
      };
      const waits = [
        track('Event.wait', event.wait({ timeout: 2 ** 31 })),
        track('Queue.get', q.get({ timeout: 2 ** 31 + 5 })),
        track('Lock.acquire', lock.acquire({ timeout: 2 ** 32 })),
        track('Semaphore.acquire', sem.acquire({ timeout: 2 ** 33 })),
        track('Barrier.wait', barrier.wait({ timeout: 2 ** 31 })),
      ];
      await delay(100);
      deepEqual(settled, [], 'none of the long waits ended early');
      await event.set();
      await q.put(7);
      await lock.release();
      await sem.release();
      const last = await barrier.wait();
      deepEqual(await Promise.all(waits), [true, 7, true, true, 0]);
      equal(last, 1);
    });

    h.it('a managed Value stores what a local Value of its type stores, for every type and typecode', async () => {
      await using manager = await Manager.start();
      // What each type stores for a number, computed the way a local Value stores it: through its typed array.
      const cases: [TypeSpec, { of(...items: number[]): ArrayLike<number> }, number[]][] = [
        ['i8', Int8Array, [200, -129, 1.9]], ['b', Int8Array, [128, -1.5]],
        ['u8', Uint8Array, [300, -1, 2.7]], ['B', Uint8Array, [300, 256]],
        ['i16', Int16Array, [40000, -32769]], ['h', Int16Array, [32768]],
        ['u16', Uint16Array, [70000, -1]], ['H', Uint16Array, [65536]],
        ['i32', Int32Array, [1.5, 2147483648, -2147483649]], ['i', Int32Array, [4294967295]],
        ['u32', Uint32Array, [-1, 4294967296.5]], ['I', Uint32Array, [-2]],
        ['f32', Float32Array, [0.1, 1e40, 16777217]], ['f', Float32Array, [1 / 3]],
        ['f64', Float64Array, [0.1, 1e300]], ['d', Float64Array, [1 / 3]],
      ];
      for (const [type, Typed, samples] of cases) {
        const v = await manager.Value(type as 'i32', samples[0]);
        equal(await v.get(), Typed.of(samples[0]!)[0], `${type}: initial ${samples[0]}`);
        for (const n of samples) {
          await v.set(n);
          equal(await v.get(), Typed.of(n)[0], `${type}: set(${n})`);
        }
      }
      const i32 = await manager.Value('i32', 2147483647);
      equal(await i32.add(1), 2147483647);
      equal(await i32.get(), -2147483648, 'add wraps as Atomics.add');
      equal(await i32.sub(1), -2147483648);
      equal(await i32.get(), 2147483647, 'sub wraps as Atomics.sub');
      const u8 = await manager.Value('B', 300);
      equal(await u8.get(), 44);
      equal(await u8.compareExchange(300, 7), 44, 'expected is converted to the type, as Atomics.compareExchange does');
      equal(await u8.get(), 7);
      equal(await u8.add(250), 7);
      equal(await u8.get(), 1);
      const q = await manager.Value('q', 2n ** 63n);
      equal(await q.get(), -(2n ** 63n));
      equal(await q.sub(1n), -(2n ** 63n));
      equal(await q.get(), 2n ** 63n - 1n);
      const u64 = await manager.Value('Q', -1n);
      equal(await u64.get(), 2n ** 64n - 1n);
      equal(await u64.add(2n), 2n ** 64n - 1n);
      equal(await u64.get(), 1n);
      const f = await manager.Value('f64', 1.5);
      await rejects(f.add(1), TypeError, /^add\(\) needs an integer type; this Value holds 'f64'$/);
      await rejects(f.compareExchange(1.5, 2), TypeError, /^compareExchange\(\) needs an integer type/);
      equal(await f.get(), 1.5);
      await rejects(i32.set(1n as never), TypeError, /value must be a number for type 'i32', got 1n/);
    });

    h.it('a value that cannot be cloned is refused at the call, naming the argument, here and in a worker', async () => {
      await using manager = await Manager.start();
      const d = await manager.dict<string, unknown>();
      const l = await manager.list<unknown>();
      const q = await manager.Queue<unknown>();
      const ns = await manager.Namespace();
      await rejectsAtCall(() => d.set('k', () => 1), TypeError, /^value could not be cloned \(function\)$/);
      await rejectsAtCall(() => d.set(Symbol('k') as never, 1), TypeError, /^key could not be cloned \(symbol\)$/);
      await rejectsAtCall(() => q.put(Symbol('s')), TypeError, /^item could not be cloned \(symbol\)$/);
      await rejectsAtCall(() => q.putNowait({ deep: [1, () => 1] }), TypeError, /^item\.deep\[1\] could not be cloned \(function\)$/);
      await rejectsAtCall(() => l.append({ f() {} }), TypeError, /^value\.f could not be cloned \(function\)$/);
      await rejectsAtCall(() => l.extend([1, Symbol('x')]), TypeError, /^values\[1\] could not be cloned \(symbol\)$/);
      await rejectsAtCall(() => ns.set('x', () => 1), TypeError, /^value could not be cloned \(function\)$/);
      await rejectsAtCall(() => manager.dict([['k', () => 1]]), TypeError, /^entries\[0\]\[1\] could not be cloned \(function\)$/);
      await rejectsAtCall(() => manager.list([1, () => 1]), TypeError, /^items\[1\] could not be cloned \(function\)$/);
      equal(await d.has('k'), false);
      equal(await q.qsize(), 0);
      equal(await l.length(), 0);
      const pool = new Pool({ processes: 1, context });
      try {
        const seen = await pool.apply(fx.managedRefusals, [d, q]);
        deepEqual(seen, ['TypeError: value could not be cloned (function)', 'TypeError: item could not be cloned (symbol)', 'resolved false']);
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('a call after shutdown rejects with an MpError, here and in a worker', async () => {
      const manager = await Manager.start();
      const d = await manager.dict<string, unknown>([['k', 1]]);
      const pool = new Pool({ processes: 1, context });
      try {
        equal(await pool.apply(fx.managedGetAfterShutdown, [d]), 'resolved 1');
        await manager.shutdown();
        const error = await rejectsAtCall(() => d.get('k'), MpError, /was shut down/);
        ok(MpError.isInstance(error));
        await rejectsAtCall(() => manager.dict(), MpError, /shut down/);
        ok(/^MpError: .*was shut down.* \(MpError: true\)$/.test(await pool.apply(fx.managedGetAfterShutdown, [d])));
      } finally {
        await pool.terminate();
      }
    }, 60_000);

    h.it('factory, register and proxy options are checked by name, as new Queue() checks them', async () => {
      await using manager = await Manager.start();
      await rejectsAtCall(() => manager.Queue({ maxsiez: 1 } as never), TypeError, /^unknown option "maxsiez" for manager\.Queue; the options are maxsize$/);
      await rejectsAtCall(() => manager.JoinableQueue({ maxSize: 1 } as never), TypeError, /^unknown option "maxSize" for manager\.JoinableQueue; the options are maxsize$/);
      await rejectsAtCall(() => manager.Barrier(2, { timeuot: 5 } as never), TypeError, /^unknown option "timeuot" for manager\.Barrier; the options are action, timeout$/);
      throws(() => manager.register('Z', class Z { x(): void {} }, { expose: ['x'] } as never), TypeError, /^unknown option "expose" for manager\.register; the options are exposed$/);
      equal('Z' in manager, false, 'nothing was registered');
      const q = await manager.Queue<number>();
      await q.put(1);
      const lock = await manager.Lock();
      const event = await manager.Event();
      const cond = await manager.Condition();
      await rejectsAtCall(() => within(q.get({ timeuot: 5 } as never), 'Queue.get'), TypeError, /^unknown option "timeuot" for Queue\.get\(\); the options are timeout, blocking$/);
      await rejectsAtCall(() => within(q.put(2, { blockin: false } as never), 'Queue.put'), TypeError, /^unknown option "blockin" for Queue\.put\(\); the options are timeout, blocking$/);
      await rejectsAtCall(() => within(lock.acquire({ timeuot: 5 } as never), 'Lock.acquire'), TypeError, /^unknown option "timeuot" for Lock\.acquire\(\)/);
      await rejectsAtCall(() => within(event.wait({ blocking: false } as never), 'Event.wait'), TypeError, /^unknown option "blocking" for Event\.wait\(\); the options are timeout$/);
      await rejectsAtCall(() => within(cond.waitFor(() => true, { timout: 5 } as never), 'Condition.waitFor'), TypeError, /^unknown option "timout" for Condition\.waitFor\(\)/);
      equal(await q.qsize(), 1, 'nothing was taken or put');
      equal(await lock.locked(), false);
    });

    h.it('proxy methods are bound: items.map(list.append) and const { put } = queue work, as Python\'s bound methods', async () => {
      /* eslint-disable @typescript-eslint/unbound-method -- the point: a proxy's methods are bound */
      await using manager = await Manager.start();
      const l = await manager.list<number>();
      await Promise.all([1, 2].map(l.append));
      const { append, toArray } = l;
      await append(3);
      deepEqual((await toArray()).sort(), [1, 2, 3]);
      const q = await manager.Queue<number>();
      const { put, get } = q;
      await put(7);
      equal(await get(), 7);
      const d = await manager.dict<string, number>();
      const { set } = d;
      await set('k', 1);
      equal(await d.get('k'), 1);
      const lock = await manager.Lock();
      const { acquire, release, withLock } = lock;
      ok(await acquire());
      await release();
      equal(await withLock(() => 5), 5);
      const jq = await manager.JoinableQueue<number>();
      const { put: jput, taskDone, join } = jq;
      await jput(1);
      equal(await jq.get(), 1);
      await taskDone();
      equal(await join({ timeout: 1_000 }), true);
      /* eslint-enable @typescript-eslint/unbound-method */
    });

    h.it('a list or Array index that is not an integer is a TypeError naming it; one outside is a RangeError', async () => {
      await using manager = await Manager.start();
      const l = await manager.list([1, 2]);
      await rejects(l.get('a' as never), TypeError, /^index must be an integer, got "a" \(string\)$/);
      await rejects(l.get(0.5), TypeError, /^index must be an integer, got 0\.5$/);
      await rejects(l.set('0' as never, 9), TypeError, /^index must be an integer, got "0" \(string\)$/);
      await rejects(l.get(2), RangeError, /^list index out of range: 2 \(length 2\)$/);
      equal(await l.get(-2), 1);
      const a = await manager.Array('i32', [5, 6]);
      await rejects(a.get('0' as never), TypeError, /^index must be an integer, got "0" \(string\)$/);
      await rejects(a.set(1n as never, 1), TypeError, /^index must be an integer, got 1n \(bigint\)$/);
      await rejects(a.get(2), RangeError, /^index must be an integer from -2 to 1, got 2$/);
      deepEqual(await l.toArray(), [1, 2]);
      deepEqual(await a.toArray(), [5, 6]);
    });

    h.it("dict() and list() take what Python's take, and name a bad argument and the value received", async () => {
      await using manager = await Manager.start();
      await rejectsAtCall(() => manager.dict(5 as never), TypeError, /^entries must be a mapping \(a Map or a plain object\) or an iterable of \[key, value\] pairs, got 5$/);
      await rejectsAtCall(() => manager.dict(null as never), TypeError, /got null$/);
      await rejectsAtCall(() => manager.dict([['a', 1, 2]] as never), TypeError, /^entries\[0\] must be a \[key, value\] pair, got an array of length 3$/);
      await rejectsAtCall(() => manager.dict([7] as never), TypeError, /^entries\[0\] must be a \[key, value\] pair, got 7$/);
      await rejectsAtCall(() => manager.list(5 as never), TypeError, /^items must be an iterable, got 5$/);
      const l = await manager.list<unknown>();
      await rejectsAtCall(() => l.extend(5 as never), TypeError, /^values must be an iterable, got 5$/);
      await rejectsAtCall(() => l.extend({ length: 1, 0: 'x' } as never), TypeError, /^values must be an iterable, got an object$/);
      // Python: dict(mapping), dict(iterable of pairs), list(iterable); l.extend(iterable).
      deepEqual(await (await manager.dict({ a: 1, b: 2 })).entries(), [['a', 1], ['b', 2]]);
      deepEqual(await (await manager.dict(new Map([[1, 'one']]))).entries(), [[1, 'one']]);
      deepEqual(await (await manager.dict((function* () { yield ['x', 1] as const; })())).entries(), [['x', 1]]);
      deepEqual(await (await manager.dict(['ab'] as never)).entries(), [['a', 'b']]);
      deepEqual(await (await manager.list('abc')).toArray(), ['a', 'b', 'c']);
      deepEqual(await (await manager.list(new Set([1, 2]))).toArray(), [1, 2]);
      await l.extend(new Set([1, 2]));
      await l.extend((function* () { yield 3; })());
      await l.extend([4]);
      deepEqual(await l.toArray(), [1, 2, 3, 4]);
    });
  });
}

/** Resolves or rejects as `p` does, or rejects if it has not settled within 2 s (a call that waits forever). */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  return settlesWithin(p, 2_000, what).then((r) => (r.status === 'fulfilled' ? r.value : Promise.reject(r.reason as Error)));
}
