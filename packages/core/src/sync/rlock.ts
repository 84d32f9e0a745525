/**
 * `RLock`: a re-entrant lock. The thread that holds it may acquire it again; it
 * is free once released as many times. Cells: [mutex, owner, depth].
 */
import { MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { cellsFor, runAsync, runSync, type Steps } from '../internal/wait.js';
import { withHeld } from './with-lock.js';
import { acquireCell, releaseCell } from './lock.js';
import { ownerToken } from './owner.js';
import { rejecting } from '../internal/rejecting.js';

const MUTEX = 0;
const OWNER = 1;
const DEPTH = 2;

/**
 * A re-entrant lock shared across workers, as Python's `multiprocessing.RLock`.
 * Only its owner may release it.
 */
export class RLock {
  readonly #cells: Int32Array;

  constructor(cells?: Int32Array) {
    this.#cells = cellsFor(cells, 3, 'RLock');
  }

  *#acquire(deadline: number): Steps<boolean> {
    const me = ownerToken();
    if (Atomics.load(this.#cells, OWNER) === me) {
      Atomics.add(this.#cells, DEPTH, 1);
      return true;
    }
    if (!(yield* acquireCell(this.#cells, MUTEX, deadline))) return false;
    Atomics.store(this.#cells, OWNER, me);
    Atomics.store(this.#cells, DEPTH, 1);
    return true;
  }

  /** Waits for the lock (at once if this thread holds it); `false` on timeout. */
  acquire(options?: BlockingOptions): Promise<boolean> {
    return rejecting(() => runAsync(this.#acquire(deadlineFrom(options))));
  }

  /** Blocks this thread for the lock; `false` on timeout. */
  acquireSync(options?: BlockingOptions): boolean {
    const deadline = deadlineFrom(options);
    return runSync(this.#acquire(deadline), 'rlock.acquire', deadline);
  }

  /** Releases one level; throws unless this thread holds the lock. */
  release(): void {
    if (Atomics.load(this.#cells, OWNER) !== ownerToken()) {
      throw new MpError('release() of an RLock this thread does not hold');
    }
    if (Atomics.sub(this.#cells, DEPTH, 1) === 1) {
      Atomics.store(this.#cells, OWNER, 0);
      releaseCell(this.#cells, MUTEX);
    }
  }

  /** @internal Whether the calling thread holds it (for `Condition`). */
  isOwned(): boolean {
    return Atomics.load(this.#cells, OWNER) === ownerToken();
  }

  /** @internal Releases every level at once, returning how many (for `Condition.wait`). */
  releaseAll(): number {
    if (!this.isOwned()) throw new MpError('an RLock this thread does not hold cannot be released');
    const depth = Atomics.exchange(this.#cells, DEPTH, 0);
    Atomics.store(this.#cells, OWNER, 0);
    releaseCell(this.#cells, MUTEX);
    return depth;
  }

  /** @internal Restores `depth` levels after `acquire()` (for `Condition.wait`). */
  restoreDepth(depth: number): void {
    Atomics.store(this.#cells, DEPTH, depth);
  }

  /** Whether any thread holds the lock. */
  locked(): boolean {
    return Atomics.load(this.#cells, MUTEX) !== 0;
  }

  /** Runs `fn` holding the lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'RLock', state: this.#cells, sharedMemory: true };
  }
}

