// @ts-check
/**
 * The functions the demo sends to workers by reference, with
 * `tasks<typeof import('./tasks.js')>(url)`: each worker imports this module
 * itself. It is plain JavaScript (typed by JSDoc) because the demo's `.ts`
 * files run under tsx, which workers do not inherit, so a worker could not
 * import a `.ts` module.
 */
import { currentProcess } from '@mp/node';

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
 * @param {number} ms
 * @returns {Promise<{ name: string, pid: number, rss: number }>}
 */
export async function whoami(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ...currentProcess(), rss: process.memoryUsage().rss };
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
  return { id, worker: currentProcess().name, start, end: performance.timeOrigin + performance.now() };
}
