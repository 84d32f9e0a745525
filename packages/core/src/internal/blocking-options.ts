/** The options every blocking call takes: `{ timeout }` in ms and, for acquire, `{ blocking }`. */
import { checkOptions, checkTimeout, show } from './validate.js';
import { deadlineOf } from './wait.js';

/** How long a blocking call may wait: `{ timeout }` in ms and, where it applies, `{ blocking: false }` for not at all. */
export interface BlockingOptions {
  /** Give up after this many milliseconds. */
  timeout?: number;
  /**
   * With `false`, do not wait at all.
   * @default true
   */
  blocking?: boolean;
}

/** Validates blocking options and returns the deadline (`-Infinity` for non-blocking). */
export function deadlineFrom(options: unknown, allowBlocking = true): number {
  const o = checkOptions('options', options);
  if (o.blocking !== undefined) {
    if (!allowBlocking) throw new TypeError('options.blocking is not an option here');
    if (typeof o.blocking !== 'boolean') throw new TypeError(`blocking must be a boolean, got ${show(o.blocking)}`);
    if (!o.blocking) return -Infinity;
  }
  return deadlineOf(o.timeout === undefined ? undefined : checkTimeout('timeout', o.timeout));
}
