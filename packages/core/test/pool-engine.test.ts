import { describe, expect, it } from 'vitest';
import { Pool } from '../src/pool.ts';
import { Process } from '../src/process.ts';
import { RemoteError, WorkerExitError } from '../src/errors.ts';
import { task } from '../src/task.ts';
import { runWorker } from '../src/internal/worker-runtime.ts';
import { fakeRuntime } from './fake-runtime.ts';

const runs = (rt: ReturnType<typeof fakeRuntime>) => rt.traffic.toWorker.filter((m) => m.type === 'run');

describe('scheduling over an in-memory runtime', () => {
  it('batches the applies made in one tick into one message per worker', async () => {
    // A clock that stands still: every batch reports 0 ms, so a loaded machine cannot make `double` look slow.
    const rt = fakeRuntime(2, { clock: () => 0 });
    const pool = new Pool({ processes: 2 }, rt);
    const double = (x: number) => x * 2;
    await Promise.all([pool.apply(double, [0]), pool.apply(double, [0])]); // compiled and measured in both workers
    const before = runs(rt).length;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.apply(double, [i])));
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    // One probe per worker measures the cost; the rest then travel in a few batches.
    expect(runs(rt).length - before).toBeLessThanOrEqual(6);
    await pool.terminate();
  });

  it('gives long tasks only to idle workers, one at a time (chunksize 1)', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    const wait = (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms));
    await pool.apply(wait, [5]); // measured: a few ms per call, so "long"
    const before = runs(rt).length;
    expect(await pool.map(wait, [50, 5, 5, 5, 5, 5, 5], { chunksize: 1 })).toEqual([50, 5, 5, 5, 5, 5, 5]);
    const sent = runs(rt).slice(before);
    // Pushed round-robin, jobs would travel several to a message; pulled, each goes alone to an idle worker.
    expect(sent.length).toBe(7);
    expect(sent.every((m) => m.jobs?.length === 1)).toBe(true);
    await pool.terminate();
  });

  it('an idle worker waits for its next batch only after a lone batch whose answer is awaited blocking', async () => {
    const rt = fakeRuntime(2, { pollSync: true });
    const pool = new Pool({ processes: 2 }, rt);
    const inc = (x: number) => x + 1;
    // The first lone batches are answered through the event loop; then a try of blocking waits measures them
    // faster here (the fake answers at once), and the pool keeps them.
    for (let i = 0; i < 100; i++) await pool.apply(inc, [i]);
    expect(rt.traffic.answeredSync).toBeGreaterThan(50);
    expect(runs(rt).slice(0, 10).some((m) => m.linger === true)).toBe(false);
    // Most of the later ones (the rest are the pool's ever rarer tries of the event loop).
    expect(runs(rt).slice(-40).filter((m) => m.linger === true).length).toBeGreaterThan(25);
    expect(rt.traffic.lingered).toBeGreaterThan(50);
    const slow = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
      return ms;
    };
    // An unmeasured function is taken for a quick one; once measured, a slow one is never waited for blocking.
    expect(await pool.apply(slow, [5])).toBe(5);
    const answered = rt.traffic.answeredSync;
    const measured = runs(rt).length;
    expect(await pool.apply(slow, [5])).toBe(5);
    expect(runs(rt)[measured]!.linger).not.toBe(true);
    expect(await pool.map(slow, [5, 5, 5, 5], { chunksize: 1 })).toEqual([5, 5, 5, 5]);
    // Slow tasks, both workers busy: neither waits blocking, which would take a core from the work.
    expect(runs(rt).slice(measured).some((m) => m.linger === true)).toBe(false);
    expect(rt.traffic.answeredSync).toBe(answered);
    await pool.terminate();

    // One core, or a runtime that cannot take an answer synchronously: never.
    for (const other of [fakeRuntime(1, { pollSync: true }), fakeRuntime(2)]) {
      const one = new Pool({ processes: 1 }, other);
      for (let i = 0; i < 100; i++) await one.apply(inc, [i]);
      expect(runs(other).some((m) => m.linger === true)).toBe(false);
      expect(other.traffic.lingered).toBe(0);
      expect(other.traffic.answeredSync).toBe(0);
      await one.terminate();
    }
  });

  it('a worker takes what was sent while it started at once, each message once, in order', async () => {
    const rt = fakeRuntime(2, { bootMs: 20 });
    const pool = new Pool({ processes: 1 }, rt);
    const id = (x: number) => x;
    // init and these runs are queued before the worker is up; it takes them without a turn of its event loop.
    const results = [pool.apply(id, [1]), pool.apply(id, [2])];
    await Promise.resolve();
    results.push(pool.apply(id, [3]));
    expect(await Promise.all(results)).toEqual([1, 2, 3]);
    // init and the first run at least (an unmeasured function goes one job at a time), counted when the
    // worker booted: a count taken by a timer of the test's own would race the boot on a loaded machine.
    const sentBeforeBoot = rt.traffic.queuedAtBoot;
    expect(sentBeforeBoot).toBeGreaterThanOrEqual(2);
    expect(rt.traffic.polled).toBeGreaterThanOrEqual(1);
    expect(rt.traffic.caught).toBeGreaterThanOrEqual(sentBeforeBoot);
    await pool.terminate();
  });

  it('a message taken while lingering is handled once, in order', () => {
    // The worker's side alone: a port whose receiveSync hands over what the parent sent meanwhile.
    const sent: { type: string; results?: { id: number; value: unknown }[] }[] = [];
    const waiting: unknown[] = [];
    let handler: ((m: unknown) => void) | undefined;
    let lingered = 0;
    runWorker({
      postMessage: (m) => void sent.push(m as (typeof sent)[number]),
      onMessage: (h) => (handler = h),
      exit: () => {},
      receiveSync: (timeoutMs) => {
        if (timeoutMs > 0) lingered++;
        return waiting.shift();
      },
    });
    const spec = { kind: 'source', source: '(x) => x * 10', name: 'times10' } as const;
    const run = (id: number, linger: boolean) => ({ type: 'run', linger, jobs: [{ id, fn: 1, mode: 'apply', data: [id], ...(id === 1 ? { spec } : {}) }] });
    handler!({ type: 'init', self: { name: 'PoolWorker-1', pid: 1 }, parent: { name: 'MainProcess', pid: 1 } });
    // Batches 2 and 3 arrive while batch 1 runs; 3 again later through the port, as a real port may not: ignored.
    waiting.push(run(2, true), run(3, false));
    handler!(run(1, true));
    const done = sent.filter((m) => m.type === 'done').flatMap((m) => m.results!);
    expect(done.map((r) => [r.id, r.value])).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    // It lingered after 1 and after 2 (each said linger), not after 3.
    expect(lingered).toBe(2);
    expect(waiting).toEqual([]);
  });

  it('sends a function source once per worker', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    const fn = (x: number) => x + 1;
    for (let i = 0; i < 10; i++) await pool.apply(fn, [i]);
    await pool.map(fn, [1, 2, 3, 4], { chunksize: 1 });
    const withSpec = runs(rt).flatMap((m) => m.jobs ?? []).filter((j) => j.spec !== undefined);
    expect(withSpec.length).toBeLessThanOrEqual(2);
    await pool.terminate();
  });

  it("loads a worker's first module through the port's importSync, every later one through import()", async () => {
    const asked: string[] = [];
    const rt = fakeRuntime(1, {
      importSync: (url) => {
        asked.push(url);
        return { inc: (x: number) => x + 100 }; // not what import() would give: shows which path ran
      },
    });
    const pool = new Pool({ processes: 1 }, rt);
    const first = new URL('./fixtures/math.ts', import.meta.url);
    const second = new URL('./fixtures/math.ts?second', import.meta.url);
    expect(await pool.apply(task<(x: number) => number>(first, 'inc'), [1])).toBe(101);
    expect(await pool.apply(task<(x: number) => number>(first, 'inc'), [2])).toBe(102); // cached, not loaded again
    expect(await pool.apply(task<(x: number) => number>(second, 'inc'), [1])).toBe(2); // import()
    expect(asked).toEqual([first.href]);
    await pool.terminate();
  });

  it('uses importSync only before any user code ran in the worker (none after a function sent by value)', async () => {
    const asked: string[] = [];
    const rt = fakeRuntime(1, { importSync: (url) => (asked.push(url), undefined) });
    const pool = new Pool({ processes: 1 }, rt);
    expect(await pool.apply((x: number) => x * 2, [4])).toBe(8);
    // (A URL of its own: the in-memory workers share one thread, and so the module cache.)
    const url = new URL('./fixtures/math.ts?after-value', import.meta.url);
    expect(await pool.apply(task<(x: number) => number>(url, 'inc'), [1])).toBe(2);
    expect(asked).toEqual([]);
    await pool.terminate();
  });

  it("map uses Python's default chunksize: ceil(n / (4 × workers))", async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    await pool.map((x: number) => x, Array.from({ length: 100 }, (_, i) => i));
    const jobs = runs(rt).flatMap((m) => m.jobs ?? []);
    expect(jobs.length).toBe(8); // chunks of 13
    await pool.terminate();
  });

  it('a big chunk travels as tasks of at most 8,192 items, unless maxTasksPerChild or a timeout counts chunks', async () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => i);
    const jobSizes = (rt: ReturnType<typeof fakeRuntime>) =>
      runs(rt)
        .flatMap((m) => m.jobs ?? [])
        .map((j) => (j as { data: unknown[] }).data.length);
    const expected = xs.map((x) => x + 1);

    const free = fakeRuntime();
    const pool = new Pool({ processes: 2 }, free);
    expect(await pool.map((x: number) => x + 1, xs)).toEqual(expected);
    expect(jobSizes(free)).toHaveLength(13); // ceil(100,000 / 8,192), not 8 chunks of 12,500
    expect(Math.max(...jobSizes(free))).toBe(8192);
    expect(await pool.map((x: number) => x + 1, xs, { timeout: 60_000 })).toEqual(expected);
    expect(jobSizes(free).slice(13)).toEqual(Array(8).fill(12_500));
    await pool.terminate();

    const counted = fakeRuntime();
    const recycled = new Pool({ processes: 2, maxTasksPerChild: 100 }, counted);
    // Readable, for whoever runs work on a pool it was handed (a cluster host keeps each task one of them).
    expect([recycled.maxTasksPerChild, pool.maxTasksPerChild]).toEqual([100, undefined]);
    expect(await recycled.map((x: number) => x + 1, xs)).toEqual(expected);
    expect(jobSizes(counted)).toEqual(Array(8).fill(12_500)); // Python's chunks: what maxTasksPerChild counts
    await recycled.terminate();
  });

  it('a worker dying in a batch fails only the culprit: the others are retried one by one', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 1 }, rt);
    const die = () => (globalThis as unknown as { __fakeExit(c: number): void }).__fakeExit(9);
    const settled = await Promise.allSettled([pool.apply((x: number) => x, [1]), pool.apply(die, []), pool.apply((x: number) => x, [3])]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(settled[1].status).toBe('rejected');
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(WorkerExitError);
    expect(((settled[1] as PromiseRejectedResult).reason as WorkerExitError).exitCode).toBe(9);
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 3 });
    expect(rt.traffic.spawned).toBeGreaterThanOrEqual(2);
    await pool.terminate();
  });

  it('map parts of numbers (moved to the worker, not copied) are packed again when they must be sent again', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 1 }, rt);
    const double = (n: number) => n * 2;
    const items = Array.from({ length: 200 }, (_, i) => i - 100.5);
    expect(await pool.map(double, items.slice(0, 100))).toEqual(items.slice(0, 100).map(double));
    // Two maps in one tick share the worker; aborting the second stops that worker with the first's parts in
    // flight, and those go to its replacement.
    const ac = new AbortController();
    const first = pool.map(double, items, { chunksize: 100 });
    const second = pool.map(double, items, { chunksize: 100, signal: ac.signal });
    await Promise.resolve();
    await Promise.resolve();
    // One batch of each map's two parts in flight, packed.
    const sent = runs(rt).slice(-2).flatMap((m) => m.jobs!);
    expect(sent.map((j) => (j as { packed?: boolean }).packed)).toEqual([true, true, true, true]);
    ac.abort(new Error('stop the second'));
    await expect(second).rejects.toThrow('stop the second');
    expect(await first).toEqual(items.map(double));
    expect(rt.traffic.spawned).toBe(2);
    await pool.terminate();
  });

  it('imap keeps a bounded look-ahead while the consumer is slow', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    let pulled = 0;
    function* endless() {
      for (let i = 0; ; i++) {
        pulled++;
        yield i;
      }
    }
    const it = pool.imap((x: number) => x, endless());
    expect((await it.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    const high = pulled;
    expect(high).toBeLessThanOrEqual(16); // window = 4 × workers chunks of 1
    await it.return!();
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).toBe(high);
    await pool.terminate();
  });

  it('ordered imap waits for earlier results; unordered does not', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    // Item 40 finishes only after item 1 has run (a handshake, not a race of timers: CI load cannot reorder it).
    const slowFirst = async (x: number) => {
      const g = globalThis as { __gate?: { opened: Promise<void>; open: () => void } };
      if (!g.__gate) {
        let open!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        g.__gate = { opened, open };
      }
      if (x === 40) await g.__gate.opened;
      else g.__gate.open();
      return x;
    };
    const gate = globalThis as { __gate?: unknown };
    const ordered: number[] = [];
    for await (const v of pool.imap(slowFirst, [40, 1, 2])) ordered.push(v);
    expect(ordered).toEqual([40, 1, 2]);
    delete gate.__gate;
    const unordered: number[] = [];
    for await (const v of pool.imapUnordered(slowFirst, [40, 1])) unordered.push(v);
    delete gate.__gate;
    expect(unordered).toEqual([1, 40]);
    await pool.terminate();
  });

  it('a source iterator that throws ends imap with its error, after the results before it', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 2 }, rt);
    function* broken() {
      yield 1;
      yield 2;
      throw new SyntaxError('source broke');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const v of pool.imap((x: number) => x * 10, broken())) seen.push(v);
      })(),
    ).rejects.toThrow('source broke');
    expect(seen).toEqual([10, 20]);
    await pool.terminate();
  });

  it('a method-shorthand function compiles in the worker', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 1 }, rt);
    const holder = {
      triple(this: void, x: number) {
        return x * 3;
      },
    };
    expect(await pool.apply(holder.triple, [3])).toBe(9);
    await pool.terminate();
  });

  it('a task error keeps its class as the cause of the RemoteError', async () => {
    const rt = fakeRuntime();
    const pool = new Pool({ processes: 1 }, rt);
    const err = await pool.apply(() => {
      throw new URIError('bad uri');
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).cause).toBeInstanceOf(URIError);
    await pool.terminate();
  });

  it('Process maps terminate to -15 and an uncaught error to exitCode 1', async () => {
    const rt = fakeRuntime();
    const ok = new Process({ target: () => 1 }, rt).start();
    await ok.join();
    expect(ok.exitCode).toBe(0);
    const bad = new Process({ target: () => { throw new Error('x'); } }, rt).start();
    await bad.join();
    expect(bad.exitCode).toBe(1);
    expect(bad.error?.message).toBe('x');
    const never = new Process({ target: () => new Promise(() => {}) }, rt).start();
    await never.terminate();
    expect(never.exitCode).toBe(-15);
  });
});
