/**
 * Daemon children and the waits that hold them open. A daemon `Process` does not keep the program alive by
 * itself (its worker is unreferenced), but a program waiting for something only a daemon can bring — `await
 * q.get()` of an item a daemon puts, a `join()` of the daemon — must not end first: Node and Bun end a program
 * whose event loop has nothing referenced, leaving the wait unsettled (exit code 13 for a top-level await),
 * where Python's main process blocks until the daemon delivers. So while an awaitable wait with no timeout is
 * pending on this thread, every live daemon child of it is referenced (a wait with a timeout keeps the program
 * alive with its own timer: wait.ts). An open pool's idle workers are held the same way (pool-engine.ts): a task
 * may have left a timer behind that brings what the wait needs.
 */

/**
 * What process.ts gives for each live daemon child, and pool-engine.ts for each open pool: reference it, or its
 * workers (hold), or let them go again (release).
 */
export interface DaemonHold {
  hold(): void;
  release(): void;
}

const live = new Set<DaemonHold>();
/** Awaitable waits with no timeout pending now on this thread. */
let waits = 0;

/** A daemon child has started: held at once if waits are pending. Returns its removal, for when it ends. */
export function addDaemon(daemon: DaemonHold): () => void {
  live.add(daemon);
  if (waits > 0) daemon.hold();
  return () => {
    if (live.delete(daemon) && waits > 0) daemon.release();
  };
}

/** A wait with no timeout begins: live daemons are held until the returned function is called. */
export function holdDaemons(): () => void {
  if (waits++ === 0) for (const d of live) d.hold();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--waits === 0) for (const d of live) d.release();
  };
}
