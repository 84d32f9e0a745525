/**
 * `Condition`: wait until notified, holding a lock around the check, as
 * Python's `multiprocessing.Condition`. The lock (an `RLock` by default) guards
 * the shared state; waiters sleep on a generation cell that `notify` bumps.
 * `notify(n)` also hands out at most `n` grants (never more than there are
 * waiters): a waiter returns only with a grant, so no more than `n` return,
 * even one that had released the lock but not yet gone to sleep when the
 * notify came. As with any condition variable, a woken waiter re-checks its
 * predicate (`waitFor` does that for you).
 */
import { MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkInteger, show } from '../internal/validate.js';
import { checkMayBlock, notify, remaining, runAsync, runSync, sharedCells, type Steps } from '../internal/wait.js';
import type { Lock } from './lock.js';
import { RLock } from './rlock.js';

type WaitOptions = Omit<BlockingOptions, 'blocking'>;

/** The cells: the generation waiters sleep on, the grants left to take, the waiters inside `wait`. */
const GENERATION = 0;
const GRANTS = 1;
const WAITERS = 2;
/** What `notifyAll` grants (clamped to the waiters, like any notify). */
const ALL = 0x3fffffff;

function isRLock(lock: Lock | RLock): lock is RLock {
  return typeof (lock as Partial<RLock>).isOwned === 'function';
}

/**
 * @example
 * const cond = new Condition();
 * await cond.withLock(async () => { await cond.waitFor(() => items.value > 0); });
 */
export class Condition {
  readonly #lock: Lock | RLock;
  readonly #cells: Int32Array;

  /** @param lock the lock to use. @default a new RLock */
  constructor(lock?: Lock | RLock, cells?: Int32Array) {
    // By shape, not class: in a worker, a lock may come from another copy of mp (the adapter's bundled one).
    if (lock !== undefined && (typeof lock !== 'object' || lock === null || typeof lock.acquire !== 'function' || typeof lock.release !== 'function')) {
      throw new TypeError(`lock must be a Lock or an RLock, got ${show(lock)}`);
    }
    this.#lock = lock ?? new RLock();
    this.#cells = cells ?? sharedCells(3, 'Condition');
  }

  /** Acquires the condition's lock; resolves `false` if `timeout` ms passed. */
  acquire(options?: BlockingOptions): Promise<boolean> {
    return this.#lock.acquire(options);
  }

  /** Acquires the condition's lock, blocking this thread; `false` on timeout. Throws where a thread may not block. */
  acquireSync(options?: BlockingOptions): boolean {
    return this.#lock.acquireSync(options);
  }

  /** Releases the condition's lock. */
  release(): void {
    this.#lock.release();
  }

  /** Runs `fn` holding the condition's lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return this.#lock.withLock(fn);
  }

  #checkHeld(what: string): void {
    const held = isRLock(this.#lock) ? this.#lock.isOwned() : this.#lock.locked();
    if (!held) throw new MpError(`condition.${what}() needs the condition's lock to be held`);
  }

  /** Releases the lock entirely; returns what `#reacquired` needs to restore it. */
  #releaseFully(): number {
    if (isRLock(this.#lock)) return this.#lock.releaseAll();
    this.#lock.release();
    return 1;
  }

  #restore(depth: number): void {
    if (isRLock(this.#lock)) this.#lock.restoreDepth(depth);
  }

  *#sleep(generation: number, deadline: number): Steps<boolean> {
    const c = this.#cells;
    for (;;) {
      const now = Atomics.load(c, GENERATION);
      if (now !== generation) {
        if (this.#takeGrant()) return true;
        // That notify's grants went to other waiters: wait for the next one.
        generation = now;
        continue;
      }
      if (remaining(deadline) === 0) return false;
      const r = yield { cells: c, index: GENERATION, expected: generation, deadline };
      if (r === 'timed-out' && Atomics.load(c, GENERATION) === generation) return false;
    }
  }

  #takeGrant(): boolean {
    const c = this.#cells;
    for (let g = Atomics.load(c, GRANTS); g > 0; g = Atomics.load(c, GRANTS)) {
      if (Atomics.compareExchange(c, GRANTS, g, g - 1) === g) return true;
    }
    return false;
  }

  /** Hands out up to `n` more grants, no more than there are waiters, and wakes that many sleepers. */
  #grant(n: number): void {
    const c = this.#cells;
    // Held lock: no waiter can register meanwhile; one leaving on a timeout only lowers the count.
    for (;;) {
      const g = Atomics.load(c, GRANTS);
      const next = Math.min(g + n, Atomics.load(c, WAITERS));
      if (Atomics.compareExchange(c, GRANTS, g, Math.max(next, 0)) === g) break;
    }
    Atomics.add(c, GENERATION, 1);
    notify(c, GENERATION, n);
  }

  /** Releases the lock, waits for a notify (or `timeout` ms), takes the lock back; `false` on timeout. */
  async wait(options?: WaitOptions): Promise<boolean> {
    this.#checkHeld('wait');
    const deadline = deadlineFrom(options, false);
    const generation = Atomics.load(this.#cells, GENERATION);
    Atomics.add(this.#cells, WAITERS, 1);
    const depth = this.#releaseFully();
    try {
      return await runAsync(this.#sleep(generation, deadline));
    } finally {
      Atomics.sub(this.#cells, WAITERS, 1);
      await this.#lock.acquire();
      this.#restore(depth);
    }
  }

  /** The blocking form of `wait`. */
  waitSync(options?: WaitOptions): boolean {
    this.#checkHeld('wait');
    const deadline = deadlineFrom(options, false);
    // Before the lock is let go: on a thread that may not block it stays held, as before the call.
    checkMayBlock(deadline, 'condition.wait');
    const generation = Atomics.load(this.#cells, GENERATION);
    Atomics.add(this.#cells, WAITERS, 1);
    const depth = this.#releaseFully();
    try {
      return runSync(this.#sleep(generation, deadline), 'condition.wait', deadline);
    } finally {
      Atomics.sub(this.#cells, WAITERS, 1);
      this.#lock.acquireSync();
      this.#restore(depth);
    }
  }

  /** Waits until `predicate()` is truthy; returns its last value (falsy on timeout). */
  async waitFor<T>(predicate: () => T, options?: WaitOptions): Promise<T> {
    const deadline = deadlineFrom(options, false);
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      await this.wait(left === Infinity ? {} : { timeout: left });
      result = predicate();
    }
    return result;
  }

  /** The blocking form of `waitFor`. */
  waitForSync<T>(predicate: () => T, options?: WaitOptions): T {
    const deadline = deadlineFrom(options, false);
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      this.waitSync(left === Infinity ? {} : { timeout: left });
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters. The lock must be held. */
  notify(n = 1): void {
    checkInteger('n', n, 0);
    this.#checkHeld('notify');
    if (n > 0) this.#grant(n);
  }

  /** Wakes every waiter. The lock must be held. */
  notifyAll(): void {
    this.#checkHeld('notifyAll');
    this.#grant(ALL);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'Condition', state: { lock: this.#lock, cells: this.#cells }, sharedMemory: true };
  }
}

