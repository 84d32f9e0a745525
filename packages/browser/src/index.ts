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
import { bindRuntime, type Pool as CorePool, type Process as CoreProcess } from '@mp/core';
import { browserRuntime } from './runtime.js';

export * from '@mp/core';
export { onOutput, mirrorOutput } from './output.js';
export type { OutputLine, OutputListener } from './output.js';

const api = bindRuntime(browserRuntime);

/** A pool of module Web Workers. */
export const Pool = api.Pool;
export type Pool = CorePool;

/** A function running in its own module Web Worker. */
export const Process = api.Process;
export type Process<A extends unknown[] = unknown[]> = CoreProcess<A>;

/** How many workers a pool starts by default: `navigator.hardwareConcurrency`. */
export const cpuCount = api.cpuCount;

/** `{ name, pid }` of the running code; `'MainProcess'` (pid 0) on the page. */
export const currentProcess = api.currentProcess;

/** True on the page, false inside a worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = !('WorkerGlobalScope' in globalThis);

export { browserRuntime };
