/**
 * Proxies to the synchronization objects a `Manager` holds (Python's
 * `SyncManager.Event`, `RLock`, `Condition`, `Semaphore`, `BoundedSemaphore`,
 * `Barrier`). Each mirrors its shared-memory twin with awaitable methods, and
 * works where no memory is shared: child processes, pages that are not
 * cross-origin isolated. Timeouts are in ms; a timed-out wait resolves `false`.
 */
import type { BlockingOptions } from '../internal/blocking-options.js';
import { remaining } from '../internal/wait.js';
import { checkInteger } from '../internal/validate.js';
import { ManagedProxy } from './managed-proxy.js';
import { ownerToken } from './owner.js';
import { withHeld } from './with-lock.js';

type WaitOptions = Omit<BlockingOptions, 'blocking'>;

/** A flag held by a manager, as Python's `manager.Event()`. */
export class EventProxy extends ManagedProxy {
  /** Whether the flag is set. */
  isSet(): Promise<boolean> {
    return this.call('isSet');
  }
  /** Sets the flag and wakes every waiter. */
  set(): Promise<void> {
    return this.call('set');
  }
  /** Clears the flag. */
  clear(): Promise<void> {
    return this.call('clear');
  }
  /** Resolves `true` once the flag is set, `false` if `timeout` ms pass first. */
  async wait(options?: WaitOptions): Promise<boolean> {
    this.waitOptions('wait', options, false);
    return this.callNamed('wait', ['options'], options);
  }
}

/** A re-entrant lock held by a manager, owned by the thread that acquired it, as Python's `manager.RLock()`. */
export class RLockProxy extends ManagedProxy {
  /** Resolves `false` if `timeout` ms pass first (at once with `blocking: false`). */
  async acquire(options?: BlockingOptions): Promise<boolean> {
    this.waitOptions('acquire', options);
    return this.callNamed('acquire', ['owner', 'options'], ownerToken(), options);
  }
  /** Releases one level; rejects unless this thread holds it. */
  release(): Promise<void> {
    return this.call('release', ownerToken());
  }
  /** Whether some thread holds the lock. */
  locked(): Promise<boolean> {
    return this.call('locked');
  }
  /** Runs `fn` holding the lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }
}

/** A condition variable held by a manager (with an RLock of its own), as Python's `manager.Condition()`. */
export class ConditionProxy extends ManagedProxy {
  /** Waits for the condition's lock; resolves `false` if `timeout` ms pass first. */
  async acquire(options?: BlockingOptions): Promise<boolean> {
    this.waitOptions('acquire', options);
    return this.callNamed('acquire', ['owner', 'options'], ownerToken(), options);
  }
  /** Releases one level of the condition's lock; rejects unless this thread holds it. */
  release(): Promise<void> {
    return this.call('release', ownerToken());
  }
  /** Runs `fn` holding the condition's lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }
  /** Releases the lock, waits for a notify (or `timeout` ms), takes the lock back; `false` on timeout. */
  async wait(options?: WaitOptions): Promise<boolean> {
    this.waitOptions('wait', options, false);
    return this.callNamed('wait', ['owner', 'options'], ownerToken(), options);
  }
  /**
   * Waits until `predicate()` (run here, and may be async) is truthy; returns its last value (falsy on timeout).
   * @example
   * await cond.withLock(() => cond.waitFor(async () => (await items.length()) > 0));
   */
  async waitFor<T>(predicate: () => T | Promise<T>, options?: WaitOptions): Promise<Awaited<T>> {
    if (typeof predicate !== 'function') throw new TypeError(`predicate must be a function, got ${typeof predicate}`);
    const deadline = this.waitOptions('waitFor', options, false);
    let result = await predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      await this.wait(left === Infinity ? {} : { timeout: left });
      result = await predicate();
    }
    return result;
  }
  /** Wakes up to `n` waiters; the lock must be held. */
  async notify(n = 1): Promise<void> {
    checkInteger('n', n, 0);
    return this.call('notify', ownerToken(), n);
  }
  /** Wakes every waiter; the lock must be held. */
  notifyAll(): Promise<void> {
    return this.call('notifyAll', ownerToken());
  }
}

/** A counting semaphore held by a manager, as Python's `manager.Semaphore(n)`. */
export class SemaphoreProxy extends ManagedProxy {
  /** Takes one unit; resolves `false` if `timeout` ms pass first. */
  async acquire(options?: BlockingOptions): Promise<boolean> {
    this.waitOptions('acquire', options);
    return this.callNamed('acquire', ['options'], options);
  }
  /** Gives back `n` units; a `BoundedSemaphore` rejects going above its initial value. */
  async release(n = 1): Promise<void> {
    checkInteger('n', n, 1);
    return this.call('release', n);
  }
  /** The units left now (a snapshot). */
  getValue(): Promise<number> {
    return this.call('getValue');
  }
  /** Runs `fn` holding one unit, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }
}

/** A semaphore held by a manager that refuses to go above its initial value, as Python's `manager.BoundedSemaphore(n)`. */
export class BoundedSemaphoreProxy extends SemaphoreProxy {}

/** A barrier held by a manager, as Python's `manager.Barrier(parties)`. */
export class BarrierProxy extends ManagedProxy {
  /** Waits for every party; resolves to the arrival index (`0 … parties-1`, one `0` per round), or rejects with `BrokenBarrierError`. */
  async wait(options?: WaitOptions): Promise<number> {
    this.waitOptions('wait', options, false);
    return this.callNamed('wait', ['options'], options);
  }
  /** Breaks the barrier: every waiter, now and later, gets `BrokenBarrierError` until `reset()`. */
  abort(): Promise<void> {
    return this.call('abort');
  }
  /** Empties and mends the barrier; parties waiting now get `BrokenBarrierError`. */
  reset(): Promise<void> {
    return this.call('reset');
  }
  /** How many parties each round waits for. */
  parties(): Promise<number> {
    return this.call('parties');
  }
  /** How many parties wait in the current round. */
  nWaiting(): Promise<number> {
    return this.call('nWaiting');
  }
  /** Whether the barrier is broken (aborted or timed out). */
  broken(): Promise<boolean> {
    return this.call('broken');
  }
}
