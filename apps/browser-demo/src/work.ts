/**
 * What the exercises share: typed handles to the task module (sent to workers
 * by reference), the CPU-bound job that Q1 and Q2 time, and small helpers.
 */
import { tasks } from '@mp/browser';
import tasksUrl from './tasks.ts?task';

/** `t.timedFib`, `t.spin`: handles that pool calls accept, typed from the module. */
export const t = tasks<typeof import('./tasks.ts')>(new URL(tasksUrl, location.href));

/** The job Q1 and Q2 time: fib(FIB_N), JOBS times. About 30 ms per call on a current laptop core. */
export const FIB_N = 34;
export const JOBS = 24;

/** A small fib that every worker (and the page) runs before timing, so the JIT has compiled fib everywhere. */
export const WARM_UP_N = 25;

export { clock, fib, type Span } from './tasks.ts';

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();

/**
 * Lets the page render (and the chart move) between two pieces of work on the
 * main thread. A message, not `setTimeout(0)`, which browsers stretch to 4 ms.
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Measures the longest time the page went without painting a frame (it was frozen), until `stop()`. */
export function watchStalls(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  let frame = requestAnimationFrame(function tick(now) {
    longest = Math.max(longest, now - last);
    last = now;
    frame = requestAnimationFrame(tick);
  });
  return {
    stop() {
      cancelAnimationFrame(frame);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/** `[4, 16, 36]`, as Python prints a list. */
export function pyList(values: readonly number[]): string {
  return `[${values.join(', ')}]`;
}
