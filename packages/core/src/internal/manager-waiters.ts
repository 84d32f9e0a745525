/**
 * Callers parked inside a `Manager` (a queue's `get`, a lock's `acquire`, an
 * event's `wait`…): each is a promise its reply waits on, woken by the object
 * or by its own timer. Shared by every kind of managed object.
 */
import { holdDaemons } from './daemons.js';
import { setLongTimeout, type LongTimeout } from './long-timer.js';
import { checkOptions, checkTimeout } from './validate.js';

export interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: LongTimeout | undefined;
  /** What the parked call brought along (an RLock waiter's owner, a barrier party's index). */
  data?: unknown;
}

/**
 * Parks a caller on `list`; after `timeout` ms (when a number) it leaves the list with what `onTimeout` returns or
 * throws. The timer takes any finite delay, past setTimeout's 2^31−1 ms, and never fires early.
 */
export function park(list: Waiter[], timeout: unknown, onTimeout: () => unknown, data?: unknown): Promise<unknown> {
  const parked = new Promise((resolve, reject) => {
    const w: Waiter = { resolve, reject, timer: undefined, data };
    if (typeof timeout === 'number') {
      w.timer = setLongTimeout(() => {
        const at = list.indexOf(w);
        if (at >= 0) list.splice(at, 1);
        try {
          resolve(onTimeout());
        } catch (error) {
          // onTimeout throws mp's errors (Empty, Full, BrokenBarrierError).
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          reject(error);
        }
      }, timeout);
    }
    list.push(w);
  });
  // Untimed, it holds this program's daemon children open until it settles: one of them may be what wakes it (daemons.ts).
  if (typeof timeout !== 'number') {
    const release = holdDaemons();
    void parked.then(release, release);
  }
  return parked;
}

/** Wakes the longest-waiting caller with `value`; false if none waits. */
export function wake(list: Waiter[], value: unknown): boolean {
  const w = list.shift();
  if (!w) return false;
  w.timer?.clear();
  w.resolve(value);
  return true;
}

/** Rejects every caller on `list` with `error` and empties it. */
export function rejectAll(list: Waiter[], error: unknown): void {
  for (const w of list.splice(0)) {
    w.timer?.clear();
    w.reject(error);
  }
}

/**
 * The `timeout` of a call's options, checked as the local objects check it (the proxies check it before
 * sending; this guards the manager against anything else that reaches it): `undefined` for none.
 */
export function timeoutOf(options: unknown): number | undefined {
  const t = checkOptions('options', options).timeout;
  return t === undefined ? undefined : checkTimeout('timeout', t);
}

/** Whether a call's options say `blocking: false`. */
export function nonBlocking(options: unknown): boolean {
  return (options as { blocking?: unknown } | undefined)?.blocking === false;
}
