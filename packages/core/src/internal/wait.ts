/**
 * Waiting on shared memory, two ways. `waitSync` blocks the calling thread with
 * `Atomics.wait` (refused, with a clear error, where a thread may not block: a
 * browser's main thread). `waitAsync` parks a promise on `Atomics.waitAsync`, so
 * the awaitable forms never spin the event loop.
 */
import { holdDaemons } from './daemons.js';
import { sharedBuffer } from './typecodes.js';
import { show } from './validate.js';

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/** Milliseconds left until `deadline` (Infinity for none), never negative. */
export function remaining(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

export function deadlineOf(timeout: number | undefined): number {
  return timeout === undefined ? Infinity : performance.now() + timeout;
}

/** Blocks until `cells[index]` is no longer `expected`, a notify, or `timeout` ms. */
export function waitSync(cells: Int32Array, index: number, expected: number, timeout: number, what: string): WaitResult {
  let result: WaitResult;
  try {
    result = Atomics.wait(cells, index, expected, timeout);
  } catch (error) {
    throw cannotBlock(what, error);
  }
  const stopCell = (globalThis as { [STOP]?: Int32Array })[STOP];
  if (stopCell !== undefined && Atomics.load(stopCell, 0) !== 0) {
    // Stopped while blocked, and woken before the stop took effect (Deno, Chromium): take nothing; pass the
    // wake-up on to a live waiter in case this one was the only one woken.
    Atomics.notify(cells, index, 1);
    throw new Error(`this worker was stopped while it waited in ${what}Sync()`);
  }
  return result;
}

/**
 * This worker's stop cell (its parent sets it before it stops the worker): see waitSync. On `globalThis`, so every
 * copy of mp loaded in the worker (the worker entry, a bundle's, the program's own) sees the one its parent sent.
 */
const STOP = Symbol.for('mp.stopCell');

/** Called in a worker with the stop cell its parent sent in `init`. */
export function watchStop(cell: Int32Array): void {
  (globalThis as { [STOP]?: Int32Array })[STOP] = cell;
}

/** Whether this side can share memory with its workers: SharedArrayBuffer and Atomics, and not a page that is not cross-origin isolated. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** A new worker's stop cell, where it shares memory with this side; undefined where it does not. */
export function newStopCell(sharesMemory: boolean): Int32Array | undefined {
  return sharesMemory && canShareMemory() ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
}

/** Marks a worker stopped, before it is terminated: a blocked wait it wakes from then takes nothing. */
export function markStopped(cell: Int32Array | undefined): void {
  if (cell !== undefined) Atomics.store(cell, 0, 1);
}

function cannotBlock(what: string, cause?: unknown): TypeError {
  return new TypeError(
    `${what}Sync() cannot block this thread (a browser's main thread may not wait); use the awaitable form: await ${what}()`,
    cause === undefined ? undefined : { cause },
  );
}

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread): tried once. */
let mayBlock: boolean | undefined;

export function threadMayBlock(): boolean {
  if (mayBlock === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      mayBlock = true;
    } catch {
      mayBlock = false;
    }
  }
  return mayBlock;
}

/**
 * A blocking form (`…Sync`) that may wait until `deadline` throws on a thread that may not block, whether or
 * not it would have had to wait this time — as `Atomics.wait` itself does there — so code that works
 * uncontended does not fail only under contention. A call that cannot wait (`blocking: false`, a timeout of
 * 0) is allowed everywhere.
 */
export function checkMayBlock(deadline: number, what: string): void {
  if (remaining(deadline) > 0 && !threadMayBlock()) throw cannotBlock(what);
}

/** Resolves when `cells[index]` is no longer `expected`, on a notify, or after `timeout` ms. */
export function waitAsync(cells: Int32Array, index: number, expected: number, timeout: number): Promise<WaitResult> | WaitResult {
  const r = Atomics.waitAsync(cells, index, expected, timeout);
  if (!r.async) return r.value;
  if (timeout === Infinity) {
    // No timer may hold the program open for ever, but a daemon child that could end this wait must be let
    // run (daemons.ts).
    const release = holdDaemons();
    return r.value.then((result) => {
      release();
      return result;
    });
  }
  // The timeout of Atomics.waitAsync keeps no event loop alive (Node, Deno and Bun end a program whose only
  // work is such a wait, leaving the promise unsettled): a timer does, until the wait ends. An interval, not a
  // single timeout: on a loaded machine the wait's own timeout may be seen after a timer of the same length.
  const alive = setInterval(noop, Math.min(timeout + 1, MAX_TIMER_MS));
  return r.value.then((result) => {
    clearInterval(alive);
    return result;
  });
}

const noop = (): void => {};
/** The longest delay setTimeout takes as given (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wakes up to `count` waiters on `cells[index]`. */
export function notify(cells: Int32Array, index: number, count = Infinity): void {
  Atomics.notify(cells, index, count);
}

/** A request to wait, yielded by a synchronization algorithm. */
export interface Park {
  cells: Int32Array;
  index: number;
  expected: number;
  deadline: number;
}

/**
 * A synchronization algorithm written once, as a generator that yields each
 * time it must wait; `runSync` and `runAsync` drive it blocking or awaiting.
 */
export type Steps<T> = Generator<Park, T, WaitResult>;

/** Drives `steps` blocking, after `checkMayBlock(deadline, what)`. */
export function runSync<T>(steps: Steps<T>, what: string, deadline: number): T {
  checkMayBlock(deadline, what);
  let r = steps.next();
  while (!r.done) {
    const p = r.value;
    r = steps.next(waitSync(p.cells, p.index, p.expected, remaining(p.deadline), what));
  }
  return r.value;
}

export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    const p = r.value;
    r = steps.next(await waitAsync(p.cells, p.index, p.expected, remaining(p.deadline)));
  }
  return r.value;
}

/** Int32 cells in shared memory for a synchronization object. */
export function sharedCells(count: number, what: string): Int32Array {
  return new Int32Array(sharedBuffer(count * 4, what), 0, count);
}

/**
 * The cells of a `what` made here (`given` undefined) or rebuilt in a worker from its description (`given`: its
 * cells, over shared memory). Anything else was passed by a program to a constructor that takes no arguments.
 */
export function cellsFor(given: unknown, count: number, what: string): Int32Array {
  if (given === undefined) return sharedCells(count, what);
  if (given instanceof Int32Array && typeof SharedArrayBuffer === 'function' && given.buffer instanceof SharedArrayBuffer && given.length >= count) return given;
  throw new TypeError(`new ${what}() takes no arguments, got ${show(given)}`);
}
