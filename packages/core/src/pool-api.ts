/**
 * The half of `@mp/core`'s API a first `Pool` needs: errors, `Pool`, `Process`, tasks, the runtime seam. The
 * other half, the shared-state classes, is in shared-state.ts; index.ts exports both, and the built index
 * (entry.ts) loads the second half on first use.
 */
export {
  MpError,
  RemoteError,
  WorkerExitError,
  TimeoutError,
  PoolClosedError,
  BrokenBarrierError,
  Empty,
  Full,
} from './errors.js';
export { Pool } from './pool.js';
export type { PoolOptions, CallOptions, MapOptions, IMapOptions, ApplyOptions, PoolStats } from './pool.js';
export { Process, activeChildren } from './process.js';
export type { ProcessOptions } from './process.js';
export { task, tasks, transfer, isTaskHandle } from './task.js';
export type { TaskHandle, TaskHandles, TaskFn } from './task.js';
export { currentProcess, parentProcess } from './identity.js';
export { bindRuntime } from './bind.js';
export { childReaper } from './child.js';
export type { BoundApi } from './bind.js';
export type { ProcessInfo } from './identity.js';
export type {
  Runtime,
  ContextProvider,
  WorkerHandle,
  WorkerEvents,
  WorkerPort,
  SpawnRequest,
  ResourceLimits,
  TransferItem,
} from './runtime.js';
