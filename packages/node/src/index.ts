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
import {
  Pool as CorePool,
  Process as CoreProcess,
  currentProcess as coreCurrentProcess,
  type PoolOptions,
  type ProcessInfo,
  type ProcessOptions,
} from '@mp/core';
import { nodeRuntime } from './runtime.js';

export * from '@mp/core';

/** A pool of Node workers (threads by default; `context: 'process'` for child processes). */
export class Pool extends CorePool {
  constructor(options?: PoolOptions) {
    super(options, nodeRuntime);
  }
}

/** A function running in its own Node worker (a thread by default; `context: 'process'` for a child process). */
export class Process<A extends unknown[] = unknown[]> extends CoreProcess<A> {
  constructor(options: ProcessOptions<A>) {
    super(options, nodeRuntime);
  }
}

/** How many workers a pool starts by default: `os.availableParallelism()`. */
export function cpuCount(): number {
  return nodeRuntime.cpuCount();
}

/** `{ name, pid }` of the running process; `'MainProcess'` in the main program. */
export function currentProcess(): ProcessInfo {
  return coreCurrentProcess(nodeRuntime);
}

/** True in the main program, false inside an mp worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = isMainWorkerThread && process.env.MP_WORKER !== '1';

export { nodeRuntime };
