/**
 * `Lock`: a mutex in shared memory, usable from any worker it is passed to.
 * One Int32 cell: 0 free, 1 held, 2 held with waiters (so release only wakes
 * someone when someone waits).
 */
import { MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { withHeld } from './with-lock.js';
import { cellsFor, notify, remaining, runAsync, runSync, type Steps } from '../internal/wait.js';
import { rejecting } from '../internal/rejecting.js';

export type { BlockingOptions } from '../internal/blocking-options.js';

/** The acquire algorithm of a mutex cell, shared by `Lock` and `RLock`. */
export function* acquireCell(cells: Int32Array, index: number, deadline: number): Steps<boolean> {
  if (Atomics.compareExchange(cells, index, 0, 1) === 0) return true;
  for (;;) {
    if (Atomics.exchange(cells, index, 2) === 0) return true;
    if (remaining(deadline) === 0) return false;
    yield { cells, index, expected: 2, deadline };
  }
}

/** Frees a mutex cell; false if it was not held. */
export function releaseCell(cells: Int32Array, index: number): boolean {
  const prev = Atomics.exchange(cells, index, 0);
  if (prev === 2) notify(cells, index, 1);
  return prev !== 0;
}

/**
 * A lock shared by every worker it is passed to, as Python's `multiprocessing.Lock`.
 *
 * @example
 * const lock = new Lock();
 * await lock.withLock(async () => { counter.value += 1; });
 */
export class Lock {
  readonly #cells: Int32Array;

  constructor(cells?: Int32Array) {
    this.#cells = cellsFor(cells, 1, 'Lock');
  }

  /** Waits for the lock; resolves `false` if `timeout` ms passed (or at once with `blocking: false`). */
  acquire(options?: BlockingOptions): Promise<boolean> {
    return rejecting(() => runAsync(acquireCell(this.#cells, 0, deadlineFrom(options))));
  }

  /** Blocks this thread until the lock is free; `false` on timeout. Throws where a thread may not block. */
  acquireSync(options?: BlockingOptions): boolean {
    const deadline = deadlineFrom(options);
    return runSync(acquireCell(this.#cells, 0, deadline), 'lock.acquire', deadline);
  }

  /** Frees the lock (any holder may release it, as in Python); throws if it is not held. */
  release(): void {
    if (!releaseCell(this.#cells, 0)) throw new MpError('release() of a Lock that is not locked');
  }

  /** Whether some worker holds the lock. */
  locked(): boolean {
    return Atomics.load(this.#cells, 0) !== 0;
  }

  /** Runs `fn` holding the lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'Lock', state: this.#cells, sharedMemory: true };
  }
}

