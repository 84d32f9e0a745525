/**
 * Who am I? The identity of the running worker lives on `globalThis` under a
 * `Symbol.for` key, so every copy of mp loaded in the worker (the adapter's
 * entry and the user's task module) sees the same answer.
 */
import type { ProcessInfo } from './protocol.js';

const KEY = Symbol.for('mp.process');

interface WorkerIdentity {
  self: ProcessInfo;
  parent: ProcessInfo;
}

export function setWorkerIdentity(identity: WorkerIdentity): void {
  (globalThis as Record<symbol, unknown>)[KEY] = identity;
}

export function workerIdentity(): WorkerIdentity | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as WorkerIdentity | undefined;
}
