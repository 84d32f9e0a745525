/**
 * `JoinableQueue`: a `Queue` that counts the items put and not yet marked done,
 * so a producer can wait until consumers have processed everything, as
 * Python's `multiprocessing.JoinableQueue`.
 */
import { MpError } from '../errors.js';
import { deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { drive, type ChannelState } from '../internal/channel.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { runAsync } from '../internal/wait.js';
import { FROM_STATE, JOINABLE, Queue, type QueueInit } from './queue.js';
import { rejecting } from '../internal/rejecting.js';

/**
 * A `Queue` with `taskDone()` and `join()`: each `get` is matched by a
 * `taskDone()` once the item is processed, and `join()` waits until every item
 * put so far has been.
 *
 * @example
 * const q = new JoinableQueue<string>();
 * for (const url of urls) await q.put(url);
 * // in each worker: for (;;) { const url = q.getSync(); fetchIt(url); q.taskDone(); }
 * await q.join(); // every url processed
 */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /** @internal */
  static readonly [JOINABLE] = true;

  /** Marks one item taken with `get` as processed; throws if more were marked than were put. */
  taskDone(): void {
    if (!this.channel.taskDone()) {
      throw new MpError('taskDone() called more times than there were items put on the JoinableQueue');
    }
  }

  /** Resolves `true` once every item put has been marked done, or `false` after `timeout` ms. */
  join(options?: Omit<BlockingOptions, 'blocking'>): Promise<boolean> {
    return rejecting(() => runAsync(this.channel.join(deadlineFrom(options, false))));
  }

  /** Blocks this thread until every item put has been marked done; `false` after `timeout` ms. */
  joinSync(options?: Omit<BlockingOptions, 'blocking'>): boolean {
    const deadline = deadlineFrom(options, false);
    return drive(this.channel.join(deadline), 'queue.join', deadline);
  }

  /** @internal */
  override [SHARE](): ShareDescription {
    return { ...super[SHARE](), kind: 'JoinableQueue' };
  }
}

/** @internal Rebuilds a JoinableQueue over existing shared memory. */
export function reviveJoinableQueue<T>(state: ChannelState): JoinableQueue<T> {
  return new JoinableQueue<T>({ [FROM_STATE]: state } as QueueInit);
}
