/**
 * The wire protocol between a parent and its workers: a discriminated union
 * keyed on `type`, made only of structured-cloneable data. Nothing here holds a
 * function, a port or a runtime object, so any channel that carries plain
 * messages (a worker port, an IPC pipe, a network queue) can carry mp's work.
 */
import type { SerializedError } from './error-wire.js';

/** How a worker finds a function: its source text, or a module export. */
export type FnSpec =
  | { kind: 'source'; source: string; name: string }
  | { kind: 'module'; url: string; name: string };

/** How a job's `data` is applied to its function. */
export type JobMode =
  /** `data` is one argument list: `fn(...data)`, one result. */
  | 'apply'
  /** `data` is a list of items: `fn(item)` for each, a list of results. */
  | 'map'
  /** `data` is a list of argument lists: `fn(...args)` for each, a list of results. */
  | 'star';

/** The identity of a process or worker, as `currentProcess()` reports it. */
export interface ProcessInfo {
  /** `'MainProcess'` in the main program, else the `Process`'s or pool worker's name (`'PoolWorker-1'`). */
  name: string;
  /** The OS process id in process contexts; the runtime's worker id in thread contexts (0 for a browser page). */
  pid: number;
}

/** One unit of work inside a `run` message. `spec` rides along the first time a worker sees `fn`. */
export interface WireJob {
  id: number;
  fn: number;
  spec?: FnSpec;
  mode: JobMode;
  data: unknown;
  /** Set when `data` holds descriptions of shared objects to rebuild. */
  shared?: true;
}

export type WireResult =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };

/** Messages from a parent to a worker. */
export type ToWorker =
  | {
      type: 'init';
      self: ProcessInfo;
      parent: ProcessInfo;
      initializer?: FnSpec | undefined;
      initargs?: unknown[] | undefined;
      /** Set when `initargs` holds descriptions of shared objects. */
      shared?: boolean | undefined;
    }
  /**
   * A batch of jobs; the worker answers with exactly one `done` for it. `linger`: a core is
   * free, so once idle the worker may wait a moment for the next batch (WorkerPort.receiveSync).
   */
  | { type: 'run'; jobs: WireJob[]; linger?: boolean }
  /** The one call a `Process` makes; the worker ends when it settles. */
  | { type: 'target'; spec: FnSpec; args: unknown[]; shared?: boolean | undefined }
  /** A reply from a manager (comlink's protocol), for the worker's proxies. */
  | { type: 'rpc'; data: unknown };

/** Messages from a worker to its parent. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'initFailed'; error: SerializedError }
  /** `ms`: how long the batch ran in the worker, which the scheduler uses to size later batches. */
  | { type: 'done'; results: WireResult[]; ms: number }
  | { type: 'targetDone'; error?: SerializedError | undefined }
  /** An error nothing caught, about to end the worker (sent where the port offers `onUncaught`). */
  | { type: 'uncaught'; error: SerializedError }
  /** A call from the worker's manager proxies (comlink's protocol). */
  | { type: 'rpc'; data: unknown };
