/** The rest of Python's SyncManager and `register`, in one program (the conformance suite takes them into workers). */
import { describe, expect, it } from 'vitest';
import { BrokenBarrierError, Manager, MpError, RemoteError } from '../src/index.ts';
import { SHARE, type Shareable } from '../src/internal/shared.ts';
import { callRef, type ProxyRef } from '../src/sync/managed-proxy.ts';

class Counter {
  n: number;
  #secret = 'hidden';
  constructor(start = 0) {
    this.n = start;
  }
  inc(by = 1): number {
    return (this.n += by);
  }
  async later(by: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 1));
    return this.inc(by);
  }
  boom(): never {
    throw Object.assign(new RangeError('no'), { code: 7 });
  }
  secret(): string {
    return this.#secret;
  }
  _internal(): number {
    return 1;
  }
}

describe('Manager, round 2', () => {
  it('register: a class served by the manager, exposed methods only', async () => {
    await using manager = await Manager.start();
    const m = manager.register('Counter', Counter, { exposed: ['inc', 'later', 'boom'] });
    const c = await m.Counter(5);
    expect(await c.inc(2)).toBe(7);
    // @ts-expect-error secret is not exposed
    void c.secret;
    expect(await c.later(3)).toBe(10);
    const e = await c.boom().catch((error: unknown) => error);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).remoteName).toBe('RangeError');
    expect((e as RemoteError & { code: number }).code).toBe(7);
    const anyC = c as unknown as Record<string, () => Promise<unknown>>;
    await expect(anyC.secret!()).rejects.toThrow(/Counter does not expose secret\(\); it exposes inc\(\), later\(\), boom\(\)/);
    await expect(anyC.__proto__!()).rejects.toThrow(TypeError);
    expect((c as unknown as { then?: unknown }).then).toBeUndefined();
    // A forged call (a ref claiming more is exposed) is refused by the manager itself.
    const ref = (c as unknown as Shareable)[SHARE]().state as ProxyRef;
    for (const name of ['secret', 'constructor', '__proto__', 'n']) {
      await expect(callRef({ ...ref, exposed: [name] }, name, [])).rejects.toThrow(new RegExp(`Counter does not expose ${name === '__proto__' ? '__proto__' : name}`));
    }
  });

  it('register: default exposed is the public methods; factories and bad input', async () => {
    await using manager = await Manager.start();
    const m = manager.register('Counter', Counter);
    const c = await m.Counter();
    expect(await c.secret()).toBe('hidden');
    await expect((c as unknown as { _internal(): Promise<number> })._internal()).rejects.toThrow(/does not expose _internal/);
    const b = await m.register('Box', (v: number) => ({ v, get: () => v, self() { return this; } })).Box(3);
    expect(await b.get()).toBe(3);
    await expect(b.self()).rejects.toThrow(/cannot be sent back by value/);
    expect(() => manager.register('dict', Counter)).toThrow(/taken by the Manager/);
    expect(() => manager.register('1x', Counter)).toThrow(TypeError);
    expect(() => manager.register('C', 5 as never)).toThrow(/factory must be a class or a function, got 5/);
    expect(() => manager.register('C', Counter, { exposed: ['constructor'] as never })).toThrow(/exposed\[0\] may not be "constructor"/);
    expect(() => manager.register('C', Counter, { exposed: 'inc' as never })).toThrow(/exposed must be an array/);
  });

  it('Event, RLock, Condition, Semaphore, BoundedSemaphore', async () => {
    await using manager = await Manager.start();
    const ev = await manager.Event();
    expect(await ev.wait({ timeout: 20 })).toBe(false);
    const waiting = ev.wait();
    await ev.set();
    expect(await waiting).toBe(true);
    expect(await ev.isSet()).toBe(true);
    const r = await manager.RLock();
    expect(await r.acquire()).toBe(true);
    expect(await r.acquire()).toBe(true);
    await r.release();
    expect(await r.locked()).toBe(true);
    await r.release();
    expect(await r.locked()).toBe(false);
    await expect(r.release()).rejects.toThrow(MpError);
    const s = await manager.BoundedSemaphore(1);
    expect(await s.acquire()).toBe(true);
    expect(await s.acquire({ timeout: 20 })).toBe(false);
    await s.release();
    await expect(s.release()).rejects.toThrow(/released too many times/);
    await expect(manager.Semaphore(-1)).rejects.toThrow(RangeError);
    const cond = await manager.Condition();
    await expect(cond.notify()).rejects.toThrow(/lock to be held/);
    await cond.acquire();
    expect(await cond.wait({ timeout: 20 })).toBe(false);
    await cond.release();
  });

  it('Barrier: arrival indexes, one 0 per round, BrokenBarrierError on timeout and abort', async () => {
    await using manager = await Manager.start();
    let actions = 0;
    const b = await manager.Barrier(3, { action: () => actions++ });
    const idx = await Promise.all([b.wait(), b.wait(), b.wait()]);
    expect(idx.sort()).toEqual([0, 1, 2]);
    expect(actions).toBe(1);
    const lone = b.wait({ timeout: 20 });
    await expect(lone).rejects.toThrow(BrokenBarrierError);
    expect(await b.broken()).toBe(true);
    await b.reset();
    const w = b.wait();
    await b.abort();
    await expect(w).rejects.toThrow(BrokenBarrierError);
    await expect(manager.Barrier(0)).rejects.toThrow(/parties must be an integer >= 1, got 0/);
  });

  it('JoinableQueue, Array, Namespace', async () => {
    await using manager = await Manager.start();
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    await q.put(2);
    expect(await q.join({ timeout: 20 })).toBe(false);
    const joined = q.join();
    await q.get();
    await q.taskDone();
    await q.get();
    await q.taskDone();
    expect(await joined).toBe(true);
    await expect(q.taskDone()).rejects.toThrow(/more times/);
    const a = await manager.Array('i32', [1, 2, 3]);
    await a.set(-1, 30);
    expect(await a.toArray()).toEqual([1, 2, 30]);
    expect(await a.length()).toBe(3);
    await expect(a.get(3)).rejects.toThrow(RangeError);
    await expect(a.set(0, 1n as never)).rejects.toThrow(/must be a number/);
    await expect(manager.Array('i32', 'x' as never)).rejects.toThrow(TypeError);
    const ns = await manager.Namespace<{ x: number; y: string }>({ x: 1 });
    await ns.set('y', 'two');
    expect(await ns.get('x')).toBe(1);
    expect(await ns.toObject()).toEqual({ x: 1, y: 'two' });
    expect(await ns.get('nope' as 'x')).toBeUndefined();
  });

  it('shutdown rejects every waiting call', async () => {
    const manager = await Manager.start();
    const ev = await manager.Event();
    const cond = await manager.Condition();
    await cond.acquire();
    const waits = [ev.wait(), cond.wait()];
    await new Promise((r) => setTimeout(r, 5));
    await manager.shutdown();
    for (const w of waits) await expect(w).rejects.toThrow(/shut down/);
  });
});
