/**
 * What the sections share: typed handles to the task module (sent to workers
 * by reference), and the CPU-bound job that Q1 and Q2 time.
 */
import { tasks } from '@mp/deno';

/** `t.fib`, `t.whoami`, `t.spin`: handles that pool calls accept, typed from the module. */
export const t = tasks<typeof import('./tasks.ts')>(new URL('./tasks.ts', import.meta.url));

/** The job: fib(FIB_N), JOBS times. About 60 ms per call on a current x86 core. */
export const FIB_N = 35;
export const JOBS = 24;
export const work: number[] = Array.from({ length: JOBS }, () => FIB_N);

/** Milliseconds since an arbitrary origin, for measuring intervals. */
export const now = (): number => performance.now();
