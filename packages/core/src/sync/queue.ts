/**
 * `Queue`: Python's `multiprocessing.Queue` over shared memory. Items are
 * serialized into a ring buffer shared by every worker the queue is passed
 * to; any number of producers and consumers, nothing lost or delivered twice,
 * first-in first-out for each producer.
 */
import { Empty, Full, MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import {
  Channel,
  SendOrder,
  checkBufferSize,
  drive,
  type ChannelState,
  type GetResult,
  type PutResult,
} from '../internal/channel.js';
import { deserialize, encode } from '../internal/serialize.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkInteger, checkKnownOptions } from '../internal/validate.js';
import { runAsync } from '../internal/wait.js';
import { rejecting } from '../internal/rejecting.js';

export type { BlockingOptions } from '../internal/blocking-options.js';

/** Options of `new Queue()` and `new JoinableQueue()`. */
export interface QueueOptions {
  /**
   * The most items the queue holds; `put` waits (or throws `Full`) beyond it. `0` means no limit,
   * as in Python: everything put stays buffered until it is taken.
   * @default 0
   */
  maxsize?: number;
  /**
   * Bytes of shared memory the items (serialized) start with. The buffer grows as needed, up to 1 GiB, so
   * it bounds neither the number nor the size of items; only where the runtime cannot grow shared memory
   * does a full buffer make `put` wait, and an item larger than it is refused with a `RangeError`.
   * @default 1048576 (1 MiB)
   */
  bufferSize?: number;
}

/** @internal Rebuilds a queue over existing shared memory (a worker receiving one). */
export const FROM_STATE: unique symbol = Symbol('mp.queue.state');

/** @internal Set on a subclass that counts unfinished tasks (`JoinableQueue`). */
export const JOINABLE: unique symbol = Symbol('mp.queue.joinable');

/** @internal */
export type QueueInit = QueueOptions & { [FROM_STATE]?: ChannelState; [SHOWN_AS]?: string };

/** @internal The class name errors show, for a queue inside another facade (`SimpleQueue`). */
export const SHOWN_AS: unique symbol = Symbol('mp.queue.name');

/**
 * A multi-producer, multi-consumer FIFO queue shared by every worker it is
 * passed to, as Python's `multiprocessing.Queue`. Timeouts are in ms.
 *
 * @example
 * // tasks.js: export function produce(q, n) { for (let i = 0; i < n; i++) q.putSync(i); }
 * const q = new Queue<number>({ maxsize: 64 });
 * const produce = task(new URL('./tasks.js', import.meta.url), 'produce');
 * new Process({ target: produce, args: [q, 1000] }).start();
 * const first = await q.get({ timeout: 5_000 }); // 0
 */
export class Queue<T = unknown> {
  readonly #channel: Channel;
  readonly #order = new SendOrder();
  readonly #name: string;

  constructor(options?: QueueOptions) {
    const init = options as QueueInit | undefined;
    this.#name = init?.[SHOWN_AS] ?? new.target.name;
    const state = init?.[FROM_STATE];
    if (state) {
      this.#channel = new Channel(state);
      return;
    }
    const o = checkKnownOptions(this.#name, options, ['maxsize', 'bufferSize']);
    const maxsize = o.maxsize === undefined ? 0 : checkInteger('maxsize', o.maxsize, 0);
    if (maxsize > 0x7fffffff) throw new RangeError(`maxsize must be at most ${0x7fffffff} (or 0 for no limit), got ${maxsize}`);
    const joinable = (new.target as { [JOINABLE]?: boolean })[JOINABLE] === true;
    this.#channel = Channel.create(this.#name, maxsize, checkBufferSize(o.bufferSize), joinable);
  }

  /** @internal The engine, for `JoinableQueue` and `SimpleQueue`. */
  protected get channel(): Channel {
    return this.#channel;
  }

  /** Puts `item`, waiting for room up to `timeout` ms (none with `blocking: false`); rejects with `Full` then. */
  put(item: T, options?: BlockingOptions): Promise<void> {
    return rejecting(() => {
      const deadline = deadlineFrom(options);
      const bytes = this.#encode(item);
      return this.#order.run(bytes, (b) => this.#channel.put(b, deadline, false)).then((r) => this.#putDone(r));
    });
  }

  /** Puts `item` now or throws `Full`. */
  putNowait(item: T): void {
    this.#putDone(drive(this.#channel.put(this.#encode(item), -Infinity, true), 'queue.put', -Infinity));
  }

  /** Blocks this thread until `item` is in (or throws `Full` after `timeout` ms). Not on a browser's main thread. */
  putSync(item: T, options?: BlockingOptions): void {
    const deadline = deadlineFrom(options);
    this.#putDone(drive(this.#channel.put(this.#encode(item), deadline, true), 'queue.put', deadline));
  }

  /** Takes the oldest item, waiting up to `timeout` ms (none with `blocking: false`); rejects with `Empty` then. */
  get(options?: BlockingOptions): Promise<T> {
    return rejecting(() => runAsync(this.#channel.get(deadlineFrom(options)))).then((r) => this.#getDone(r));
  }

  /** Takes an item now or throws `Empty`. */
  getNowait(): T {
    return this.#getDone(drive(this.#channel.get(-Infinity), 'queue.get', -Infinity));
  }

  /** Blocks this thread for an item (or throws `Empty` after `timeout` ms). Not on a browser's main thread. */
  getSync(options?: BlockingOptions): T {
    const deadline = deadlineFrom(options);
    return this.#getDone(drive(this.#channel.get(deadline), 'queue.get', deadline));
  }

  /** How many items are in the queue now (a snapshot: other workers may change it at once). */
  qsize(): number {
    return this.#channel.items();
  }

  /** Whether the queue is empty now (a snapshot). */
  empty(): boolean {
    return this.#channel.items() === 0;
  }

  /** Whether the queue holds `maxsize` items now (a snapshot; always false without `maxsize`). */
  full(): boolean {
    const max = this.#channel.maxsize;
    return max > 0 && this.#channel.items() >= max;
  }

  /**
   * Closes the queue for every worker: `put` throws from now on (waiting puts too); `get` still
   * takes what is left, then throws instead of waiting.
   */
  close(): void {
    this.#channel.closeWriter();
  }

  #encode(item: unknown): Uint8Array {
    const bytes = encode(item, 'item');
    const max = this.#channel.maxMessage;
    if (bytes.length > max) {
      const name = this.#name;
      throw new RangeError(
        `item is ${bytes.length} bytes serialized, more than this ${name}'s buffer of ${this.#channel.bufferSize} bytes can carry ` +
          `(${max} per item); give it a larger buffer: new ${name}({ bufferSize: ${suggestSize(bytes.length)} })`,
      );
    }
    return bytes;
  }

  #putDone(result: PutResult): void {
    if (result === 'ok') return;
    if (result === 'full') throw new Full(`put() found the ${this.#name} full`);
    throw new MpError(`put() on a closed ${this.#name}`);
  }

  #getDone(result: GetResult): T {
    if (result instanceof Uint8Array) return deserialize(result) as T;
    if (result === 'empty') throw new Empty(`get() found the ${this.#name} empty`);
    throw new MpError(`get() on a closed ${this.#name} that is empty: nothing more will arrive`);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'Queue', state: this.#channel.state, sharedMemory: true };
  }
}

/** @internal A buffer size that holds an item of `bytes`: the next power of two with room for the prefix. */
export function suggestSize(bytes: number): number {
  return 2 ** Math.ceil(Math.log2(bytes + 16));
}

/** @internal Rebuilds a Queue over existing shared memory (in a worker that received one). */
export function reviveQueue<T>(state: ChannelState): Queue<T> {
  return new Queue<T>({ [FROM_STATE]: state } as QueueInit);
}
