/**
 * How a worker rebuilds each kind of shared object it receives (see
 * `internal/shared.ts`). One table, imported by the worker runtime, so no module
 * depends on import side effects.
 */
import type { Revivers } from '../internal/shared.js';
import { Barrier, type BarrierState } from './barrier.js';
import { Condition } from './condition.js';
import { Event } from './event.js';
import { Lock } from './lock.js';
import { RLock } from './rlock.js';
import { BoundedSemaphore, Semaphore } from './semaphore.js';
import { SharedArray, type SharedArrayState } from './shared-array.js';
import { Value, type ValueState } from './value.js';
import { reviveProxy } from './revive-proxy.js';
import type { ChannelState } from '../internal/channel.js';
import { reviveQueue } from './queue.js';
import { reviveJoinableQueue } from './joinable-queue.js';
import { reviveSimpleQueue } from './simple-queue.js';
import { reviveConnection, type ConnectionState } from './pipe.js';
import { reviveSharedMemory, type SharedMemoryState } from './shared-memory.js';
import { reviveShareableList } from './shareable-list.js';
import type { SharedMemory } from './shared-memory.js';

export const revivers: Revivers = {
  Lock: (state) => new Lock(state as Int32Array),
  RLock: (state) => new RLock(state as Int32Array),
  Semaphore: (state) => new Semaphore(state as Int32Array),
  BoundedSemaphore: (state) => new BoundedSemaphore(state as Int32Array),
  Event: (state) => new Event(state as Int32Array),
  Condition: (state) => {
    const s = state as { lock: Lock | RLock; cells: Int32Array };
    return new Condition(s.lock, s.cells);
  },
  Barrier: (state) => new Barrier(state as BarrierState),
  Value: (state) => new Value(state as ValueState),
  SharedArray: (state) => new SharedArray(state as SharedArrayState),
  ManagerProxy: reviveProxy,
  Queue: (state) => reviveQueue(state as ChannelState),
  JoinableQueue: (state) => reviveJoinableQueue(state as ChannelState),
  SimpleQueue: (state) => reviveSimpleQueue(state as ChannelState),
  Connection: (state) => reviveConnection(state as ConnectionState),
  SharedMemory: (state) => reviveSharedMemory(state as SharedMemoryState),
  ShareableList: (state) => reviveShareableList(state as SharedMemory),
};
