// @ts-check
/**
 * The functions the demo sends to workers by reference, with
 * `tasks<typeof import('./tasks.js')>(url)`: each worker imports this module
 * itself. It is plain JavaScript (typed by JSDoc) because on Node the demo's
 * `.ts` files run under tsx, which child-process workers do not load, so a
 * worker could not import a `.ts` module. Deno and Bun load it as it is.
 *
 * A worker has no app to hand it an adapter, so this module takes mp from
 * `@mp/core` itself; see `self()` for why no runtime is needed.
 */
import { currentProcess } from '@mp/core';

/**
 * `{ name, pid }` of the worker running the call. Core asks a runtime only for
 * the main program's pid; inside a worker it knows the worker's own, so no
 * adapter is needed here. `whoami` and `spin` run in pool workers only.
 */
function self() {
  return currentProcess(workersOnly);
}

/** In place of an adapter's runtime: names the mistake if a task that asks who runs it is called in the main program. */
const workersOnly = /** @type {import('@mp/core').Runtime} */ (
  /** @type {unknown} */ ({
    pid: () => {
      throw new Error('whoami and spin run in pool workers only, not in the main program');
    },
  })
);

/**
 * The n-th Fibonacci number, the slow recursive way on purpose: pure CPU work.
 * @param {number} n
 * @returns {number}
 */
export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/**
 * Who runs this call, and how much memory its OS process holds (for a thread
 * that is the whole parent process). Waits `ms` first, so that a batch of calls
 * spreads over all the workers instead of one worker answering them all.
 * `process` is a global in Deno 2 and Bun too.
 * @param {number} ms
 * @returns {Promise<{ name: string, pid: number, rss: number }>}
 */
export async function whoami(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ...self(), rss: process.memoryUsage().rss };
}

/**
 * Keeps this worker's CPU busy for `ms` milliseconds and reports who ran the
 * task and when. Times are absolute (`timeOrigin + now()`), so they compare
 * across threads and processes.
 * @param {number} id
 * @param {number} ms
 * @returns {{ id: number, worker: string, start: number, end: number }}
 */
export function spin(id, ms) {
  const start = performance.timeOrigin + performance.now();
  while (performance.timeOrigin + performance.now() - start < ms) {
    // busy on purpose: this stands for real CPU work
  }
  return { id, worker: self().name, start, end: performance.timeOrigin + performance.now() };
}
