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

/** What the end of a `Process` target needs of the children it started (any copy of mp's `Process`). */
export interface LiveChild {
  readonly daemon: boolean;
  join(): Promise<void>;
  terminate(): Promise<void>;
}

const CHILDREN = Symbol.for('mp.children');

/**
 * The `Process` children this program (or worker) has started and not yet seen end, shared by every copy of mp
 * loaded here, as the identity is: a target's own `import('@mp/node')` starts them, the worker's entry ends them.
 */
export function liveChildren(): Set<LiveChild> {
  const g = globalThis as Record<symbol, unknown>;
  return (g[CHILDREN] ??= new Set<LiveChild>()) as Set<LiveChild>;
}

/**
 * What Python does as a process exits (`multiprocessing.util._exit_function`): it terminates the daemonic children
 * still running, then joins the others — of those not in `before`, the children there were when the target began.
 * A `Process` target's worker does this before it reports its end, so a child it started and did not join runs to
 * its end instead of being cut off with its parent.
 */
export async function endChildren(before: ReadonlySet<LiveChild>): Promise<void> {
  // Only those started since `before` was taken: where workers share this global with their parent (a runtime
  // that runs them on one thread, as core's tests do), the others are the parent's.
  const children = [...liveChildren()].filter((c) => !before.has(c));
  await Promise.all(children.filter((c) => c.daemon).map((c) => c.terminate().catch(() => {})));
  await Promise.all(children.filter((c) => !c.daemon).map((c) => c.join().catch(() => {})));
}
