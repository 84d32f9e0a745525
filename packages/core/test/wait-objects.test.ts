/** `wait()` and `waitSync()` in one program (the conformance suite adds workers and many concurrent senders). */
import { describe, expect, it } from 'vitest';
import { Lock, Pipe, Queue, SimpleQueue, wait, waitSync } from '../src/index.ts';

describe('wait', () => {
  it('[] for an empty list, and after the timeout when nothing is ready', async () => {
    expect(await wait([])).toEqual([]);
    const [a] = Pipe();
    const started = performance.now();
    expect(await wait([a], { timeout: 30 })).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it('returns the ready ones in the order given, whatever order they became ready in', async () => {
    const [a, a2] = Pipe();
    const [b, b2] = Pipe();
    const q = new Queue<number>();
    await b2.send('b first');
    await a2.send('a second');
    expect(await wait([q, a, b])).toEqual([a, b]);
    q.putNowait(1);
    expect(await wait([b, q, a])).toEqual([b, q, a]);
  });

  it('wakes when something arrives later, or the other end closes', async () => {
    const [r, w] = Pipe({ duplex: false });
    const q = new SimpleQueue<number>();
    setTimeout(() => void w.send(1), 20);
    expect(await wait([q, r], { timeout: 10_000 })).toEqual([r]);
    expect(await r.recv()).toBe(1);
    setTimeout(() => w.close(), 20);
    expect(await wait([r])).toEqual([r]);
    await expect(r.recv()).rejects.toThrow(/other end/);
  });

  it('rejects, naming the argument, for what cannot be waited on', async () => {
    const [r, w] = Pipe({ duplex: false });
    await expect(wait([r, new Lock() as never])).rejects.toThrow(/objects\[1\] cannot be waited on: .* got a Lock/);
    await expect(wait([w])).rejects.toThrow(/objects\[0\] is the writing end of a one-way Pipe/);
    await expect(wait(5 as never)).rejects.toThrow(TypeError);
    await expect(wait([r], { timeout: -1 })).rejects.toThrow(RangeError);
  });
});

describe('waitSync', () => {
  it('blocks until one is ready, with timeouts, in the order given', () => {
    const [a, a2] = Pipe();
    const [b, b2] = Pipe();
    expect(waitSync([a, b], { timeout: 20 })).toEqual([]);
    expect(waitSync([a], { timeout: 5 })).toEqual([]);
    b2.sendSync(1);
    expect(waitSync([a, b])).toEqual([b]);
    a2.sendSync(2);
    expect(waitSync([b, a])).toEqual([b, a]);
    expect(() => waitSync([a, {} as never])).toThrow(/objects\[1\] cannot be waited on/);
  });
});
