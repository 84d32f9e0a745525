/**
 * `@mp/core`: the runtime-agnostic core of mp — Python's multiprocessing for
 * JavaScript. Users import an adapter (`@mp/node`, …), which re-exports this API
 * bound to its runtime; adapter authors implement `Runtime` and `WorkerPort`.
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
export type { ProcessInfo } from './identity.js';
export type {
  Runtime,
  WorkerHandle,
  WorkerEvents,
  WorkerPort,
  SpawnRequest,
  ResourceLimits,
  TransferItem,
} from './runtime.js';
