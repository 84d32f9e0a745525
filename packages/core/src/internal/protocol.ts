/**
 * The wire protocol between a parent and its workers: a discriminated union
 * keyed on `type`, made only of structured-cloneable data. Nothing here holds a
 * function, a port or a runtime object, so any channel that carries plain
 * messages (a worker port, an IPC pipe, a network queue) can carry mp's work.
 */
import type { SerializedError } from './error-wire.js';

/** How a worker finds a function: its source text, or a module export. */
export type FnSpec =
  | {
      /** Sent by value. */
      kind: 'source';
      /** The function's source text, compiled in the worker. */
      source: string;
      /** The function's name, for messages. */
      name: string;
    }
  | {
      /** Sent by reference. */
      kind: 'module';
      /** The module's absolute URL. */
      url: string;
      /** The export's name. */
      name: string;
    };

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
  /** The job's id, which its result carries back. */
  id: number;
  /** The pool-wide id of the job's function. */
  fn: number;
  /** How to find the function, the first time this worker sees `fn`. */
  spec?: FnSpec;
  /** How `data` is applied to the function. */
  mode: JobMode;
  /** The arguments (`apply`) or the items (`map`, `star`). */
  data: unknown;
  /** Set when `data` holds descriptions of shared objects to rebuild. */
  shared?: true;
  /** A `map`/`star` job's first item's index in its call's input, when not 0: an error names a result by it. */
  at?: number;
  /**
   * Set on a `map` job whose items are all numbers, sent as one Float64Array. The worker may then answer with
   * a Float64Array of results (when every result is a number) in place of an array.
   */
  packed?: true;
  /** The task's timeout in ms, sent only to a runtime that times tasks where they run (`Runtime.timesTasks`). */
  timeout?: number;
}

/** The outcome of one job, in a `done` message. */
export type WireResult =
  | {
      /** The job's id. */
      id: number;
      /** It returned. */
      ok: true;
      /** What it returned (a list of results for `map` and `star`). */
      value: unknown;
    }
  | {
      /** The job's id. */
      id: number;
      /** It threw. */
      ok: false;
      /** What it threw. */
      error: SerializedError;
      /**
       * Set when the error is the running side's own rather than the task's (a task timed out on a cluster's
       * host): it is rebuilt as its mp class (a `TimeoutError`), not wrapped as a task's `RemoteError`.
       */
      own?: true;
    };

/** Messages from a parent to a worker. */
export type ToWorker =
  | {
      /** The first message: who the worker is, and its initializer. */
      type: 'init';
      /** The worker's own identity. */
      self: ProcessInfo;
      /** Its parent's identity. */
      parent: ProcessInfo;
      /** Runs once before the first job. */
      initializer?: FnSpec | undefined;
      /** The initializer's arguments. */
      initargs?: unknown[] | undefined;
      /** Set when `initargs` holds descriptions of shared objects. */
      shared?: boolean | undefined;
      /** The shared-memory fast path's memory (internal/lane.ts), where the pool made one. */
      lane?: SharedArrayBuffer | undefined;
      /** Set to 1 by the parent before it stops the worker (wait.ts waitSync), where they share memory. */
      stop?: Int32Array | undefined;
    }
  | {
      /** A batch of jobs; the worker answers with exactly one `done` for it. */
      type: 'run';
      /** The jobs, run in order. */
      jobs: WireJob[];
      /** The parent awaits this batch's answer blocking, so once idle the worker may wait a moment for the next batch (WorkerPort.receiveSync). */
      linger?: boolean;
    }
  | {
      /** The one call a `Process` makes; the worker ends when it settles. */
      type: 'target';
      /** The target function. */
      spec: FnSpec;
      /** Its arguments. */
      args: unknown[];
      /** Set when `args` holds descriptions of shared objects. */
      shared?: boolean | undefined;
    }
  | {
      /** A reply from a manager (comlink's protocol), for the worker's proxies. */
      type: 'rpc';
      /** Comlink's message. */
      data: unknown;
    };

/** Messages from a worker to its parent. */
export type FromWorker =
  | {
      /** The initializer ran; the worker takes jobs. */
      type: 'ready';
    }
  | {
      /** The initializer threw. */
      type: 'initFailed';
      /** What it threw. */
      error: SerializedError;
    }
  | {
      /** The answer to one `run` batch. */
      type: 'done';
      /** One result per job of the batch. */
      results: WireResult[];
      /** How long the batch ran in the worker, which the scheduler uses to size later batches. */
      ms: number;
    }
  | {
      /** A `Process` target settled. */
      type: 'targetDone';
      /** What it threw, if it did. */
      error?: SerializedError | undefined;
    }
  | {
      /** An error nothing caught, about to end the worker (sent where the port offers `onUncaught`). */
      type: 'uncaught';
      /** The error. */
      error: SerializedError;
    }
  | {
      /** A call from the worker's manager proxies (comlink's protocol). */
      type: 'rpc';
      /** Comlink's message. */
      data: unknown;
    };
