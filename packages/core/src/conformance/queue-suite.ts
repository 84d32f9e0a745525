/**
 * Conformance: `Queue`, `JoinableQueue`, `SimpleQueue` and `Pipe` used across
 * workers (API.md section 4). Where the context shares no memory (child
 * processes), passing them is refused with an error naming Manager.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { MpError, TimeoutError } from '../errors.js';
import { JoinableQueue } from '../sync/joinable-queue.js';
import { Pipe, type Connection } from '../sync/pipe.js';
import { Queue } from '../sync/queue.js';
import { SimpleQueue } from '../sync/simple-queue.js';
import { deepEqual, equal, ok, rejects, throws, rejectsAtCall } from './assert.js';

/** A value described as plain data, so `deepEqual` can compare Maps, typed arrays, -0, shared references… */
function canon(v: unknown, seen = new Map<object, number>()): unknown {
  switch (typeof v) {
    case 'undefined':
      return { undefined: true };
    case 'bigint':
      return { bigint: v.toString() };
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { number: Object.is(v, -0) ? '-0' : String(v) };
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null) return null;
  const ref = seen.get(v);
  if (ref !== undefined) return { ref };
  seen.set(v, seen.size);
  if (Array.isArray(v)) return v.map((x) => canon(x, seen));
  if (v instanceof Date) return { date: v.getTime() };
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [canon(k, seen), canon(x, seen)]) };
  if (v instanceof Set) return { set: [...v].map((x) => canon(x, seen)) };
  if (v instanceof RegExp) return { regexp: String(v) };
  if (v instanceof Error) {
    const e = v as Error & Record<string, unknown>;
    return { error: e.constructor.name, name: e.name, message: e.message, stack: e.stack, code: canon(e.code, seen), cause: canon(e.cause, seen) };
  }
  if (v instanceof ArrayBuffer) return { arrayBuffer: [...new Uint8Array(v)] };
  if (ArrayBuffer.isView(v)) return { view: v.constructor.name, bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)] };
  const o = v as Record<string, unknown>;
  return { object: Object.keys(o).map((k) => [k, canon(o[k], seen)]) };
}

/** One of each kind of value a queue carries. */
function samples(): unknown[] {
  const shared = { shared: true };
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const buffer = new ArrayBuffer(16);
  return [
    undefined, null, true, false, 0, -0, 42, -7.25, NaN, Infinity, -Infinity, 2 ** 53 + 2,
    0n, -(2n ** 100n), 'plain', '', 'ünïcödé 日本 😀', 'long '.repeat(5_000),
    [1, [2, [3]], 'x'], { a: 1, nested: { b: [true, null] } },
    new Date(1_700_000_000_000), new Map<unknown, unknown>([['k', 1], [2, { v: 2 }]]), new Set([1, 'two', 3n]), /ab+c/gi,
    Object.assign(new TypeError('bad', { cause: new RangeError('inner') }), { code: 'E_BAD' }),
    new Uint8Array([1, 2, 3]).buffer,
    new Int8Array([-1]), new Uint8Array([255]), new Uint8ClampedArray([7]), new Int16Array([-2]), new Uint16Array([65_535]),
    new Int32Array([-3]), new Uint32Array([4_000_000_000]), new Float32Array([0.5]), new Float64Array([Math.E]),
    new BigInt64Array([-5n]), new BigUint64Array([2n ** 64n - 1n]), new DataView(new Uint8Array([4, 5, 6]).buffer, 1),
    [shared, shared, { again: shared }], cyclic, [new Uint8Array(buffer), new Float64Array(buffer)],
  ];
}

export function queueSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;
  const withPool = async (processes: number, body: (pool: InstanceType<typeof Pool>) => Promise<void>): Promise<void> => {
    const pool = new Pool({ processes, context });
    try {
      await body(pool);
    } finally {
      await pool.terminate();
    }
  };

  if (!(h.features.sharedArrayBuffer ?? true)) {
    h.skip('queues and pipes: Queue, JoinableQueue, SimpleQueue and Pipe', 'no SharedArrayBuffer here: they cannot be made (the page is not cross-origin isolated)');
    return;
  }

  if (!(h.features.sharedMemory ?? true)) {
    h.it('passing a Queue, JoinableQueue, SimpleQueue or Pipe end to this context is refused, naming Manager', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        throws(() => new Process({ target: fx.echo, args: [new Queue()], context }), TypeError, /^args\[0\] is a Queue, .*Manager/);
        await rejectsAtCall(() => pool.apply(fx.echo, [{ q: new JoinableQueue() }]), TypeError, /^args\[0\]\.q is a JoinableQueue, .*Manager/);
        await rejectsAtCall(() => pool.map(fx.echo, [1, new SimpleQueue()]), TypeError, /^iterable\[1\] is a SimpleQueue/);
        throws(() => new Process({ target: fx.sleepThen, args: [0, Pipe()[1]], context }), TypeError, /^args\[1\] is a Connection, .*Manager/);
        // Inside a Map or a Set too (they were sent as empty objects).
        await rejectsAtCall(() => pool.apply(fx.echo, [new Map([['q', new Queue()]])]), TypeError, /^args\[0\]\.get\("q"\) is a Queue, .*Manager/);
        await rejectsAtCall(() => pool.apply(fx.echo, [new Set([new Queue()])]), TypeError, /^args\[0\]\.values\(\)\[0\] is a Queue, .*Manager/);
        // imap reads its input as it goes: the refusal names the item's own index (it named the next one).
        const drain = async (it: AsyncIterable<unknown>): Promise<void> => {
          for await (const _ of it) void _;
        };
        await rejects(drain(pool.imap(fx.echo, [1, 2, new Queue()])), TypeError, /^iterable\[2\] is a Queue, /);
        await rejects(drain(pool.imapUnordered(fx.echo, [new Queue()])), TypeError, /^iterable\[0\] is a Queue, /);
        // Behind a cycle too (the walk went round it until the stack overflowed).
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic; // walked before the Queue
        cyclic.q = new Queue();
        await rejectsAtCall(() => pool.apply(fx.echo, [cyclic]), TypeError, / is a Queue, .*Manager/);
      } finally {
        await pool.terminate();
      }
    });
    return;
  }

  h.describe('queues and pipes across workers', () => {
    h.it('a Queue behind a cycle in an argument (o.self.q) is the same Queue in the worker, cycle kept', () =>
      withPool(1, async (pool) => {
        const q = new Queue<number>();
        type Cyclic = { n: number; self: Cyclic | undefined; q: Queue<number> };
        const o: Cyclic = { n: 5, self: undefined, q };
        o.self = o;
        equal(await pool.apply(fx.cyclePut, [o]), true);
        equal(await q.get({ timeout: 5_000 }), 5);
        // Deeper than the quick walk goes (it then keeps what it has seen).
        let deep: { next?: unknown; q?: Queue<number> } = { q };
        for (let i = 0; i < 300; i++) deep = { next: deep };
        const putAtBottom = async (x: { next?: unknown; q?: Queue<number> }): Promise<void> => {
          let d = x;
          while (d.next) d = d.next;
          await d.q!.put(6);
        };
        await pool.apply(putAtBottom, [deep]);
        equal(await q.get({ timeout: 5_000 }), 6);
        const p = new Process({ target: fx.cyclePut, args: [{ n: 8, self: { q } }], context }).start();
        await p.join();
        equal(p.exitCode, 0);
        equal(await q.get({ timeout: 5_000 }), 8);
      }),
    );

    h.it('a class instance crosses a Queue and a Pipe as structuredClone (and a task argument) sends it: own properties, a plain object', async () => {
      class Point {
        x = 1;
        constructor(readonly y: number) {}
        get sum(): number {
          return this.x + this.y;
        }
      }
      const value = { p: new Point(2), list: [new Point(3)] };
      const q = new Queue<unknown>();
      await q.put(value);
      const got = await q.get({ timeout: 5_000 });
      deepEqual(got, structuredClone(value));
      deepEqual(got, { p: { x: 1, y: 2 }, list: [{ x: 1, y: 3 }] });
      const [a, b] = Pipe<unknown>();
      await a.send(new Point(4));
      deepEqual(await b.recv({ timeout: 5_000 }), { x: 1, y: 4 });
      a.close();
    });

    h.it('a misspelt option of get, put, join or recv is named, not ignored (it waited with no limit)', async () => {
      await rejectsAtCall(() => new Queue().get({ timout: 100 } as never), TypeError, /^options\.timout is not an option here; expected one of timeout, blocking$/);
      throws(() => new Queue().getSync({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      const full = new Queue({ maxsize: 1 });
      full.putNowait(1);
      await rejectsAtCall(() => full.put(2, { timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      const jq = new JoinableQueue();
      jq.putNowait(1);
      await rejectsAtCall(() => jq.join({ timout: 100 } as never), TypeError, /^options\.timout is not an option here; expected only timeout$/);
      const [a] = Pipe();
      await rejectsAtCall(() => a.recv({ timout: 100 } as never), TypeError, /^options\.timout is not an option here/);
      a.close();
    });

    h.it('a Queue inside a Map or a Set argument is the same Queue in the worker', () =>
      withPool(1, async (pool) => {
        const q = new Queue<string>();
        const putAll = async (m: Map<string, Queue<string>>, s: Set<Queue<string>>): Promise<void> => {
          await m.get('q')!.put('via a Map');
          for (const queue of s) await queue.put('via a Set');
        };
        await pool.apply(putAll, [new Map([['q', q]]), new Set([q])]);
        deepEqual([await q.get({ timeout: 10_000 }), await q.get({ timeout: 10_000 })], ['via a Map', 'via a Set']);
      }),
    );

    h.it('every kind of value round-trips through a Queue between workers', () =>
      withPool(1, async (pool) => {
        const there = new Queue();
        const back = new Queue();
        const values = samples();
        for (const v of values) await there.put(v);
        equal(await pool.apply(fx.relayQueue, [there, back, values.length]), values.length);
        const got: unknown[] = [];
        for (let i = 0; i < values.length; i++) got.push(await back.get({ timeout: 30_000 }));
        ok(back.empty() && there.empty(), 'both queues drained');
        for (let i = 0; i < values.length; i++) deepEqual(canon(got[i]), canon(values[i]), `value ${i}`);
      }),
    );

    h.it('only maxsize bounds a Queue: 100,000 items and a 3 MB one go in before any get, through a worker and back; a 3 MB Pipe message both ways', () =>
      withPool(1, async (pool) => {
        // Python's queues buffer whatever is put until it is taken; the shared buffer grows (1 MiB at first here).
        const there = new Queue<unknown>();
        const back = new Queue<unknown>();
        const big = 'b'.repeat(3_000_000);
        const n = 100_000;
        for (let i = 0; i < n; i++) there.putNowait({ i });
        there.putNowait(big);
        equal(there.qsize(), n + 1, 'items in before any get');
        equal(await pool.apply(fx.relayQueue, [there, back, n + 1]), n + 1);
        equal(back.qsize(), n + 1, 'items the worker put back before any get here');
        for (let i = 0; i < n; i++) {
          const item = back.getNowait() as { i: number };
          if (item.i !== i) equal(item.i, i, 'items in order');
        }
        equal(back.getNowait(), big, 'the 3 MB item');
        ok(back.empty() && there.empty(), 'both queues drained');
        const [a, b] = Pipe<unknown>();
        const bytes = new Uint8Array(3_000_000).map((_, i) => i % 251);
        await a.send(bytes);
        equal(await pool.apply(fx.pipeEcho, [b, 1]), 1);
        deepEqual(await a.recv({ timeout: 30_000 }), bytes, 'the 3 MB message, echoed');
      }),
      120_000,
    );

    h.it('a Queue({ bufferSize: 64 }) grows while 2 workers put and 2 take: every item seen once, each producer\'s in order', () =>
      withPool(4, async (pool) => {
        const q = new Queue<number | null>({ bufferSize: 64 });
        const consumers = [pool.apply(fx.queueConsumer, [q]), pool.apply(fx.queueConsumer, [q])];
        deepEqual(await Promise.all([0, 1].map((p) => pool.apply(fx.queueProducer, [q, p, 20_000]))), [20_000, 20_000]);
        const seen = new Set<number>();
        for (const take of await Promise.all(consumers)) {
          const last = [-1, -1];
          for (const item of take) {
            const p = Math.floor(item / 1e6);
            const i = item % 1e6;
            ok(i > last[p]!, `producer ${p}'s items in order, got ${i} after ${last[p]}`);
            last[p] = i;
            seen.add(item);
          }
        }
        equal(seen.size, 40_000, 'distinct items');
        ok(q.empty(), 'nothing left');
      }),
      120_000,
    );

    h.it('MPMC: 4 producers × 25,000 items through Queue({ maxsize: 64 }) to 4 consumers, each seen exactly once', () =>
      withPool(8, async (pool) => {
        const q = new Queue<number | null>({ maxsize: 64 });
        const consumers = Array.from({ length: 4 }, () => pool.apply(fx.queueConsumer, [q]));
        const producers = Array.from({ length: 4 }, (_, p) => pool.apply(fx.queueProducer, [q, p, 25_000]));
        deepEqual(await Promise.all(producers), [25_000, 25_000, 25_000, 25_000]);
        const takes = await Promise.all(consumers);
        const seen = new Set<number>();
        let total = 0;
        for (const take of takes) {
          const last = [-1, -1, -1, -1];
          for (const item of take) {
            const p = Math.floor(item / 1e6);
            const i = item % 1e6;
            ok(p >= 0 && p < 4 && i < 25_000, `an item that was put, got ${item}`);
            ok(i > last[p]!, `producer ${p}'s items in order, got ${i} after ${last[p]}`);
            last[p] = i;
            seen.add(item);
            total++;
          }
        }
        equal(total, 100_000, 'items taken');
        equal(seen.size, 100_000, 'distinct items');
        ok(q.empty(), 'nothing left');
      }),
      120_000,
    );

    h.it('putNowait and getNowait from 4 workers at once: no Full while there is room, no Empty while items are left', () =>
      withPool(4, async (pool) => {
        const q = new Queue<number>();
        const puts = await Promise.all([0, 1, 2, 3].map((p) => pool.apply(fx.nowaitProducer, [q, p, 5_000])));
        deepEqual(puts, [0, 1, 2, 3].map(() => ({ put: 5_000, threw: [] })), 'every putNowait went in');
        equal(q.qsize(), 20_000, 'items in the queue');
        const takes = await Promise.all([0, 1, 2, 3].map(() => pool.apply(fx.nowaitConsumer, [q])));
        const seen = new Set<number>();
        for (const take of takes) {
          equal(take.error, 'Empty', 'each consumer stops on Empty');
          equal(take.leftAtEmpty, 0, 'items left when getNowait threw Empty');
          for (const item of take.got) seen.add(item);
        }
        equal(seen.size, 20_000, 'distinct items taken');
        ok(q.empty(), 'nothing left');
      }),
      120_000,
    );

    h.it('JoinableQueue: join() resolves once workers marked every item done', () =>
      withPool(2, async (pool) => {
        const q = new JoinableQueue<number>();
        for (let i = 1; i <= 200; i++) await q.put(i);
        equal(await q.join({ timeout: 50 }), false, 'not joined before any work');
        const work = [pool.apply(fx.joinableConsumer, [q, 100]), pool.apply(fx.joinableConsumer, [q, 100])];
        ok(await q.join({ timeout: 60_000 }), 'joined');
        const sums = await Promise.all(work);
        equal(sums[0]! + sums[1]!, 20_100);
        throws(() => q.taskDone(), MpError, /more times/);
      }),
    );

    h.it('a worker stopped while it waits in get, put or recv leaves the Queue, SimpleQueue and Pipe usable by the rest', () =>
      withPool(1, async (pool) => {
        // A pool task past its timeout is stopped mid-wait; the waiting receiver (sender) held the channel's
        // mutex, so every later get (put) waited on it for good, or gave up with Empty while items were there.
        const q = new Queue<string>();
        await rejects(pool.apply(async (x: Queue<string>) => x.get(), [q], { timeout: 300 }), TimeoutError, /timed out/);
        await q.put('after');
        equal(await q.get({ timeout: 5_000 }), 'after');
        // A worker blocked in a …Sync wait. Deno and Chromium do not end the wait when they stop a worker: woken
        // by the next put, it took that item as it ended (its parent now marks it stopped first: wait.ts).
        await rejects(pool.apply((x: Queue<string>) => x.getSync(), [q], { timeout: 300 }), TimeoutError, /timed out/);
        await q.put('after a blocked get');
        equal(await q.get({ timeout: 5_000 }), 'after a blocked get');
        equal(await pool.apply((x: Queue<string>) => { x.putSync('from a worker'); return x.qsize(); }, [q]), 1);
        equal(await q.get({ timeout: 5_000 }), 'from a worker');
        const full = new Queue<number>({ maxsize: 1 });
        full.putNowait(1);
        await rejects(pool.apply((x: Queue<number>) => x.putSync(2), [full], { timeout: 300 }), TimeoutError, /timed out/);
        equal(full.getNowait(), 1);
        await full.put(3, { timeout: 5_000 });
        equal(await full.get({ timeout: 5_000 }), 3);
        const sq = new SimpleQueue<string>();
        await rejects(pool.apply((x: SimpleQueue<string>) => x.getSync(), [sq], { timeout: 300 }), TimeoutError, /timed out/);
        await sq.put('simple');
        equal(await sq.get({ timeout: 5_000 }), 'simple');
        const [a, b] = Pipe<string>();
        await rejects(pool.apply((end: Connection<string>) => end.recvSync(), [b], { timeout: 300 }), TimeoutError, /timed out/);
        await a.send('piped');
        equal(await b.recv({ timeout: 5_000 }), 'piped');
      }),
    );

    h.it('a Queue and a SimpleQueue reach a Process target as the same queue, FIFO', async () => {
      for (const q of [new Queue<number | null>({ maxsize: 8 }), new SimpleQueue<number | null>()]) {
        const p = new Process({ target: fx.queueProducer, args: [q, 3, 500], context }).start();
        const got: (number | null)[] = [];
        for (let i = 0; i <= 500; i++) got.push(await q.get({ timeout: 30_000 }));
        await p.join();
        equal(p.exitCode, 0);
        deepEqual(got, [...Array.from({ length: 500 }, (_, i) => 3e6 + i), null]);
      }
    });

    h.it('Pipe: send, recv and poll across a worker, both ways', () =>
      withPool(1, async (pool) => {
        const [a, b] = Pipe();
        const echo = pool.apply(fx.pipeEcho, [b, 3]);
        const sent = [{ n: 1 }, 'two', new Map([[3, 3n]])];
        for (const v of sent) void a.send(v);
        ok(await a.poll(30_000), 'poll sees the echo coming');
        const got = [await a.recv({ timeout: 30_000 }), await a.recv({ timeout: 30_000 }), await a.recv({ timeout: 30_000 })];
        deepEqual(canon(got), canon(sent));
        equal(await echo, 3);
        equal(await pool.apply(fx.pipePollSync, [b, 20]), false, 'nothing to read in the worker');
        await a.send('now');
        equal(await pool.apply(fx.pipePollSync, [b, 30_000]), true, 'now something');
      }),
    );

    h.it('Pipe({ duplex: false }): a worker writes and closes; recv drains, then rejects instead of hanging', () =>
      withPool(1, async (pool) => {
        const [reader, writer] = Pipe<unknown>({ duplex: false });
        const values = [1, 'two', { three: [3] }];
        equal(await pool.apply(fx.pipeSendAll, [writer, values, true]), 3);
        const got = [await reader.recv(), await reader.recv(), await reader.recv()];
        deepEqual(got, values);
        ok(await reader.poll(), 'poll says recv will not wait');
        await rejects(reader.recv({ timeout: 30_000 }), MpError, /the other end of the pipe was closed/);
        await rejectsAtCall(() => reader.send(1), MpError, /reading end of a one-way Pipe/);
      }),
    );

    h.it('a recv waiting in a worker rejects when the parent closes its end', () =>
      withPool(1, async (pool) => {
        const [a, b] = Pipe();
        const draining = pool.apply(fx.pipeDrain, [b]);
        await a.send(1);
        await a.send(2);
        a.close();
        deepEqual(await draining, { values: [1, 2], error: 'the other end of the pipe was closed' });
      }),
    );
  });
}
