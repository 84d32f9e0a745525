import { describe, expect, it, vi } from 'vitest';
import { Empty, Full, MpError, TimeoutError } from '../src/errors.ts';
import { Channel, drive } from '../src/internal/channel.ts';
import { SHARE, decodeShared, encodeShared } from '../src/internal/shared.ts';
import type { Steps } from '../src/internal/wait.ts';
import { JoinableQueue } from '../src/sync/joinable-queue.ts';
import { Pipe } from '../src/sync/pipe.ts';
import { Queue } from '../src/sync/queue.ts';
import { revivers } from '../src/sync/revivers.ts';
import { SimpleQueue } from '../src/sync/simple-queue.ts';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `value` through the share/revive path a worker uses, in this thread. */
function acrossWorker<T>(value: T): T {
  const sent = encodeShared([value], { sharesMemory: true, describe: 'test' }, 'args', { found: false });
  return (decodeShared(structuredClone(sent), revivers) as T[])[0]!;
}

/** How long `fn` took to fail with `Cls` (sync throw or rejection); fails the test if it did anything else. */
async function elapsedUntil(Cls: abstract new (...args: never[]) => Error, fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  const ms = performance.now() - t0;
  expect(caught, `expected ${Cls.name}`).toBeInstanceOf(Cls);
  return ms;
}

describe('Queue', () => {
  it('is FIFO and reports its size', async () => {
    const q = new Queue<unknown>();
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    await q.put(1);
    q.putNowait('two');
    q.putSync({ three: [3] });
    expect(q.qsize()).toBe(3);
    expect(await q.get()).toBe(1);
    expect(q.getNowait()).toBe('two');
    expect(q.getSync()).toEqual({ three: [3] });
    expect(q.empty()).toBe(true);
  });

  it('honours maxsize: Full at once, or after the timeout and never early', async () => {
    const q = new Queue<number>({ maxsize: 2 });
    q.putNowait(1);
    await q.put(2);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(3)).toThrow(Full);
    await expect(q.put(3, { blocking: false })).rejects.toBeInstanceOf(Full);
    expect(await elapsedUntil(Full, () => q.put(3, { timeout: 40 }))).toBeGreaterThanOrEqual(40);
    expect(await elapsedUntil(Full, () => q.putSync(3, { timeout: 30 }))).toBeGreaterThanOrEqual(30);
    expect(() => q.putSync(3, { timeout: 0 })).toThrow(Full);
    expect(q.qsize()).toBe(2);
  });

  it('Empty at once, or after the timeout and never early', async () => {
    const q = new Queue();
    expect(() => q.getNowait()).toThrow(Empty);
    await expect(q.get({ blocking: false })).rejects.toBeInstanceOf(Empty);
    expect(await elapsedUntil(Empty, () => q.get({ timeout: 40 }))).toBeGreaterThanOrEqual(40);
    expect(await elapsedUntil(Empty, () => q.getSync({ timeout: 30 }))).toBeGreaterThanOrEqual(30);
    expect(() => q.getSync({ timeout: 1 })).toThrow(Empty);
  });

  it('a waiting put lands once a get makes room; a waiting get takes a later put', async () => {
    const q = new Queue<string>({ maxsize: 1 });
    await q.put('a');
    let landed = false;
    const putting = q.put('b').then(() => (landed = true));
    await delay(20);
    expect(landed).toBe(false);
    expect(await q.get()).toBe('a');
    await putting;
    expect(await q.get()).toBe('b');
    const getting = q.get({ timeout: 5_000 });
    await delay(10);
    await q.put('c');
    expect(await getting).toBe('c');
  });

  it('keeps the order of puts that were not awaited', async () => {
    const q = new Queue<number>({ maxsize: 2 });
    const puts = [1, 2, 3, 4, 5, 6].map((n) => q.put(n));
    const got: number[] = [];
    for (let i = 0; i < 6; i++) got.push(await q.get({ timeout: 5_000 }));
    await Promise.all(puts);
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a full byte buffer grows instead of making put wait (only maxsize bounds a queue), and wraps around intact', () => {
    const q = new Queue<string>({ bufferSize: 64 });
    const item = 'x'.repeat(20);
    q.putNowait(item);
    q.putNowait(item);
    q.putNowait(item);
    expect(q.qsize()).toBe(3);
    expect(q.getNowait()).toBe(item);
    const previous = [item, item];
    for (let i = 0; i < 500; i++) {
      // Two in, one out: the ring is wrapped around whenever it has to grow.
      const s = `${i}:`.padEnd(1 + (i % 40), '*');
      q.putNowait(s);
      q.putNowait(s.toUpperCase());
      expect(q.getNowait()).toBe(previous.shift());
      previous.push(s, s.toUpperCase());
    }
    while (previous.length > 0) expect(q.getNowait()).toBe(previous.shift());
    expect(q.empty()).toBe(true);
  });

  it('an item larger than the buffer grows it; where memory cannot grow, it is refused naming both sizes', async () => {
    const q = new Queue({ bufferSize: 1024 });
    q.putNowait('y'.repeat(5000));
    await q.put('z'.repeat(50_000));
    expect(q.getNowait()).toBe('y'.repeat(5000));
    expect(await q.get()).toBe('z'.repeat(50_000));
    // An engine without growable shared memory ignores maxByteLength: the buffer keeps its size.
    const Real = SharedArrayBuffer;
    vi.stubGlobal('SharedArrayBuffer', class extends Real {
      constructor(length: number) {
        super(length);
      }
    });
    let fixed: Queue;
    try {
      fixed = new Queue({ bufferSize: 1024 });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(() => fixed.putNowait('y'.repeat(5000))).toThrow(
      /^item is 5005 bytes serialized, more than this Queue's buffer of 1024 bytes can carry \(1020 per item\); give it a larger buffer: new Queue\(\{ bufferSize: 8192 \}\)$/,
    );
    await expect(fixed.put('y'.repeat(5000))).rejects.toThrow(RangeError);
    fixed.putNowait('x'.repeat(500));
    expect(() => fixed.putNowait('x'.repeat(600))).toThrow(Full);
    expect(fixed.getNowait()).toBe('x'.repeat(500));
    expect(fixed.empty()).toBe(true);
  });

  it('close(): put throws, get drains then rejects instead of waiting, waiters wake', async () => {
    const q = new Queue<number>({ maxsize: 1 });
    q.putNowait(1);
    const blockedPut = q.put(2, { timeout: 10_000 });
    const r = new Queue<number>();
    const blockedGet = r.get({ timeout: 10_000 });
    await delay(10);
    q.close();
    r.close();
    await expect(blockedPut).rejects.toThrow(new MpError('put() on a closed Queue'));
    await expect(blockedGet).rejects.toThrow('get() on a closed Queue that is empty: nothing more will arrive');
    expect(() => q.putNowait(3)).toThrow(MpError);
    expect(q.getNowait()).toBe(1);
    await expect(q.get()).rejects.toBeInstanceOf(MpError);
    expect(() => q.getSync()).toThrow(/closed Queue/);
  });

  it('refuses bad options and items at the call site', async () => {
    expect(() => new Queue({ maxsize: -1 })).toThrow(new RangeError('maxsize must be an integer >= 0, got -1'));
    expect(() => new Queue({ maxsize: 1.5 })).toThrow(RangeError);
    expect(() => new Queue({ maxsize: '3' as unknown as number })).toThrow(new TypeError('maxsize must be an integer >= 0, got "3" (string)'));
    expect(() => new Queue({ bufferSize: 0 })).toThrow(/bufferSize must be an integer number of bytes from 16 to 1073741824, got 0/);
    expect(() => new Queue({ maxSize: 3 } as never)).toThrow(/unknown option "maxSize" for Queue; the options are maxsize, bufferSize/);
    expect(() => new Queue(5 as never)).toThrow(TypeError);
    const q = new Queue();
    await expect(q.put(1, { timeout: -1 })).rejects.toThrow(RangeError);
    await expect(q.get({ blocking: 'no' as never })).rejects.toThrow(/blocking must be a boolean/);
    expect(() => q.putNowait({ f: () => 1 })).toThrow(new TypeError('item.f could not be cloned (function)'));
    await expect(q.put([Symbol('s')])).rejects.toThrow('item[0] could not be cloned (symbol)');
    expect(() => q.putNowait({ q })).toThrow(/item\.q could not be cloned \(Queue: mp's shared objects/);
    expect(q.empty()).toBe(true);
  });

  it('is the same queue after the trip a worker argument takes', async () => {
    const q = new Queue<number>({ maxsize: 3 });
    const there = acrossWorker(q);
    expect(there).toBeInstanceOf(Queue);
    expect(there).not.toBe(q);
    await there.put(7);
    expect(q.qsize()).toBe(1);
    expect(q.getNowait()).toBe(7);
    there.putNowait(1);
    there.putNowait(2);
    there.putNowait(3);
    expect(q.full()).toBe(true);
    expect(q[SHARE]().kind).toBe('Queue');
  });
});

describe('drive', () => {
  it('frees what the algorithm held when this thread may not block', () => {
    let released = false;
    function* holding(): Steps<number> {
      try {
        // A non-shared Int32Array makes Atomics.wait throw, as a browser's main thread does.
        yield { cells: new Int32Array(1), index: 0, expected: 0, deadline: Infinity };
        return 1;
      } finally {
        released = true;
      }
    }
    expect(() => drive(holding(), 'queue.get', Infinity)).toThrow(/queue\.getSync\(\) cannot block this thread/);
    expect(released).toBe(true);
  });
});

describe('JoinableQueue', () => {
  it('join waits for taskDone per item; too many taskDone throws', async () => {
    const q = new JoinableQueue<number>();
    expect(await q.join()).toBe(true);
    q.putNowait(1);
    q.putNowait(2);
    expect(await q.join({ timeout: 20 })).toBe(false);
    expect(q.joinSync({ timeout: 5 })).toBe(false);
    q.getNowait();
    q.taskDone();
    const joined = q.join({ timeout: 5_000 });
    q.getNowait();
    q.taskDone();
    expect(await joined).toBe(true);
    expect(q.joinSync()).toBe(true);
    expect(() => q.taskDone()).toThrow(/taskDone\(\) called more times than there were items put/);
    await expect(q.join({ blocking: false } as never)).rejects.toThrow(/blocking is not an option/);
  });

  it('crosses to a worker as a JoinableQueue over the same counts', () => {
    const q = new JoinableQueue<string>();
    q.putNowait('a');
    const there = acrossWorker(q);
    expect(there).toBeInstanceOf(JoinableQueue);
    expect(there.getNowait()).toBe('a');
    there.taskDone();
    expect(q.joinSync({ timeout: 0 })).toBe(true);
  });
});

describe('SimpleQueue', () => {
  it('put, get, empty and close', async () => {
    const q = new SimpleQueue<string>();
    expect(q.empty()).toBe(true);
    await q.put('a');
    q.putSync('b');
    expect(q.empty()).toBe(false);
    expect(await q.get()).toBe('a');
    expect(q.getSync()).toBe('b');
    await expect(q.get({ timeout: 10 })).rejects.toBeInstanceOf(Empty);
    q.close();
    await expect(q.put('c')).rejects.toThrow('put() on a closed SimpleQueue');
    expect(() => new SimpleQueue({ maxsize: 1 } as never)).toThrow(/unknown option "maxsize" for SimpleQueue/);
    const small = new SimpleQueue<string>({ bufferSize: 64 });
    small.putSync('z'.repeat(100));
    expect(small.getSync()).toBe('z'.repeat(100));
    const there = acrossWorker(new SimpleQueue<number>());
    expect(there).toBeInstanceOf(SimpleQueue);
  });
});

describe('Pipe', () => {
  it('duplex: both ends send and receive, in order', async () => {
    const [a, b] = Pipe<unknown>();
    void a.send(1);
    await a.send({ two: new Map([[2, 2]]) });
    b.sendSync('back');
    expect(await b.recv()).toBe(1);
    expect(b.recvSync()).toEqual({ two: new Map([[2, 2]]) });
    expect(await a.recv({ timeout: 1_000 })).toBe('back');
    expect(a.readable && a.writable && b.readable && b.writable).toBe(true);
  });

  it('poll says whether recv would wait', async () => {
    const [a, b] = Pipe();
    expect(await b.poll()).toBe(false);
    expect(b.pollSync(5)).toBe(false);
    const later = b.poll(5_000);
    await delay(10);
    void a.send('x');
    expect(await later).toBe(true);
    expect(await b.poll()).toBe(true);
    expect(await b.recv()).toBe('x');
    await expect(b.poll(-1)).rejects.toThrow(RangeError);
    await expect(b.poll('1' as never)).rejects.toThrow(TypeError);
  });

  it('one-way: the first end only receives, the second only sends', async () => {
    const [reader, writer] = Pipe<number>({ duplex: false });
    expect(reader.writable).toBe(false);
    expect(writer.readable).toBe(false);
    await expect(reader.send(1)).rejects.toThrow(/send\(\) on the reading end of a one-way Pipe/);
    await expect(writer.recv()).rejects.toThrow(/recv\(\) on the writing end of a one-way Pipe/);
    await expect(writer.poll()).rejects.toThrow(MpError);
    await writer.send(5);
    expect(reader.recvSync()).toBe(5);
  });

  it('recv on a pipe whose other end closed drains, then rejects instead of hanging', async () => {
    const [a, b] = Pipe<string>();
    void a.send('last words');
    const pending = a.recv();
    a.close();
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
    await expect(pending).rejects.toThrow('recv() on a closed Connection');
    expect(await b.poll()).toBe(true);
    expect(await b.recv()).toBe('last words');
    await expect(b.recv()).rejects.toThrow(new MpError('the other end of the pipe was closed'));
    expect(() => b.recvSync()).toThrow('the other end of the pipe was closed');
    await expect(b.send('anyone?')).rejects.toThrow('the other end of the pipe was closed');
    await expect(a.send('again')).rejects.toThrow('send() on a closed Connection');
    await expect(a.recv()).rejects.toThrow('recv() on a closed Connection');
  });

  it('a waiting recv wakes when the other end closes', async () => {
    const [reader, writer] = Pipe({ duplex: false });
    const waiting = reader.recv();
    await delay(10);
    writer.close();
    await expect(waiting).rejects.toThrow('the other end of the pipe was closed');
  });

  it('send never waits for room (the buffer grows); recv times out with TimeoutError', async () => {
    const [a, b] = Pipe<string>({ bufferSize: 64 });
    for (const s of ['a'.repeat(20), 'b'.repeat(20), 'c'.repeat(20), 'd'.repeat(20)]) await a.send(s);
    a.sendSync('e'.repeat(20), { timeout: 0 });
    await a.send('z'.repeat(100));
    const got = [];
    for (let i = 0; i < 6; i++) got.push((await b.recv({ timeout: 5_000 }))[0]);
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e', 'z']);
    await expect(b.recv({ timeout: 20 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('refuses bad options and crosses to a worker as the same end', () => {
    expect(() => Pipe({ duplex: 'yes' as never })).toThrow(new TypeError('duplex must be a boolean, got "yes" (string)'));
    expect(() => Pipe({ bufferSize: -5 })).toThrow(RangeError);
    const [a, b] = Pipe<number>({ duplex: false });
    const there = acrossWorker(b);
    there.sendSync(42);
    expect(a.recvSync()).toBe(42);
    there.close();
    expect(b.closed).toBe(true);
  });
});

describe('a growing ring and its readers keep apart', () => {
  const RESIZING = 25;
  const READING = 24;

  it('a sender that must grow the ring waits while a receiver is reading, then grows', () => {
    const ch = Channel.create('Queue', 0, 64, false);
    const cells = ch.state.cells;
    Atomics.store(cells, READING, 1); // a receiver inside its read
    const put = ch.put(new Uint8Array(100).fill(7), Infinity, true);
    const first = put.next();
    expect(first.done).toBe(false);
    expect((first.value as { index: number }).index).toBe(READING);
    expect(Atomics.load(cells, RESIZING)).toBe(1);
    expect(ch.bufferSize).toBe(64);
    Atomics.store(cells, READING, 0);
    expect(put.next('ok')).toEqual({ done: true, value: 'ok' });
    expect(Atomics.load(cells, RESIZING)).toBe(0);
    expect(ch.bufferSize).toBeGreaterThanOrEqual(104);
    const got = drive(ch.get(Infinity), 'queue.get', Infinity);
    expect(got).toEqual(new Uint8Array(100).fill(7));
  });

  it('a receiver waits while a sender grows the ring, then reads', () => {
    const ch = Channel.create('Queue', 0, 64, false);
    const cells = ch.state.cells;
    expect(drive(ch.put(new Uint8Array([1, 2, 3]), Infinity, true), 'queue.put', Infinity)).toBe('ok');
    Atomics.store(cells, RESIZING, 1); // a sender inside its growing
    const get = ch.get(Infinity);
    const first = get.next();
    expect(first.done).toBe(false);
    expect((first.value as { index: number }).index).toBe(RESIZING);
    expect(Atomics.load(cells, READING)).toBe(0);
    expect(ch.items()).toBe(1);
    Atomics.store(cells, RESIZING, 0);
    expect(get.next('ok')).toEqual({ done: true, value: new Uint8Array([1, 2, 3]) });
    expect(Atomics.load(cells, READING)).toBe(0);
    expect(ch.items()).toBe(0);
  });
});
