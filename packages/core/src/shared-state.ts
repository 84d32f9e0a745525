/**
 * The half of `@mp/core`'s API a first `Pool` does not need: queues, pipes, locks and the other synchronization
 * objects, `Value`, `Manager`, shared memory (API.md sections 4 and 5). index.ts exports it beside pool-api.ts.
 * The built index (entry.ts) does not: it exports a stand-in for each value here, and this module, built as a
 * file of its own (dist/shared-state.js), is loaded the first time one is used (internal/deferred.ts). A program
 * that only runs pools never reads it.
 */
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

// The encoding of queues and pipes, for the lanes of the built index (internal/lane.ts, setLaneCodec): not part of
// the API (`export *` leaves a default export out).
import { deserialize, encode } from './internal/serialize.js';

export default { encode, deserialize };
