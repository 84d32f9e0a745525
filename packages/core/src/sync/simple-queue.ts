/**
 * `SimpleQueue`: the small queue of Python's `multiprocessing.SimpleQueue` —
 * put, get, empty, close — with no size limit but its buffer.
 */
import type { BlockingOptions } from '../internal/blocking-options.js';
import type { ChannelState } from '../internal/channel.js';
import { checkKnownOptions } from '../internal/validate.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { FROM_STATE, Queue, SHOWN_AS, type QueueInit } from './queue.js';

/** Options of `new SimpleQueue()`. */
export interface SimpleQueueOptions {
  /**
   * Bytes of shared memory the items (serialized) start with; it grows as needed, up to 1 GiB (where the
   * runtime cannot grow shared memory, a full buffer makes `put` wait and a larger item is refused).
   * @default 1048576 (1 MiB)
   */
  bufferSize?: number;
}

/** @internal Rebuilds a SimpleQueue over existing shared memory. */
export function reviveSimpleQueue<T>(state: ChannelState): SimpleQueue<T> {
  return new SimpleQueue<T>({ [FROM_STATE]: state } as SimpleQueueOptions);
}

/**
 * An unbounded FIFO queue shared by every worker it is passed to, as Python's
 * `multiprocessing.SimpleQueue`.
 *
 * @example
 * // tasks.js: export function report(results, n) { results.putSync(n * n); }
 * const results = new SimpleQueue<number>();
 * await pool.apply(task(new URL('./tasks.js', import.meta.url), 'report'), [results, 3]);
 * await results.get(); // 9
 */
export class SimpleQueue<T = unknown> {
  readonly #queue: Queue<T>;

  constructor(options?: SimpleQueueOptions) {
    const state = (options as QueueInit | undefined)?.[FROM_STATE];
    if (state) {
      this.#queue = new Queue<T>({ [FROM_STATE]: state, [SHOWN_AS]: 'SimpleQueue' } as QueueInit);
      return;
    }
    const o = checkKnownOptions('SimpleQueue', options, ['bufferSize']);
    const init: QueueInit = { [SHOWN_AS]: 'SimpleQueue' };
    if (o.bufferSize !== undefined) init.bufferSize = o.bufferSize as number;
    this.#queue = new Queue<T>(init);
  }

  /** Puts `item`, waiting while the buffer is full (up to `timeout` ms, then `Full`). */
  put(item: T, options?: BlockingOptions): Promise<void> {
    return this.#queue.put(item, options);
  }

  /** Blocks this thread until `item` is in. Not on a browser's main thread. */
  putSync(item: T, options?: BlockingOptions): void {
    this.#queue.putSync(item, options);
  }

  /** Takes the oldest item, waiting for one (up to `timeout` ms, then `Empty`). */
  get(options?: BlockingOptions): Promise<T> {
    return this.#queue.get(options);
  }

  /** Blocks this thread for an item. Not on a browser's main thread. */
  getSync(options?: BlockingOptions): T {
    return this.#queue.getSync(options);
  }

  /** Whether the queue is empty now (a snapshot). */
  empty(): boolean {
    return this.#queue.empty();
  }

  /** Closes the queue for every worker: `put` throws; `get` drains what is left, then throws. */
  close(): void {
    this.#queue.close();
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { ...this.#queue[SHARE](), kind: 'SimpleQueue' };
  }
}
