/**
 * Process-wide helpers: who is running this code, and who started it.
 * The adapters bind these to their runtime.
 */
import type { Runtime } from './runtime.js';
import type { ProcessInfo } from './internal/protocol.js';
import { workerIdentity } from './internal/process-info.js';

export type { ProcessInfo } from './internal/protocol.js';

/** `{ name, pid }` of the running process: `'MainProcess'` in the main program, the worker's name inside a worker. */
export function currentProcess(runtime: Runtime): ProcessInfo {
  return workerIdentity()?.self ?? { name: 'MainProcess', pid: runtime.pid() };
}

/** `{ name, pid }` of the process that started this worker, or `null` in the main program. */
export function parentProcess(): ProcessInfo | null {
  return workerIdentity()?.parent ?? null;
}
