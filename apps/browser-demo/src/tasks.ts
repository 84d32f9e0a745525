/**
 * The functions the demo sends to workers by reference. `main` imports this
 * module's URL with Vite's `?worker&url`, so Vite bundles it (and what it
 * imports) as a worker module in the production build; each worker imports it
 * once.
 */
import { currentProcess } from '@mp/browser';

/** What one task reports for the timeline: which worker ran it, and when (absolute ms). */
export interface Span {
  id: number;
  worker: string;
  start: number;
  end: number;
}

/** Milliseconds since the epoch, comparable across the page and its workers. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** The n-th Fibonacci number, the slow recursive way on purpose: pure CPU work. */
export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/** fib(n), reporting who computed it and when. */
export function timedFib(id: number, n: number): Span & { value: number } {
  const start = clock();
  const value = fib(n);
  return { id, worker: currentProcess().name, start, end: clock(), value };
}

/** Keeps this worker's CPU busy for `ms` milliseconds (standing for real work) and reports who ran it and when. */
export function spin(id: number, ms: number): Span {
  const start = clock();
  while (clock() - start < ms) {
    // busy on purpose
  }
  return { id, worker: currentProcess().name, start, end: clock() };
}
