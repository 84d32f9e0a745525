/** Rebuilds a manager proxy of the right class from its reference, in a worker that received one. */
import type { ProxyRef } from './managed-proxy.js';
import { DictProxy, ListProxy, LockProxy, QueueProxy, ValueProxy } from './manager-proxies.js';
import { BarrierProxy, BoundedSemaphoreProxy, ConditionProxy, EventProxy, RLockProxy, SemaphoreProxy } from './manager-sync-proxies.js';
import { ArrayProxy, JoinableQueueProxy, NamespaceProxy } from './manager-data-proxies.js';
import { makeRegisteredProxy } from './registered-proxy.js';

const classes: Record<string, new (ref: ProxyRef) => object> = {
  dict: DictProxy,
  list: ListProxy,
  Queue: QueueProxy,
  Lock: LockProxy,
  Value: ValueProxy,
  Event: EventProxy,
  RLock: RLockProxy,
  Condition: ConditionProxy,
  Semaphore: SemaphoreProxy,
  BoundedSemaphore: BoundedSemaphoreProxy,
  Barrier: BarrierProxy,
  JoinableQueue: JoinableQueueProxy,
  Array: ArrayProxy,
  Namespace: NamespaceProxy,
};

export function reviveProxy(state: unknown): object {
  const ref = state as ProxyRef;
  if (ref.kind === 'registered') return makeRegisteredProxy(ref);
  const Cls = Object.prototype.hasOwnProperty.call(classes, ref.kind) ? classes[ref.kind] : undefined;
  if (!Cls) throw new TypeError(`cannot rebuild a manager proxy of kind ${ref.kind} here`);
  return new Cls(ref);
}
