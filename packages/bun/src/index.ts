/**
 * `@mp/bun`: Python's multiprocessing on Bun. Workers are Bun `Worker`s
 * (`context: 'thread'`, the default) or child Bun processes (`context: 'process'`).
 *
 * @example
 * import { Pool } from '@mp/bun';
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
import { bunRuntime } from './runtime.ts';

export * from '@mp/core';

/** A pool of Bun workers (threads by default; `context: 'process'` for child processes). */
export class Pool extends CorePool {
  constructor(options?: PoolOptions) {
    super(options, bunRuntime);
  }
}

/** A function running in its own Bun worker (a thread by default; `context: 'process'` for a child process). */
export class Process<A extends unknown[] = unknown[]> extends CoreProcess<A> {
  constructor(options: ProcessOptions<A>) {
    super(options, bunRuntime);
  }
}

/** How many workers a pool starts by default: `navigator.hardwareConcurrency`. */
export function cpuCount(): number {
  return bunRuntime.cpuCount();
}

/** `{ name, pid }` of the running process; `'MainProcess'` in the main program. */
export function currentProcess(): ProcessInfo {
  return coreCurrentProcess(bunRuntime);
}

/** True in the main program, false inside an mp worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = isMainWorkerThread && process.env.MP_WORKER !== '1';

export { bunRuntime };
