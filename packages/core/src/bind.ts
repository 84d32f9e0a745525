/**
 * Binding the API to a runtime: what every adapter's entry does, in one place.
 * An adapter calls `bindRuntime(itsRuntime)` and re-exports the result.
 */
import type { Runtime } from './runtime.js';
import { Pool, type PoolOptions } from './pool.js';
import { Process, type ProcessOptions } from './process.js';
import { currentProcess, type ProcessInfo } from './identity.js';

/** The runtime-bound part of an adapter's API. */
export interface BoundApi {
  /** A pool of this runtime's workers. */
  Pool: new (options?: PoolOptions) => Pool;
  /** A function running in its own worker of this runtime. */
  Process: new <A extends unknown[] = unknown[]>(options: ProcessOptions<A>) => Process<A>;
  /** How many workers a pool starts by default. */
  cpuCount: () => number;
  /** `{ name, pid }` of the running code; `'MainProcess'` in the main program. */
  currentProcess: () => ProcessInfo;
}

/**
 * @example
 * const api = bindRuntime(nodeRuntime);
 * export const Pool = api.Pool;
 */
export function bindRuntime(runtime: Runtime): BoundApi {
  class BoundPool extends Pool {
    constructor(options?: PoolOptions) {
      super(options, runtime);
    }
  }
  class BoundProcess<A extends unknown[] = unknown[]> extends Process<A> {
    constructor(options: ProcessOptions<A>) {
      super(options, runtime);
    }
  }
  return {
    Pool: BoundPool,
    Process: BoundProcess,
    cpuCount: () => runtime.cpuCount(),
    currentProcess: () => currentProcess(runtime),
  };
}
