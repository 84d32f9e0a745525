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
