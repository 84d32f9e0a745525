/**
 * `Semaphore` and `BoundedSemaphore` in shared memory: a counter that
 * `acquire` decrements (waiting while it is 0) and `release` increments.
 * Cells: [value, bound] (bound is -1 for an unbounded semaphore).
 */
import { MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkInteger } from '../internal/validate.js';
import { withHeld } from './with-lock.js';
import { notify, remaining, runAsync, runSync, sharedCells, type Steps } from '../internal/wait.js';
import { rejecting } from '../internal/rejecting.js';

const VALUE = 0;
const BOUND = 1;

function* acquireSteps(cells: Int32Array, deadline: number): Steps<boolean> {
  for (;;) {
    const v = Atomics.load(cells, VALUE);
    if (v > 0) {
      if (Atomics.compareExchange(cells, VALUE, v, v - 1) === v) return true;
      continue;
    }
    if (remaining(deadline) === 0) return false;
    yield { cells, index: VALUE, expected: 0, deadline };
  }
}

/**
 * A counting semaphore shared across workers, as Python's `multiprocessing.Semaphore`.
 *
 * @example
 * const slots = new Semaphore(2); // at most two at a time
 * await slots.acquire(); try { await work(); } finally { slots.release(); }
 */
export class Semaphore {
  readonly #cells: Int32Array;

  /** @param value the initial count. @default 1 */
  constructor(value: number | Int32Array = 1) {
    if (value instanceof Int32Array) {
      this.#cells = value;
      return;
    }
    checkInteger('value', value, 0);
    this.#cells = sharedCells(2, new.target.name);
    Atomics.store(this.#cells, VALUE, value);
    Atomics.store(this.#cells, BOUND, new.target === BoundedSemaphore ? value : -1);
  }

  /** Takes one unit, waiting while none is left; `false` on timeout. */
  acquire(options?: BlockingOptions): Promise<boolean> {
    return rejecting(() => runAsync(acquireSteps(this.#cells, deadlineFrom(options))));
  }

  /** Blocks this thread for one unit; `false` on timeout. */
  acquireSync(options?: BlockingOptions): boolean {
    const deadline = deadlineFrom(options);
    return runSync(acquireSteps(this.#cells, deadline), 'semaphore.acquire', deadline);
  }

  /** Gives back `n` units, waking as many waiters. A `BoundedSemaphore` throws if that exceeds its initial value. */
  release(n = 1): void {
    checkInteger('n', n, 1);
    const bound = Atomics.load(this.#cells, BOUND);
    for (;;) {
      const v = Atomics.load(this.#cells, VALUE);
      if (bound >= 0 && v + n > bound) {
        throw new MpError(`BoundedSemaphore released too many times: its value would be ${v + n}, above its initial ${bound}`);
      }
      if (Atomics.compareExchange(this.#cells, VALUE, v, v + n) === v) break;
    }
    notify(this.#cells, VALUE, n);
  }

  /** The current count. */
  getValue(): number {
    return Atomics.load(this.#cells, VALUE);
  }

  /** Runs `fn` holding one unit, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'Semaphore', state: this.#cells, sharedMemory: true };
  }
}

/** A semaphore that refuses to be released above its initial value, as Python's `BoundedSemaphore`. */
export class BoundedSemaphore extends Semaphore {
  /** @internal */
  override [SHARE](): ShareDescription {
    return { ...super[SHARE](), kind: 'BoundedSemaphore' };
  }
}
