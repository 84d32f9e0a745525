/**
 * `@mp/browser`: Python's multiprocessing in the browser. Workers are module
 * Web Workers (`context: 'thread'`, the only one a page has). Shared-memory
 * objects need a cross-origin isolated page; `Manager` proxies work on any page.
 * What workers print reaches the page through `onOutput`.
 *
 * @example
 * import { Pool, onOutput } from '@mp/browser';
 * onOutput(({ worker, text }) => console.log(`${worker}: ${text}`));
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9])); // [4, 16, 36, 64, 81]
 */
import {
  Pool as CorePool,
  Process as CoreProcess,
  currentProcess as coreCurrentProcess,
  type PoolOptions,
  type ProcessInfo,
  type ProcessOptions,
} from '@mp/core';
import { browserRuntime } from './runtime.js';

export * from '@mp/core';
export { onOutput, mirrorOutput } from './output.js';
export type { OutputLine, OutputListener } from './output.js';

/** A pool of module Web Workers. */
export class Pool extends CorePool {
  constructor(options?: PoolOptions) {
    super(options, browserRuntime);
  }
}

/** A function running in its own module Web Worker. */
export class Process<A extends unknown[] = unknown[]> extends CoreProcess<A> {
  constructor(options: ProcessOptions<A>) {
    super(options, browserRuntime);
  }
}

/** How many workers a pool starts by default: `navigator.hardwareConcurrency`. */
export function cpuCount(): number {
  return browserRuntime.cpuCount();
}

/** `{ name, pid }` of the running code; `'MainProcess'` (pid 0) on the page. */
export function currentProcess(): ProcessInfo {
  return coreCurrentProcess(browserRuntime);
}

/** True on the page, false inside a worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = !('WorkerGlobalScope' in globalThis);

export { browserRuntime };
