/**
 * The error family of mp. Every error mp raises derives from `MpError`, carries
 * a `Symbol.for` marker so `isInstance()` works across duplicated package
 * copies, and can cross a worker boundary as plain data (see `serializeError`
 * and `deserializeError` in `internal/error-wire.ts`).
 */

const MARKER = Symbol.for('mp.error');

/** Base class of every error mp raises. */
export class MpError extends Error {
  /** @internal */
  readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True when `value` is an `MpError` (or subclass), even one from another copy of this package. */
  static isInstance(value: unknown): value is MpError {
    // No reference to the class itself in here: bundlers rename self-referencing classes.
    const name = (this.prototype as Error).name;
    return isMarked(value) && (name === 'MpError' || (value as Error).name === name || value instanceof this);
  }
}

function isMarked(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** A task or process target threw; the original error is described by `remoteName`, `remoteStack` and `cause`. */
export class RemoteError extends MpError {
  /** The `name` of the error thrown in the worker, e.g. `'TypeError'`. */
  readonly remoteName: string;
  /** The stack of the error as the worker saw it. */
  readonly remoteStack: string | undefined;
  constructor(message: string, options: { remoteName: string; remoteStack?: string | undefined; cause?: unknown }) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.remoteName = options.remoteName;
    this.remoteStack = options.remoteStack;
  }
}

/** The worker running a task ended before the task finished (exit, crash, out of memory, killed). */
export class WorkerExitError extends MpError {
  /** The worker's exit code, or `null` when it was ended by a signal. */
  readonly exitCode: number | null;
  /** The signal that ended the worker (`'SIGKILL'`…), if any. */
  readonly signal: string | null;
  constructor(message: string, options: { exitCode: number | null; signal?: string | null; cause?: unknown }) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.exitCode = options.exitCode;
    this.signal = options.signal ?? null;
  }
}

/** A task ran longer than its `timeout`. */
export class TimeoutError extends MpError {}

/** Work was submitted to a pool after `close()` or `terminate()`, or the pool ended before the work ran. */
export class PoolClosedError extends MpError {}

/** A `Barrier` was aborted, reset, or timed out while a party waited on it. */
export class BrokenBarrierError extends MpError {}

/** Raised by a non-blocking or timed-out `get` on an empty queue, as Python's `queue.Empty`. */
export class Empty extends MpError {}

/** Raised by a non-blocking or timed-out `put` on a full queue, as Python's `queue.Full`. */
export class Full extends MpError {}

/** The error classes that are rebuilt by name when they cross a worker boundary. */
export const errorClasses = {
  MpError,
  RemoteError,
  WorkerExitError,
  TimeoutError,
  PoolClosedError,
  BrokenBarrierError,
  Empty,
  Full,
} as const;

// Names are set explicitly, not from `constructor.name`, which bundlers and minifiers change.
for (const [name, cls] of Object.entries(errorClasses)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}
