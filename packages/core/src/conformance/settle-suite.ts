/**
 * Conformance: every promise and iteration mp hands out settles, and a method that
 * returns one never throws (API.md section 7). Regression tests for three defects
 * users hit: `imap` over an empty input never ended; calls after `close()`, with bad
 * arguments or with a throwing input threw instead of rejecting; `map` refused
 * async iterables.
 */
import type { Harness } from './harness.js';
import { fx } from './harness.js';
import { PoolClosedError, RemoteError } from '../errors.js';
import { deepEqual, delay, equal, ok, rejects, rejectsAtCall, settlesWithin } from './assert.js';

/** Long enough for a loaded CI machine, far shorter than the test's own timeout. */
const BOUND = 15_000;

function* none(): Generator<number> {}
 
async function* noneAsync(): AsyncGenerator<number> {}
async function* countAsync(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await Promise.resolve();
    yield i;
  }
}
function* throwsAt(n: number, error: Error): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
  throw error;
}
async function* rejectsAt(n: number, error: Error): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield await Promise.resolve(i);
  throw error;
}

/** Collects an iteration, failing the test if it has not ended within the bound. */
async function collect<T>(iteration: AsyncIterable<T>, what: string): Promise<T[]> {
  const run = (async () => {
    const out: T[] = [];
    for await (const value of iteration) out.push(value);
    return out;
  })();
  const r = await settlesWithin(run, BOUND, what);
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

export function settleSuite(h: Harness): void {
  const { Pool, Process } = h.api;
  const context = h.context;
  const withPool = async (body: (pool: InstanceType<typeof Pool>) => Promise<void>) => {
    const pool = new Pool({ processes: 2, context });
    try {
      await body(pool);
    } finally {
      await pool.terminate();
    }
  };

  h.describe('every promise settles', () => {
    h.it('imap and imapUnordered over an empty input end at once (array, generator, async generator)', () =>
      withPool(async (pool) => {
        for (const method of ['imap', 'imapUnordered'] as const) {
          deepEqual(await collect(pool[method](fx.squ, []), `${method}([])`), []);
          deepEqual(await collect(pool[method](fx.squ, none()), `${method}(empty generator)`), []);
          deepEqual(await collect(pool[method](fx.squ, noneAsync()), `${method}(empty async generator)`), []);
          deepEqual(await collect(pool[method](fx.squ, [], { chunksize: 5 }), `${method}([], chunksize 5)`), []);
        }
        deepEqual(await pool.map(fx.squ, none()), [], 'map of an empty generator');
        equal(await pool.apply(fx.squ, [4]), 16, 'the pool goes on');
      }),
    );

    h.it('imap over one item, and over an input that ends exactly at a chunk boundary, ends', () =>
      withPool(async (pool) => {
        deepEqual(await collect(pool.imap(fx.squ, [3]), 'imap([3])'), [9]);
        deepEqual(await collect(pool.imap(fx.squ, [1, 2, 3, 4], { chunksize: 2 }), 'imap(4 items, chunksize 2)'), [1, 4, 9, 16]);
        deepEqual((await collect(pool.imapUnordered(fx.squ, countAsync(6), { chunksize: 3 }), 'imapUnordered')).sort((a, b) => a - b), [0, 1, 4, 9, 16, 25]);
      }),
    );

    h.it('calls on a closed or terminated pool reject (never throw), so allSettled and .catch see them', async () => {
      const pool = new Pool({ processes: 1, context });
      pool.close();
      const settled = await Promise.allSettled([
        pool.apply(fx.squ, [1]),
        pool.map(fx.squ, [1]),
        pool.starmap(fx.add, [[1, 2]]),
      ]);
      for (const s of settled) ok(s.status === 'rejected' && s.reason instanceof PoolClosedError, 'each call rejected with PoolClosedError');
      await rejectsAtCall(() => pool.imap(fx.squ, [1]), PoolClosedError, /close\(\)/);
      await rejectsAtCall(() => pool.imapUnordered(fx.squ, [1]), PoolClosedError, /close\(\)/);
      await settlesWithin(pool.join(), BOUND, 'join');
      const terminated = new Pool({ processes: 1, context });
      await terminated.terminate();
      await rejectsAtCall(() => terminated.apply(fx.squ, [1]), PoolClosedError, /terminate\(\)/);
      await rejectsAtCall(() => terminated.imap(fx.squ, [1]), PoolClosedError, /terminate\(\)/);
    });

    h.it("a pool's methods work taken off it, as Python's bound methods do (they threw at the call)", () =>
      withPool(async (pool) => {
        // eslint-disable-next-line @typescript-eslint/unbound-method -- the point: they are bound
        const { apply, map, starmap, imap } = pool;
        equal(await apply(fx.squ, [3]), 9);
        deepEqual(await map(fx.squ, [1, 2]), [1, 4]);
        deepEqual(await starmap(fx.add, [[1, 2]]), [3]);
        deepEqual(await collect(imap(fx.squ, [4]), 'an unbound imap'), [16]);
        deepEqual(await Promise.all([5, 6].map((n) => apply(fx.squ, [n]))), [25, 36]);
      }),
    );

    h.it('a failed imap call reports once, then its iteration is done', async () => {
      const pool = new Pool({ processes: 1, context });
      await pool.terminate();
      const it = pool.imap(fx.squ, [1]);
      await rejects(it.next(), PoolClosedError);
      deepEqual(await it.next(), { done: true, value: undefined });
    });

    h.it('bad arguments to a call reject with the named error, and the pool goes on', () =>
      withPool(async (pool) => {
        await rejectsAtCall(() => pool.apply(fx.squ, 3 as never), TypeError, /^args must be an array, got 3$/);
        await rejectsAtCall(() => pool.map(fx.squ, 5 as never), TypeError, /^iterable must be an iterable or async iterable .* got 5$/);
        await rejectsAtCall(() => pool.imap(fx.squ, 5 as never), TypeError, /^iterable must be an iterable or async iterable, got 5$/);
        await rejectsAtCall(() => pool.map(fx.squ, noneAsync(), { chunksize: 0 }), RangeError, /^chunksize must be an integer >= 1, got 0$/);
        await rejectsAtCall(() => pool.map('nope' as never, countAsync(2)), TypeError, /^fn must be a function/);
        equal(await pool.apply(fx.squ, [5]), 25);
      }),
    );

    h.it('map and starmap over an input that throws reject with that error; the pool stays usable', () =>
      withPool(async (pool) => {
        const boom = new Error('input broke at 3');
        await rejectsAtCall(() => pool.map(fx.squ, throwsAt(3, boom)), Error, /^input broke at 3$/);
        const viaCatch = await pool.map(fx.squ, throwsAt(0, boom)).catch((e: unknown) => e);
        equal(viaCatch, boom, '.catch() receives the input\'s own error');
        await rejectsAtCall(() => pool.map(fx.squ, rejectsAt(2, boom)), Error, /^input broke at 3$/);
        await rejectsAtCall(() => pool.starmap(fx.add, rejectsAt(0, boom) as never), Error, /^input broke at 3$/);
        await rejects(collect(pool.imap(fx.squ, throwsAt(2, boom)), 'imap of a throwing input'), Error, /^input broke at 3$/);
        deepEqual(await pool.map(fx.squ, [1, 2, 3]), [1, 4, 9], 'the pool goes on');
      }),
    );

    h.it('map and starmap take async iterables (a stream of lines, say)', () =>
      withPool(async (pool) => {
        deepEqual(await pool.map(fx.squ, countAsync(5)), [0, 1, 4, 9, 16]);
        deepEqual(await pool.map(fx.squ, countAsync(100), { chunksize: 7 }), Array.from({ length: 100 }, (_, i) => i * i));
        async function* pairs(): AsyncGenerator<[number, number]> {
          yield [1, 2];
          await Promise.resolve();
          yield [3, 4];
        }
        deepEqual(await pool.starmap(fx.add, pairs()), [3, 7]);
        await rejects(pool.map((n: number) => { if (n === 2) throw new RangeError('two'); return n; }, countAsync(4)), RemoteError, /two/);
      }),
    );

    h.it('a signal aborted while map reads an async input rejects with its reason at once and stops the input', () =>
      withPool(async (pool) => {
        const controller = new AbortController();
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let markClosed!: () => void;
        const closed = new Promise<void>((resolve) => (markClosed = resolve));
        let reached!: () => void;
        const waiting = new Promise<void>((resolve) => (reached = resolve));
        async function* stalled(): AsyncGenerator<number> {
          try {
            yield 1;
            reached();
            await gate; // an input that does not yield until released
            yield 2;
          } finally {
            markClosed();
          }
        }
        const call = pool.map(fx.squ, stalled(), { signal: controller.signal });
        await waiting;
        controller.abort(new Error('stop reading'));
        await rejects(settlesWithin(call, BOUND, 'map of a stalled input after abort').then((r) => (r.status === 'rejected' ? Promise.reject(r.reason as Error) : r.value)), Error, /^stop reading$/);
        release();
        await settlesWithin(closed, BOUND, 'the input being closed');
      }),
    );

    h.it('an imap waiting on its async input settles when the pool is terminated', async () => {
      const pool = new Pool({ processes: 1, context });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      async function* late(): AsyncGenerator<number> {
        yield 1;
        await gate;
        yield 2;
      }
      const it = pool.imap(fx.squ, late());
      deepEqual(await it.next(), { done: false, value: 1 });
      const second = settlesWithin(it.next(), BOUND, 'imap after terminate()');
      await pool.terminate();
      release();
      const r = await second;
      ok(r.status === 'rejected' && r.reason instanceof PoolClosedError, `the iteration rejected with PoolClosedError, got ${r.status}`);
    });

    h.it('close() while an imap waits for its async input: join() waits for it, and every result arrives', async () => {
      const pool = new Pool({ processes: 2, context });
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        async function* late(): AsyncGenerator<number> {
          yield 1;
          await gate;
          yield 2;
          yield 3;
        }
        const it = pool.imap(fx.squ, late());
        deepEqual(await it.next(), { done: false, value: 1 });
        pool.close();
        let joined = false;
        const join = pool.join().then(() => (joined = true));
        // Before the fix, the workers ended here (nothing was queued) and join() resolved with the imap unfinished.
        await delay(300);
        equal(joined, false, 'join() waits for the imap still reading its input');
        release();
        deepEqual(await collect(it, 'the rest of the imap'), [4, 9]);
        await settlesWithin(join, BOUND, 'join after the imap ended');
      } finally {
        await pool.terminate();
      }
    });

    h.it('map and starmap reading an async input settle when the pool is terminated, and stop the input', async () => {
      for (const star of [false, true]) {
        const pool = new Pool({ processes: 1, context });
        let markClosed!: () => void;
        const closed = new Promise<void>((resolve) => (markClosed = resolve));
        let reached!: () => void;
        const waiting = new Promise<void>((resolve) => (reached = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        async function* stalled(): AsyncGenerator<number> {
          try {
            yield 1;
            reached();
            await gate; // does not yield again until released, after the pool has ended
            yield 2;
          } finally {
            markClosed();
          }
        }
        const call = star ? pool.starmap(fx.add, (async function* () { for await (const n of stalled()) yield [n, n] as [number, number]; })()) : pool.map(fx.squ, stalled());
        const settled = settlesWithin(call, BOUND, `${star ? 'starmap' : 'map'} of a stalled input after terminate()`);
        await waiting;
        await pool.terminate();
        const r = await settled;
        ok(r.status === 'rejected' && r.reason instanceof PoolClosedError, `the call rejected with PoolClosedError, got ${r.status}: ${String(r.status === 'rejected' ? r.reason : r.value)}`);
        release();
        // The input was told to stop: released, it ends at its next yield rather than being read on.
        await settlesWithin(closed, BOUND, 'the input being closed');
      }
    });

    h.it('close() while map reads an async input: the call was accepted, so it finishes and join() waits for it', async () => {
      const pool = new Pool({ processes: 2, context });
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let reached!: () => void;
        const waiting = new Promise<void>((resolve) => (reached = resolve));
        async function* late(): AsyncGenerator<number> {
          yield 1;
          reached();
          await gate;
          yield 2;
          yield 3;
        }
        const call = pool.map(fx.squ, late());
        await waiting;
        pool.close();
        let joined = false;
        const join = pool.join().then(() => (joined = true));
        // Before the fix, join() resolved at once and the call then rejected: "pool.map() called after close()".
        await delay(300);
        equal(joined, false, 'join() waits for the map still reading its input');
        release();
        deepEqual(await call, [1, 4, 9]);
        await settlesWithin(join, BOUND, 'join after the map ended');
      } finally {
        await pool.terminate();
      }
    });

    h.it('close() while an imap consumer has paused: the consumer still gets every result, then join() resolves', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        const items = Array.from({ length: 40 }, (_, i) => i);
        const it = pool.imap(fx.squ, items);
        deepEqual(await it.next(), { done: false, value: 0 });
        pool.close();
        const rest = await collect(it, 'the paused imap after close()');
        deepEqual(rest, items.slice(1).map((i) => i * i));
        await settlesWithin(pool.join(), BOUND, 'join');
      } finally {
        await pool.terminate();
      }
    });

    h.it('breaking out of an imap on a closed pool lets join() resolve', async () => {
      const pool = new Pool({ processes: 1, context });
      try {
        function* endless(): Generator<number> {
          for (let i = 0; ; i++) yield i;
        }
        const it = pool.imap(fx.squ, endless());
        deepEqual(await it.next(), { done: false, value: 0 });
        pool.close();
        await it.return?.();
        await settlesWithin(pool.join(), BOUND, 'join after break');
      } finally {
        await pool.terminate();
      }
    });

    h.it('Process.join() before start() rejects; join(bad timeout) rejects naming it', async () => {
      const p = new Process({ target: fx.squ, args: [2], context });
      await rejectsAtCall(() => p.join(), Error, /cannot be joined before start\(\)/);
      p.start();
      await rejectsAtCall(() => p.join(-5), RangeError, /^timeout must be .* got -5$/);
      await settlesWithin(p.join(), BOUND, 'join');
      equal(p.exitCode, 0);
    });
  });
}
