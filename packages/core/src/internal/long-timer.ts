/**
 * Timers for any finite delay. Node's and Bun's `setTimeout` take at most
 * 2^31−1 ms (about 24.8 days): a longer delay overflows and fires after 1 ms,
 * with only a warning. A timeout must never fire early, so a long delay is
 * waited out in steps of at most that size, against a deadline on the
 * monotonic clock; a step that wakes before the deadline (timers may round)
 * is armed again for what is left.
 */

/** The longest delay every runtime's `setTimeout` takes as it is: 2^31−1 ms. */
export const MAX_TIMER_DELAY = 0x7fffffff;

/** A pending `setLongTimeout`; `clear()` cancels it (harmless once it fired). */
export interface LongTimeout {
  clear(): void;
}

/**
 * Calls `fn` once `ms` milliseconds have passed — never earlier, however large
 * `ms` is. `ms` must be a finite number >= 0 (callers validate it with
 * `checkTimeout`); a value below 0 counts as 0.
 *
 * @example
 * const t = setLongTimeout(() => console.log('a month later'), 30 * 24 * 3600_000);
 * t.clear();
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  const deadline = performance.now() + Math.max(0, ms);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cleared = false;
  const arm = (left: number): void => {
    timer = setTimeout(step, Math.min(left, MAX_TIMER_DELAY));
  };
  const step = (): void => {
    timer = undefined;
    if (cleared) return;
    const left = deadline - performance.now();
    if (left > 0) arm(left);
    else fn();
  };
  arm(Math.max(0, ms));
  return {
    clear() {
      cleared = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
