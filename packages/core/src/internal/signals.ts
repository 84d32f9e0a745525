/** Exit codes for signals, as Python reports them: a process ended by signal N has exitcode -N. */
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/** `-15` for `'SIGTERM'`; `-128` for a signal this table does not know. */
export function signalExitCode(signal: string): number {
  return -(SIGNALS[signal] ?? 128);
}

/**
 * How long a worker asked to end (SIGTERM) may take before it is killed (SIGKILL). A child process may handle
 * SIGTERM (a task's `process.on('SIGTERM', …)`) and stay: Python's `terminate()` returns at once and its `join()`
 * then waits for good; mp's `terminate()` and a pool's `join()` wait for the end, and every promise mp hands out
 * settles, so one that has not ended by then is killed.
 */
export const TERM_GRACE_MS = 5_000;

/** Asks `handle`'s worker to end (SIGTERM), and kills it if it has not ended TERM_GRACE_MS later: clear the timer it returns when it ends. */
export function endGently(handle: { terminate(signal: 'SIGTERM' | 'SIGKILL'): void }): ReturnType<typeof setTimeout> {
  handle.terminate('SIGTERM');
  const timer = setTimeout(() => handle.terminate('SIGKILL'), TERM_GRACE_MS);
  // It does not keep a program alive by itself: a worker being ended is held by whoever waits for its end.
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/**
 * A child's exit code as Python gives it (`-N` when signal N ended it). `requested`, the end mp asked for, counts
 * only where the runtime reports neither a signal nor a code (a thread it ended); a child that handled SIGTERM and
 * exited with a code of its own reports that code, as in Python.
 */
export function exitCodeOf(code: number | null, signal: string | null, requested: string | undefined): number {
  if (signal) return signalExitCode(signal);
  if (code === null && requested) return signalExitCode(requested);
  return code ?? 1;
}
