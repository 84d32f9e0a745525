/**
 * `@mp/node`: Python's multiprocessing on Node.js. Workers are `worker_threads`
 * (`context: 'thread'`, the default) or child processes (`context: 'process'`).
 *
 * @example
 * import { Pool } from '@mp/node';
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9]));
 */
import { isMainThread as isMainWorkerThread } from 'node:worker_threads';
import { bindRuntime, type Pool as CorePool, type Process as CoreProcess } from '@mp/core';
import { nodeRuntime } from './runtime.js';

export * from '@mp/core';

const api = bindRuntime(nodeRuntime);

/** A pool of Node workers (threads by default; `context: 'process'` for child processes). */
export const Pool = api.Pool;
export type Pool = CorePool;

/** A function running in its own Node worker (a thread by default; `context: 'process'` for a child process). */
export const Process = api.Process;
export type Process<A extends unknown[] = unknown[]> = CoreProcess<A>;

/** How many workers a pool starts by default: `os.availableParallelism()`. */
export const cpuCount = api.cpuCount;

/** `{ name, pid }` of the running process; `'MainProcess'` in the main program. */
export const currentProcess = api.currentProcess;

/** True in the main program, false inside an mp worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = isMainWorkerThread && process.env.MP_WORKER !== '1';

export { nodeRuntime };
