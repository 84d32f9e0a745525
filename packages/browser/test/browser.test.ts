/**
 * Browser-specific behaviour, in headless Chromium on a cross-origin isolated
 * page: what workers print reaches the page (in order, before join() resolves),
 * a worker that ends itself or crashes is noticed, blocking calls on the page
 * throw a clear error while the awaitable forms work, and the options a browser
 * cannot honour are refused by name.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  Condition,
  Event,
  JoinableQueue,
  Lock,
  Pipe,
  Pool,
  RLock,
  Semaphore,
  waitSync,
  Process,
  Queue,
  Barrier,
  Empty,
  RemoteError,
  WorkerExitError,
  cpuCount,
  currentProcess,
  isMainThread,
  mirrorOutput,
  onOutput,
  tasks,
  type OutputLine,
} from '../src/index.ts';

const t = tasks<typeof import('./fixtures/tasks.ts')>(new URL('./fixtures/tasks.ts', import.meta.url));

/** Collects every line printed while `body` runs. */
async function capture(body: (lines: OutputLine[]) => Promise<void>): Promise<OutputLine[]> {
  const lines: OutputLine[] = [];
  const off = onOutput((line) => lines.push(line));
  try {
    await body(lines);
  } finally {
    off();
  }
  return lines;
}

afterEach(() => {
  mirrorOutput(true);
  vi.restoreAllMocks();
});

describe('output: what workers print reaches the page', () => {
  // The mirror to the page's console is on (the default) but kept out of the test log.
  let mirrored: Record<'log' | 'warn', MockInstance>;
  beforeEach(() => {
    mirrored = { log: vi.spyOn(console, 'log').mockImplementation(() => {}), warn: vi.spyOn(console, 'warn').mockImplementation(() => {}) };
    for (const level of ['info', 'debug', 'error'] as const) vi.spyOn(console, level).mockImplementation(() => {});
  });

  it("the child's line has arrived by the time join() resolves (seed Q3)", async () => {
    const page: string[] = [];
    const lines = await capture(async () => {
      const off = onOutput(({ text }) => page.push(text));
      const p = new Process({ target: () => console.log('Hello from a child process') });
      p.start();
      await p.join();
      page.push('Child process has terminated');
      off();
      expect(p.exitCode).toBe(0);
    });
    expect(page).toEqual(['Hello from a child process', 'Child process has terminated']);
    expect(lines).toEqual([{ worker: lines[0]?.worker, stream: 'stdout', text: 'Hello from a child process' }]);
    expect(lines[0]?.worker).toMatch(/^Process-\d+$/);
  });

  it('four children each print their number (seed Q6); lines name their worker', async () => {
    const lines = await capture(async () => {
      const ps = [1, 2, 3, 4].map((i) => new Process({ target: (n: number) => console.log(n), args: [i], name: `printer-${i}` }).start());
      for (const p of ps) await p.join();
    });
    expect(lines.map((l) => l.text).sort()).toEqual(['1', '2', '3', '4']);
    for (const l of lines) expect(l.worker).toBe(`printer-${l.text}`);
  });

  it("console.warn and console.error go to 'stderr'; arguments are formatted as Node prints them", async () => {
    const lines = await capture(async () => {
      const pool = new Pool({ processes: 1 });
      try {
        await pool.apply(t.printAll, [[[4, 16, 36], { a: 'x', n: [1, { deep: { deeper: 1 } }] }, 'plain', 5n, null, new Map([['k', 1]])], 'careful']);
        await pool.apply(() => {
          console.log('%s has %d items: %O', 'list', 3, [1, 2, 3]);
          console.error(new RangeError('bad'));
          console.info('info', -0, undefined);
          console.debug('not forwarded: it stays in DevTools');
          console.log('done %% 100%');
        }, []);
      } finally {
        await pool.terminate();
      }
    });
    expect(lines.map((l) => [l.stream, l.text.split('\n')[0]])).toEqual([
      ['stdout', '[ 4, 16, 36 ]'],
      ['stdout', "{ a: 'x', n: [ 1, { deep: [Object] } ] }"],
      ['stdout', 'plain'],
      ['stdout', '5n'],
      ['stdout', 'null'],
      ['stdout', "Map(1) { 'k' => 1 }"],
      ['stderr', 'careful'],
      ['stdout', 'list has 3 items: [ 1, 2, 3 ]'],
      ['stderr', 'RangeError: bad'],
      ['stdout', 'info -0 undefined'],
      ['stdout', 'done %% 100%'],
    ]);
  });

  it("lines are mirrored to the page's console by default; mirrorOutput(false) stops that; unsubscribing stops delivery", async () => {
    const { log, warn } = mirrored;
    const seen: string[] = [];
    const off = onOutput(({ text }) => seen.push(text));
    await new Process({ target: () => { console.log('mirrored'); console.warn('warned'); } }).start().join();
    expect(log).toHaveBeenCalledWith('%s', 'mirrored');
    expect(warn).toHaveBeenCalledWith('%s', 'warned');
    mirrorOutput(false);
    await new Process({ target: () => console.log('quiet') }).start().join();
    expect(log).not.toHaveBeenCalledWith('%s', 'quiet');
    off();
    await new Process({ target: () => console.log('unheard') }).start().join();
    expect(seen).toEqual(['mirrored', 'warned', 'quiet']);
    expect(() => onOutput('x' as never)).toThrow(/^listener must be a function, got string$/);
    expect(() => mirrorOutput(1 as never)).toThrow(/^enabled must be a boolean, got number$/);
  });
});

describe('a worker that ends itself or crashes is noticed', () => {
  it('self.close() in a Process target gives exitCode 0, promptly', async () => {
    const p = new Process({ target: t.closeSelf }).start();
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(p.isAlive()).toBe(false);
  });

  it('self.close() mid-task fails only that task with WorkerExitError; the others complete and the pool goes on', async () => {
    const pool = new Pool({ processes: 2 });
    try {
      const others = Array.from({ length: 10 }, (_, i) => pool.apply(t.sleepThen, [5, i]));
      const dying = pool.apply(t.closeSelf, []);
      await expect(dying).rejects.toThrow(/exited with code 0 while running this task/);
      await expect(dying).rejects.toBeInstanceOf(WorkerExitError);
      expect(await Promise.all(others)).toEqual(Array.from({ length: 10 }, (_, i) => i));
      expect(await pool.apply((n: number) => n * 2, [21])).toBe(42);
      expect(pool.stats().workers).toBe(2);
    } finally {
      await pool.terminate();
    }
  });

  it('an error thrown in a timer ends the worker with exitCode 1 and that error (a browser alone would keep it running)', async () => {
    const p = new Process({ target: t.crashInTimer, args: ['crashed in a timer'] }).start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error).toBeInstanceOf(RemoteError);
    expect(p.error?.remoteName).toBe('RangeError');
    expect(p.error?.message).toBe('crashed in a timer');
  });

  it("an error thrown in a timer keeps its cause and an AggregateError's errors", async () => {
    const p = new Process({
      target: () => {
        setTimeout(() => {
          throw new AggregateError([new TypeError('first'), new RangeError('second')], 'all failed', { cause: new URIError('why') });
        }, 0);
        return new Promise(() => {});
      },
    }).start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error?.remoteName).toBe('AggregateError');
    const original = p.error?.cause as (Error & { errors?: Error[] }) | undefined;
    expect((original?.cause as Error | undefined)?.message).toBe('why');
    expect((p.error as unknown as { errors?: Error[] }).errors?.map((e) => e.message)).toEqual(['first', 'second']);
  });

  it('an unhandled rejection ends the worker too; in a pool only its task fails', async () => {
    const p = new Process({ target: t.rejectUnhandled, args: ['nobody awaited this'] }).start();
    await p.join();
    expect(p.exitCode).toBe(1);
    expect(p.error?.remoteName).toBe('TypeError');
    const pool = new Pool({ processes: 1 });
    try {
      await expect(pool.apply(t.rejectUnhandled, ['again'])).rejects.toBeInstanceOf(WorkerExitError);
      expect(await pool.apply(t.sleepThen, [1, 'after'])).toBe('after');
    } finally {
      await pool.terminate();
    }
  });
});

describe('blocking on the page', () => {
  it('…Sync calls that would block the main thread throw a clear error; the awaitable forms work', async () => {
    const lock = new Lock();
    await lock.acquire();
    expect(() => lock.acquireSync()).toThrow(/^lock\.acquireSync\(\) cannot block this thread \(a browser's main thread may not wait\); use the awaitable form: await lock\.acquire\(\)$/);
    expect(() => lock.acquireSync({ timeout: 10 })).toThrow(TypeError);
    expect(await lock.acquire({ timeout: 10 })).toBe(false);
    lock.release();
    // Free now, so nothing to wait for: still refused, as Atomics.wait is here (code that works uncontended
    // must not fail only under contention). A form that cannot wait is allowed.
    expect(() => lock.acquireSync()).toThrow(/^lock\.acquireSync\(\) cannot block this thread/);
    expect(lock.locked()).toBe(false);
    expect(lock.acquireSync({ blocking: false })).toBe(true);
    expect(lock.acquireSync({ timeout: 0 })).toBe(false);
    lock.release();

    const event = new Event();
    expect(() => event.waitSync({ timeout: 10 })).toThrow(/cannot block this thread.*await event\.wait\(\)/);
    expect(await event.wait({ timeout: 10 })).toBe(false);

    const queue = new Queue<number>();
    expect(() => queue.getSync({ timeout: 10 })).toThrow(/cannot block this thread/);
    await expect(queue.get({ timeout: 10 })).rejects.toBeInstanceOf(Empty);

    const barrier = new Barrier(2);
    expect(() => barrier.waitSync({ timeout: 10 })).toThrow(/cannot block this thread/);
  });

  it('every …Sync form that may wait throws on the page even when it would not have to; the …Nowait forms work', async () => {
    const event = new Event();
    event.set();
    expect(() => event.waitSync()).toThrow(/^event\.waitSync\(\) cannot block this thread.*await event\.wait\(\)$/);
    expect(await event.wait()).toBe(true);
    const queue = new Queue<number>();
    queue.putNowait(1);
    expect(() => queue.putSync(2)).toThrow(/^queue\.putSync\(\) cannot block/);
    expect(() => queue.getSync()).toThrow(/^queue\.getSync\(\) cannot block/);
    expect(queue.qsize()).toBe(1);
    expect(queue.getNowait()).toBe(1);
    expect(() => queue.getNowait()).toThrow(Empty);
    const sem = new Semaphore(2);
    expect(() => sem.acquireSync()).toThrow(/^semaphore\.acquireSync\(\) cannot block/);
    expect(sem.acquireSync({ blocking: false })).toBe(true);
    const rlock = new RLock();
    expect(() => rlock.acquireSync()).toThrow(/^rlock\.acquireSync\(\) cannot block/);
    const cond = new Condition();
    expect(await cond.acquire()).toBe(true);
    expect(() => cond.waitSync({ timeout: 10 })).toThrow(/^condition\.waitSync\(\) cannot block/);
    cond.release(); // still held after the refused wait
    const [a, b] = Pipe<string>();
    await a.send('x');
    expect(() => b.recvSync()).toThrow(/^connection\.recvSync\(\) cannot block/);
    expect(() => b.pollSync(10)).toThrow(/^connection\.pollSync\(\) cannot block/);
    expect(b.pollSync()).toBe(true);
    expect(await b.recv()).toBe('x');
    expect(() => a.sendSync('y')).toThrow(/^connection\.sendSync\(\) cannot block/);
    const joinable = new JoinableQueue<number>();
    expect(() => joinable.joinSync()).toThrow(/^queue\.joinSync\(\) cannot block/);
    expect(() => waitSync([b], { timeout: 10 })).toThrow(/^waitSync\(\) cannot block/);
  });

  it('a worker may block: a lock the page holds makes a worker wait in acquireSync()', async () => {
    const lock = new Lock();
    const waiting = new Event();
    await lock.acquire();
    const pool = new Pool({ processes: 1 });
    try {
      const waited = pool.apply(
        (l: Lock, w: Event) => {
          w.set();
          const t0 = performance.now();
          l.acquireSync({ timeout: 10_000 });
          l.release();
          return performance.now() - t0;
        },
        [lock, waiting],
      );
      expect(await waiting.wait({ timeout: 10_000 })).toBe(true);
      await new Promise((r) => setTimeout(r, 150));
      lock.release();
      expect(await waited).toBeGreaterThanOrEqual(100);
    } finally {
      await pool.terminate();
    }
  });
});

describe('the runtime', () => {
  it('cpuCount() is navigator.hardwareConcurrency; the page is MainProcess with pid 0', () => {
    expect(cpuCount()).toBe(navigator.hardwareConcurrency);
    expect(currentProcess()).toEqual({ name: 'MainProcess', pid: 0 });
    expect(isMainThread).toBe(true);
  });

  it("inside a worker: isMainThread is false, and the Web Worker's own name is mp's name for it", async () => {
    const pool = new Pool({ processes: 1 });
    try {
      const who = await pool.apply(t.whoami, []);
      expect(who.isMainThread).toBe(false);
      expect(who.name).toMatch(/^PoolWorker-\d+$/);
      expect(who.selfName).toBe(who.name);
    } finally {
      await pool.terminate();
    }
  });

  it("options a browser cannot honour are refused by name: resourceLimits, context 'process'", () => {
    expect(() => new Pool({ resourceLimits: { maxOldGenerationSizeMb: 32 } })).toThrow(
      /^resourceLimits is not supported on browser: its workers have no per-worker heap limits to set$/,
    );
    expect(() => new Pool({ context: 'process' })).toThrow(/^context must be one of 'thread' on browser, or a context object such as @mp\/nats's cluster\(\), got "process"/);
    expect(() => new Process({ target: () => 0, context: 'process' })).toThrow(/'thread' on browser/);
  });
});
