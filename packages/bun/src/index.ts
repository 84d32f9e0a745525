/**
 * `@mp/bun`: Python's multiprocessing on Bun. Workers are Bun `Worker`s
 * (`context: 'thread'`, the default) or child Bun processes (`context: 'process'`).
 *
 * @example
 * import { Pool } from '@mp/bun';
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9]));
 */
import { bindRuntime, type Pool as CorePool, type Process as CoreProcess } from '@mp/core';
import { bunRuntime } from './runtime.ts';

export * from '@mp/core';

const api = bindRuntime(bunRuntime);

/** A pool of Bun workers (threads by default; `context: 'process'` for child processes). */
export const Pool = api.Pool;
export type Pool = CorePool;

/** A function running in its own Bun worker (a thread by default; `context: 'process'` for a child process). */
export const Process = api.Process;
export type Process<A extends unknown[] = unknown[]> = CoreProcess<A>;

/** How many workers a pool starts by default: `navigator.hardwareConcurrency`. */
export const cpuCount = api.cpuCount;

/** `{ name, pid }` of the running process; `'MainProcess'` in the main program. */
export const currentProcess = api.currentProcess;

/** True in the main program, false inside an mp worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean =
  // Bun's own flag (false in any Worker, as node:worker_threads' isMainThread): reading it loads nothing,
  // where importing node:worker_threads for it is about 4 ms of import('@mp/bun').
  (globalThis as unknown as { Bun: { isMainThread: boolean } }).Bun.isMainThread && process.env.MP_WORKER !== '1';

export { bunRuntime };
