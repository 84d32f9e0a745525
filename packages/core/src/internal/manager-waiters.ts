/**
 * Callers parked inside a `Manager` (a queue's `get`, a lock's `acquire`, an
 * event's `wait`…): each is a promise its reply waits on, woken by the object
 * or by its own timer. Shared by every kind of managed object.
 */
import { MpError } from '../errors.js';
import { holdDaemons } from './daemons.js';
import { setLongTimeout, type LongTimeout } from './long-timer.js';
import { checkOptions, checkTimeout } from './validate.js';

export interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: LongTimeout | undefined;
  /** What the parked call brought along (an RLock waiter's owner). */
  data?: unknown;
}

/**
 * A worker whose calls reach the managers of this realm (rpc.ts `serveWorker`). When it ends, its parked calls
 * leave their lists: a worker that is gone is given nothing.
 */
export interface Caller {
  ended: boolean;
  /** Its calls parked now, each with the list it waits on. */
  readonly parked: Map<Waiter, Waiter[]>;
}

export function newCaller(): Caller {
  return { ended: false, parked: new Map() };
}

/** The worker ended: takes each of its parked calls off its list (rejected; no one reads the reply). */
export function endCaller(caller: Caller): void {
  caller.ended = true;
  const error = new MpError('the worker that made this call ended');
  for (const [w, list] of [...caller.parked]) {
    const at = list.indexOf(w);
    if (at >= 0) list.splice(at, 1);
    w.timer?.clear();
    w.reject(error);
  }
  caller.parked.clear();
}

/** The worker whose call the manager is running now (set for the synchronous part of the call). */
let calling: Caller | undefined;

/** Runs `fn` as `caller`'s call: what it parks is `caller`'s. */
export function callingAs<T>(caller: Caller | undefined, fn: () => T): T {
  const outer = calling;
  calling = caller;
  try {
    return fn();
  } finally {
    calling = outer;
  }
}

/** The worker whose call is running, to resume as it after an `await` (`callingAs`). */
export function currentCaller(): Caller | undefined {
  return calling;
}

/**
 * What a call that granted something (an item, a lock, a permit) answers a worker: its value, and how to take the
 * grant back if the worker ends before it receives the reply. `undo` never throws.
 */
export class Granted {
  constructor(
    readonly value: unknown,
    readonly undo: () => void,
  ) {}
}

/**
 * Parks a caller on `list`; after `timeout` ms (when a number) it leaves the list with what `onTimeout` returns or
 * throws. The timer takes any finite delay, past setTimeout's 2^31−1 ms, and never fires early.
 */
export function park(list: Waiter[], timeout: unknown, onTimeout: () => unknown, data?: unknown): Promise<unknown> {
  const caller = calling;
  if (caller?.ended) return Promise.reject(new MpError('the worker that made this call ended'));
  const parked = new Promise((resolve, reject) => {
    const w: Waiter = caller
      ? {
          resolve: (value) => {
            caller.parked.delete(w);
            resolve(value);
          },
          reject: (error) => {
            caller.parked.delete(w);
            // mp's errors (Empty, Full, BrokenBarrierError, MpError).
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
            reject(error);
          },
          timer: undefined,
          data,
        }
      : { resolve, reject, timer: undefined, data };
    if (caller) caller.parked.set(w, list);
    if (typeof timeout === 'number') {
      w.timer = setLongTimeout(() => {
        const at = list.indexOf(w);
        if (at >= 0) list.splice(at, 1);
        try {
          w.resolve(onTimeout());
        } catch (error) {
          // onTimeout throws mp's errors (Empty, Full, BrokenBarrierError).
          w.reject(error);
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
