/**
 * The synchronization objects a `Manager` holds for Python's `SyncManager`:
 * `Event`, `RLock`, `Condition`, `Semaphore`, `BoundedSemaphore`, `Barrier`.
 * Every blocking call waits here, in the manager, as a promise; its caller
 * awaits the reply. An `RLock` (and a `Condition`'s lock) is owned by the
 * calling thread: each proxy call carries its thread's owner token, so the
 * semantics match the shared-memory `RLock`.
 */
import { BrokenBarrierError, MpError } from '../errors.js';
import { tableKind, type ManagedKind, type ObjectKind } from './manager-server.js';
import { callingAs, currentCaller, nonBlocking, park, rejectAll, timeoutOf, wake, type Waiter } from './manager-waiters.js';

class ManagedEvent {
  flag = false;
  readonly waiters: Waiter[] = [];

  set(): void {
    this.flag = true;
    while (wake(this.waiters, true));
  }

  wait(options?: unknown): unknown {
    return this.flag ? true : park(this.waiters, timeoutOf(options), () => false);
  }
}

/** A re-entrant lock; `owner` is the calling thread's token. */
export class ManagedRLock {
  owner = 0;
  depth = 0;
  readonly waiters: Waiter[] = [];

  acquire(owner: number, options?: unknown): unknown {
    if (this.owner === owner) {
      this.depth++;
      return true;
    }
    if (this.owner === 0) {
      this.owner = owner;
      this.depth = 1;
      return true;
    }
    if (nonBlocking(options)) return false;
    return park(this.waiters, timeoutOf(options), () => false, owner);
  }

  release(owner: number): void {
    if (this.owner !== owner) throw new MpError('release() of an RLock this thread does not hold');
    if (--this.depth === 0) this.#handOver();
  }

  /** Releases every level at once (for `Condition.wait`); returns how many. */
  releaseAll(owner: number): number {
    if (this.owner !== owner) throw new MpError('an RLock this thread does not hold cannot be released');
    const depth = this.depth;
    this.depth = 0;
    this.#handOver();
    return depth;
  }

  #handOver(): void {
    const next = this.waiters[0];
    if (next) {
      this.owner = next.data as number;
      this.depth = 1;
      wake(this.waiters, true);
    } else {
      this.owner = 0;
    }
  }
}

class ManagedCondition {
  readonly lock = new ManagedRLock();
  readonly waiters: Waiter[] = [];

  #checkHeld(owner: number, what: string): void {
    if (this.lock.owner !== owner) throw new MpError(`condition.${what}() needs the condition's lock to be held`);
  }

  async wait(owner: number, options?: unknown): Promise<boolean> {
    this.#checkHeld(owner, 'wait');
    const timeout = timeoutOf(options);
    const caller = currentCaller();
    const depth = this.lock.releaseAll(owner);
    // Rejected only when the manager shuts down or the worker waiting ends: then nothing is taken back.
    const notified = (await park(this.waiters, timeout, () => false)) as boolean;
    // Take the lock back before returning, as Python's Condition.wait does; as the same worker, so this wait too ends with it.
    await callingAs(caller, () => this.lock.acquire(owner));
    this.lock.depth = depth;
    return notified;
  }

  notify(owner: number, n: unknown = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer >= 0, got ${String(n)}`);
    this.#checkHeld(owner, 'notify');
    for (let i = 0; i < n && wake(this.waiters, true); i++);
  }

  notifyAll(owner: number): void {
    this.#checkHeld(owner, 'notifyAll');
    while (wake(this.waiters, true));
  }
}

class ManagedSemaphore {
  readonly waiters: Waiter[] = [];
  constructor(
    public value: number,
    readonly bound: number | undefined,
  ) {}

  acquire(options?: unknown): unknown {
    if (this.value > 0) {
      this.value--;
      return true;
    }
    if (nonBlocking(options)) return false;
    return park(this.waiters, timeoutOf(options), () => false);
  }

  /** Gives back a permit taken by a worker that ended before receiving it. */
  giveBack(): void {
    if (!wake(this.waiters, true)) this.value++;
  }

  release(n: unknown = 1): void {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${String(n)}`);
    if (this.bound !== undefined && this.value + n > this.bound) {
      throw new MpError(`BoundedSemaphore released too many times: its value would be ${this.value + n}, above its initial ${this.bound}`);
    }
    for (let i = 0; i < n; i++) if (!wake(this.waiters, true)) this.value++;
  }
}

/** @internal What `manager.Barrier()` sends to the manager. */
export interface BarrierInit {
  parties: number;
  action: (() => unknown) | undefined;
  timeout: number | undefined;
}

class ManagedBarrier {
  readonly waiters: Waiter[] = [];
  broken = false;
  constructor(readonly init: BarrierInit) {}

  wait(options?: unknown): unknown {
    if (this.broken) throw new BrokenBarrierError('the barrier is broken');
    const index = this.waiters.length;
    if (index === this.init.parties - 1) {
      try {
        this.init.action?.();
      } catch (error) {
        this.abort();
        throw error;
      }
      // Each party's index is its place in the arrival order (a party whose worker ended left it).
      this.waiters.splice(0).forEach((w, i) => {
        w.timer?.clear();
        w.resolve(i);
      });
      return index;
    }
    const timeout = timeoutOf(options) ?? this.init.timeout;
    return park(this.waiters, timeout, () => {
      this.abort();
      throw new BrokenBarrierError('the barrier timed out and is now broken');
    });
  }

  abort(): void {
    this.broken = true;
    rejectAll(this.waiters, new BrokenBarrierError('the barrier was broken while this party waited'));
  }

  reset(): void {
    rejectAll(this.waiters, new BrokenBarrierError('the barrier was reset while this party waited'));
    this.broken = false;
  }
}

export const syncKinds: Partial<Record<ObjectKind, ManagedKind>> = {
  Event: tableKind('Event', () => new ManagedEvent(), {
    isSet: (e: ManagedEvent) => e.flag,
    set: (e: ManagedEvent) => e.set(),
    clear: (e: ManagedEvent) => void (e.flag = false),
    wait: (e: ManagedEvent, options?: unknown) => e.wait(options),
  }, (e: ManagedEvent) => e.waiters),
  RLock: tableKind('RLock', () => new ManagedRLock(), {
    acquire: (l: ManagedRLock, owner: number, options?: unknown) => l.acquire(owner, options),
    release: (l: ManagedRLock, owner: number) => l.release(owner),
    locked: (l: ManagedRLock) => l.owner !== 0,
  }, (l: ManagedRLock) => l.waiters, {
    acquire: (l: ManagedRLock, got: unknown, owner: number) => (got === true ? () => releaseOne(l, owner) : undefined),
  }),
  Condition: tableKind('Condition', () => new ManagedCondition(), {
    acquire: (c: ManagedCondition, owner: number, options?: unknown) => c.lock.acquire(owner, options),
    release: (c: ManagedCondition, owner: number) => c.lock.release(owner),
    wait: (c: ManagedCondition, owner: number, options?: unknown) => c.wait(owner, options),
    notify: (c: ManagedCondition, owner: number, n?: unknown) => c.notify(owner, n),
    notifyAll: (c: ManagedCondition, owner: number) => c.notifyAll(owner),
  }, (c: ManagedCondition) => [...c.waiters, ...c.lock.waiters], {
    acquire: (c: ManagedCondition, got: unknown, owner: number) => (got === true ? () => releaseOne(c.lock, owner) : undefined),
    // The wait took the lock back, at every level the worker held.
    wait: (c: ManagedCondition, _notified: unknown, owner: number) => () => {
      if (c.lock.owner === owner) c.lock.releaseAll(owner);
    },
  }),
  Semaphore: tableKind('Semaphore', (init) => new ManagedSemaphore(init as number, undefined), semaphoreOps(), (s: ManagedSemaphore) => s.waiters, semaphoreUndo()),
  BoundedSemaphore: tableKind('BoundedSemaphore', (init) => new ManagedSemaphore(init as number, init as number), semaphoreOps(), (s: ManagedSemaphore) => s.waiters, semaphoreUndo()),
  Barrier: tableKind('Barrier', (init) => new ManagedBarrier(init as BarrierInit), {
    wait: (b: ManagedBarrier, options?: unknown) => b.wait(options),
    abort: (b: ManagedBarrier) => b.abort(),
    reset: (b: ManagedBarrier) => b.reset(),
    parties: (b: ManagedBarrier) => b.init.parties,
    nWaiting: (b: ManagedBarrier) => b.waiters.length,
    broken: (b: ManagedBarrier) => b.broken,
  }, (b: ManagedBarrier) => b.waiters),
};

/** Releases one level of `l` if `owner` still holds it: the undo of an acquire. */
function releaseOne(l: ManagedRLock, owner: number): void {
  if (l.owner === owner) l.release(owner);
}

/** A permit taken goes back. */
function semaphoreUndo() {
  return { acquire: (s: ManagedSemaphore, got: unknown) => (got === true ? () => s.giveBack() : undefined) };
}

function semaphoreOps() {
  return {
    acquire: (s: ManagedSemaphore, options?: unknown) => s.acquire(options),
    release: (s: ManagedSemaphore, n?: unknown) => s.release(n),
    getValue: (s: ManagedSemaphore) => s.value,
  };
}
