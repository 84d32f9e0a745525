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

/**
 * Refuses an option a blocking call does not take, naming it: a misspelt `{ timout: 100 }` would otherwise wait
 * with no limit at all.
 */
export function checkBlockingNames(o: Record<string, unknown>, allowBlocking: boolean): void {
  for (const key of Object.keys(o)) {
    if (key === 'timeout' || (allowBlocking && key === 'blocking')) continue;
    throw new TypeError(`options.${key} is not an option here; expected ${allowBlocking ? 'one of timeout, blocking' : 'only timeout'}`);
  }
}

/** Validates blocking options and returns the deadline (`-Infinity` for non-blocking). */
export function deadlineFrom(options: unknown, allowBlocking = true): number {
  const o = checkOptions('options', options);
  checkBlockingNames(o, allowBlocking);
  if (o.blocking !== undefined) {
    if (typeof o.blocking !== 'boolean') throw new TypeError(`blocking must be a boolean, got ${show(o.blocking)}`);
    if (!o.blocking) return -Infinity;
  }
  return deadlineOf(o.timeout === undefined ? undefined : checkTimeout('timeout', o.timeout));
}
