/**
 * `Event`: a flag in shared memory that workers wait on, as Python's
 * `multiprocessing.Event`. One Int32 cell: 0 clear, 1 set.
 */
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { cellsFor, notify, remaining, runAsync, runSync, type Steps } from '../internal/wait.js';
import { rejecting } from '../internal/rejecting.js';

function* waitSteps(cells: Int32Array, deadline: number): Steps<boolean> {
  for (;;) {
    if (Atomics.load(cells, 0) === 1) return true;
    if (remaining(deadline) === 0) return false;
    yield { cells, index: 0, expected: 0, deadline };
  }
}

/**
 * @example
 * const ready = new Event();
 * // in a worker: await ready.wait();   in the parent: ready.set();
 */
export class Event {
  readonly #cells: Int32Array;

  constructor(cells?: Int32Array) {
    this.#cells = cellsFor(cells, 1, 'Event');
  }

  /** Whether the flag is set. */
  isSet(): boolean {
    return Atomics.load(this.#cells, 0) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.#cells, 0, 1);
    notify(this.#cells, 0);
  }

  /** Clears the flag. */
  clear(): void {
    Atomics.store(this.#cells, 0, 0);
  }

  /** Resolves `true` once the flag is set, `false` if `timeout` ms pass first. */
  wait(options?: Omit<BlockingOptions, 'blocking'>): Promise<boolean> {
    return rejecting(() => runAsync(waitSteps(this.#cells, deadlineFrom(options, false))));
  }

  /** Blocks this thread until the flag is set; `false` on timeout. */
  waitSync(options?: Omit<BlockingOptions, 'blocking'>): boolean {
    const deadline = deadlineFrom(options, false);
    return runSync(waitSteps(this.#cells, deadline), 'event.wait', deadline);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'Event', state: this.#cells, sharedMemory: true };
  }
}
