/**
 * What the sections share: where the task module is (its functions go to
 * workers by reference), the CPU-bound job that Q1 and Q2 time, and whether
 * the runtime has child processes.
 */
import type { RuntimeFacts } from './api.ts';

/** The module the workers import, found next to this file, inside the kit, whichever app runs it. */
export const TASKS_URL = new URL('./tasks.js', import.meta.url);

/** The job: fib(FIB_N), JOBS times. About 60 ms per call on a current x86 core. */
export const FIB_N = 35;
export const JOBS = 24;
export const work: number[] = Array.from({ length: JOBS }, () => FIB_N);

/** Milliseconds since an arbitrary origin, for measuring intervals. */
export const now = (): number => performance.now();

/**
 * Whether the runtime offers OS child processes (Node, Bun) or worker threads
 * only (Deno's Web Workers). The seed's "child processes" are OS processes where
 * they exist, like Python's; a thread prints the same.
 */
export function hasProcesses(runtime: RuntimeFacts): boolean {
  return runtime.contexts.includes('process');
}
