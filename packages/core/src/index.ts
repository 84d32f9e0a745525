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
export { bindRuntime } from './bind.js';
export { childReaper } from './child.js';
export type { BoundApi } from './bind.js';
// Synchronization and shared memory (API.md section 5).
export { Lock } from './sync/lock.js';
export type { BlockingOptions } from './sync/lock.js';
export { RLock } from './sync/rlock.js';
export { Semaphore, BoundedSemaphore } from './sync/semaphore.js';
export { Event } from './sync/event.js';
export { Condition } from './sync/condition.js';
export { Barrier } from './sync/barrier.js';
export type { BarrierOptions } from './sync/barrier.js';
export { Value } from './sync/value.js';
export type { SharedOptions } from './sync/value.js';
export { SharedArray } from './sync/shared-array.js';
export type { TypeName, Typecode, TypeSpec, ValueOf } from './internal/typecodes.js';
// Manager: shared objects without shared memory (API.md section 5b).
export { Manager } from './sync/manager.js';
export { DictProxy, ListProxy, QueueProxy, LockProxy, ValueProxy } from './sync/manager-proxies.js';
// The rest of Python's SyncManager, and BaseManager.register (API.md section 5c).
export { EventProxy, RLockProxy, ConditionProxy, SemaphoreProxy, BoundedSemaphoreProxy, BarrierProxy } from './sync/manager-sync-proxies.js';
export { JoinableQueueProxy, ArrayProxy, NamespaceProxy } from './sync/manager-data-proxies.js';
export type { RegisterOptions, Factory, RegisteredProxy, PublicMethods } from './sync/manager.js';
// multiprocessing.connection.wait (API.md section 5c).
export { wait, waitSync } from './sync/wait-objects.js';
export type { Waitable, WaitOptions } from './sync/wait-objects.js';
// multiprocessing.shared_memory (API.md section 5c).
export { SharedMemory } from './sync/shared-memory.js';
export { ShareableList } from './sync/shareable-list.js';
export type { ShareableValue } from './sync/shareable-list.js';
// Queues and pipes over shared memory (API.md section 4).
export { Queue } from './sync/queue.js';
export type { QueueOptions } from './sync/queue.js';
export { JoinableQueue } from './sync/joinable-queue.js';
export { SimpleQueue } from './sync/simple-queue.js';
export type { SimpleQueueOptions } from './sync/simple-queue.js';
export { Pipe, Connection } from './sync/pipe.js';
export type { PipeOptions, TimeoutOptions } from './sync/pipe.js';
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
