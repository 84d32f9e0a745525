/**
 * `@mp/deno`: Python's multiprocessing on Deno. Workers are module Web Workers
 * (`context: 'thread'`, the default) or child `deno` processes (`context: 'process'`).
 *
 * @example
 * import { Pool } from '@mp/deno'; // or 'npm:@mp/deno'
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9]));
 */
import {
  Pool as CorePool,
  Process as CoreProcess,
  currentProcess as coreCurrentProcess,
  type PoolOptions,
  type ProcessInfo,
  type ProcessOptions,
  type Runtime,
} from '@mp/core';
import { denoRuntime, spawnDeno, type DenoPermissions } from './runtime.ts';
import { permissionFlags } from './process-worker.ts';

export * from '@mp/core';
export type { DenoPermissions };

/** Options only Deno has. */
export interface DenoOptions {
  /**
   * Narrows what the workers may do, with Deno's worker permission options. In `context: 'process'`
   * they become the child's `--allow-*` flags (`'inherit'`, the default there, passes on each
   * permission this program holds in full). For threads it needs Deno's
   * `--unstable-worker-options` flag (or `"unstable": ["worker-options"]` in deno.json):
   * without it Deno 2.9.6 ends the program (exit code 70) when the first worker starts.
   * @default undefined (workers have the program's permissions)
   * @example
   * new Pool({ permissions: 'none' });
   * new Pool({ permissions: { read: ['./data'] } }); // read ./data only, nothing else
   */
  permissions?: DenoPermissions;
}

/** Splits off the Deno options and returns the runtime that applies them. */
function withDeno<O>(options: O): [O, Runtime] {
  if (typeof options !== 'object' || options === null) return [options, denoRuntime]; // core names the bad value
  const { permissions, ...rest } = options as O & DenoOptions;
  if (permissions === undefined) return [rest as O, denoRuntime];
  if (permissions !== 'inherit' && permissions !== 'none' && (typeof permissions !== 'object' || permissions === null)) {
    throw new TypeError(`permissions must be 'inherit', 'none' or an object of Deno permissions, got ${String(permissions)}`);
  }
  permissionFlags(permissions); // names an unknown permission now, not when a worker starts
  return [rest as O, { ...denoRuntime, spawn: (request, events) => spawnDeno(request, events, permissions) }];
}

/** A pool of Deno Web Workers. */
export class Pool extends CorePool {
  constructor(options?: PoolOptions & DenoOptions) {
    super(...withDeno(options));
  }
}

/** A function running in its own Deno Web Worker. */
export class Process<A extends unknown[] = unknown[]> extends CoreProcess<A> {
  constructor(options: ProcessOptions<A> & DenoOptions) {
    super(...withDeno(options));
  }
}

/** How many workers a pool starts by default: `navigator.hardwareConcurrency`. */
export function cpuCount(): number {
  return denoRuntime.cpuCount();
}

/** `{ name, pid }` of the running process; `'MainProcess'` in the main program. */
export function currentProcess(): ProcessInfo {
  return coreCurrentProcess(denoRuntime);
}

/** True in the main program, false inside a worker: the analog of `__name__ == '__main__'`. */
export const isMainThread: boolean = !('WorkerGlobalScope' in globalThis) && (globalThis as Record<symbol, unknown>)[Symbol.for('mp.deno.child')] !== true;

export { denoRuntime };
