/**
 * The functions the demo sends to workers by reference, with
 * `tasks<typeof import('./tasks.ts')>(url)`: each worker imports this module
 * itself. Bun runs TypeScript directly, in workers too.
 */
import { currentProcess } from '@mp/bun';

/** The n-th Fibonacci number, the slow recursive way on purpose: pure CPU work. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/**
 * Who runs this call, and how much memory its OS process holds (for a thread
 * that is the whole parent process). Waits `ms` first, so that a batch of calls
 * spreads over all the workers instead of one worker answering them all.
 */
export async function whoami(ms: number): Promise<{ name: string; pid: number; rss: number }> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { ...currentProcess(), rss: process.memoryUsage().rss };
}

/**
 * Keeps this worker's CPU busy for `ms` milliseconds and reports who ran the
 * task and when. Times are absolute (`timeOrigin + now()`), so they compare
 * across threads and processes.
 */
export function spin(id: number, ms: number): { id: number; worker: string; start: number; end: number } {
  const start = performance.timeOrigin + performance.now();
  while (performance.timeOrigin + performance.now() - start < ms) {
    // busy on purpose: this stands for real CPU work
  }
  return { id, worker: currentProcess().name, start, end: performance.timeOrigin + performance.now() };
}
