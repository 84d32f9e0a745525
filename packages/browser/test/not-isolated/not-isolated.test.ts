/**
 * A page served WITHOUT the COOP/COEP headers: no cross-origin isolation, no
 * SharedArrayBuffer. Every shared-memory object throws an error that names the
 * two headers (and Manager); Pool, Process, output and Manager proxies work.
 */
import { describe, expect, it } from 'vitest';
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  JoinableQueue,
  Lock,
  Manager,
  Pipe,
  Pool,
  Process,
  Queue,
  RLock,
  Semaphore,
  SharedArray,
  SimpleQueue,
  Value,
  onOutput,
  tasks,
} from '../../src/index.ts';
import { browserRuntime } from '../../src/runtime.ts';

const t = tasks<typeof import('../fixtures/tasks.ts')>(new URL('../fixtures/tasks.ts', import.meta.url));

const HEADERS = /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp.*Manager/;

describe('a page that is not cross-origin isolated', () => {
  it('has no SharedArrayBuffer; the runtime says workers share no memory', () => {
    expect(globalThis.crossOriginIsolated).toBe(false);
    expect(typeof SharedArrayBuffer).toBe('undefined');
    expect(browserRuntime.sharesMemory?.('thread')).toBe(false);
  });

  it('every shared-memory object throws a TypeError that names the COOP/COEP headers and Manager', () => {
    const makers: [string, () => unknown][] = [
      ['Lock', () => new Lock()],
      ['RLock', () => new RLock()],
      ['Semaphore', () => new Semaphore(2)],
      ['BoundedSemaphore', () => new BoundedSemaphore(2)],
      ['Event', () => new Event()],
      ['Condition', () => new Condition()],
      ['Barrier', () => new Barrier(2)],
      ['Value', () => new Value('i32', 0)],
      ['SharedArray', () => new SharedArray('f64', 4)],
      ['Queue', () => new Queue()],
      ['JoinableQueue', () => new JoinableQueue()],
      ['SimpleQueue', () => new SimpleQueue()],
      ['Pipe', () => Pipe()],
    ];
    for (const [name, make] of makers) {
      let caught: unknown;
      try {
        make();
      } catch (error) {
        caught = error;
      }
      expect(caught, name).toBeInstanceOf(TypeError);
      expect((caught as Error).message, name).toMatch(/needs SharedArrayBuffer, which this context does not offer/);
      expect((caught as Error).message, name).toMatch(HEADERS);
    }
  });

  it('Pool and Process work, and what children print reaches the page', async () => {
    const lines: string[] = [];
    const off = onOutput(({ text }) => lines.push(text));
    try {
      const pool = new Pool({ processes: 2 });
      try {
        expect(await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9])).toEqual([4, 16, 36, 64, 81]);
      } finally {
        await pool.terminate();
      }
      const p = new Process({ target: () => console.log('Hello from a child process') }).start();
      await p.join();
      lines.push('Child process has terminated');
      expect(p.exitCode).toBe(0);
    } finally {
      off();
    }
    expect(lines).toEqual(['Hello from a child process', 'Child process has terminated']);
  });
});

describe('Manager proxies work without isolation, over the worker channel', () => {
  it('dict, list, Queue, Lock and Value proxies work on the page', async () => {
    await using manager = await Manager.start();
    const d = await manager.dict<string, number>([['a', 1]]);
    await d.set('b', 2);
    expect(await d.entries()).toEqual([['a', 1], ['b', 2]]);
    const l = await manager.list([1]);
    await l.append(2);
    expect(await l.toArray()).toEqual([1, 2]);
    const q = await manager.Queue<number>();
    await q.put(5);
    expect(await q.get()).toBe(5);
    const lock = await manager.Lock();
    expect(await lock.acquire()).toBe(true);
    expect(await lock.acquire({ timeout: 20 })).toBe(false);
    await lock.release();
    const v = await manager.Value('i32', 1);
    expect(await v.add(2)).toBe(1);
    expect(await v.get()).toBe(3);
  });

  it('a proxy passed to pool tasks works there', async () => {
    await using manager = await Manager.start();
    const pool = new Pool({ processes: 2 });
    try {
      const results = await manager.dict<number, number>();
      await pool.starmap(t.recordSquare, [1, 2, 3, 4].map((k) => [results, k] as [typeof results, number]));
      expect((await results.entries()).sort((a, b) => a[0] - b[0])).toEqual([[1, 1], [2, 4], [3, 9], [4, 16]]);
    } finally {
      await pool.terminate();
    }
  });

  it('a managed Lock keeps 4 workers × 50 increments of a managed Value exact', async () => {
    await using manager = await Manager.start();
    const pool = new Pool({ processes: 4 });
    try {
      const value = await manager.Value('i32', 0);
      const lock = await manager.Lock();
      const args = Array.from({ length: 4 }, () => [value, lock, 50] as [typeof value, typeof lock, number]);
      await pool.starmap(t.managedIncrements, args, { chunksize: 1 });
      expect(await value.get()).toBe(200);
    } finally {
      await pool.terminate();
    }
  });

  it('a managed Queue carries items from producer workers to consumer workers, each seen once', async () => {
    await using manager = await Manager.start();
    const pool = new Pool({ processes: 4 });
    try {
      const queue = await manager.Queue<number>({ maxsize: 8 });
      const seen = await manager.list<number>();
      const consumers = [pool.apply(t.consume, [queue, seen, 50]), pool.apply(t.consume, [queue, seen, 50])];
      await Promise.all([pool.apply(t.produce, [queue, 0, 50]), pool.apply(t.produce, [queue, 1000, 50])]);
      await Promise.all(consumers);
      const all = await seen.toArray();
      expect(all.length).toBe(100);
      expect(new Set(all).size).toBe(100);
    } finally {
      await pool.terminate();
    }
  });

  it('a Process target gets a working proxy', async () => {
    await using manager = await Manager.start();
    const d = await manager.dict<number, number>();
    const p = new Process({ target: t.recordSquare, args: [d, 7] }).start();
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(await d.get(7)).toBe(49);
  });
});
