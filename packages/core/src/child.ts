/** Helpers for adapters whose workers are OS processes with Node's `process` API (Node, Bun). */

/**
 * The children that must not outlive the program (daemons, idle pool workers), killed when it
 * exits, as Python kills daemonic children. `onExit` registers the runtime's exit hook; it is
 * called once, when the first child is added.
 */
export function childReaper<
  C extends {
    /** Ends the child at once. */
    kill(signal: 'SIGKILL'): unknown;
  },
>(
  onExit: (killAll: () => void) => void,
): {
  /** Tracks a child that is running. */
  add(child: C): void;
  /** Stops tracking a child that has ended. */
  delete(child: C): void;
} {
  const children = new Set<C>();
  let hooked = false;
  return {
    add(child) {
      children.add(child);
      if (hooked) return;
      hooked = true;
      onExit(() => {
        for (const c of children) c.kill('SIGKILL');
      });
    },
    delete(child) {
      children.delete(child);
    },
  };
}

/** The part of a child's `process` that `uncaughtIn` uses (core declares no Node types). */
interface ChildProcessGlobal {
  on(event: 'uncaughtExceptionMonitor', listener: (error: Error) => void): unknown;
  listenerCount(event: 'uncaughtException'): number;
}

/**
 * A `WorkerPort.onUncaught` for a child process: the runtime then ends the child as it ends any
 * program with an uncaught error (printed, exit code 1), and the handler sees the error first.
 * Not when the program handles such errors itself (an 'uncaughtException' listener): the child goes on.
 */
export function uncaughtIn(proc: ChildProcessGlobal): (handler: (error: unknown) => void) => void {
  return (handler) =>
    void proc.on('uncaughtExceptionMonitor', (error) => {
      if (proc.listenerCount('uncaughtException') === 0) handler(error);
    });
}
