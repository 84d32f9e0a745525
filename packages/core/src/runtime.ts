/**
 * The seam between mp's runtime-agnostic core and a JavaScript runtime. An
 * adapter (`@mp/node`, `@mp/deno`, …) implements `Runtime` for the parent side
 * and `WorkerPort` for the worker side; everything else — scheduling, the
 * protocol, errors — lives in core. Core declares its own minimal types here and
 * never touches `Worker`, DOM or Node types.
 */

/** Anything a runtime can move across a channel instead of copying (an `ArrayBuffer`, a `MessagePort`…). */
export type TransferItem = object;

/** Limits a runtime may apply to a worker's heap. Runtimes that cannot apply them refuse them by name. */
export interface ResourceLimits {
  /** The main heap's maximum size, in MB (Node's `resourceLimits.maxOldGenerationSizeMb`, `--max-old-space-size`). */
  maxOldGenerationSizeMb?: number;
  /** The young generation's maximum size, in MB (`--max-semi-space-size` for processes). */
  maxYoungGenerationSizeMb?: number;
  /** The size of the pre-allocated code range, in MB. */
  codeRangeSizeMb?: number;
  /** The thread's maximum stack size, in MB. */
  stackSizeMb?: number;
}

/** What a parent asks of a runtime when it starts a worker. */
export interface SpawnRequest {
  /** The execution context, e.g. `'thread'` or `'process'`; one of `Runtime.contexts`. */
  context: string;
  /** The worker's name, as `currentProcess().name` reports it inside. */
  name: string;
  /** Heap limits, when the pool was given `resourceLimits`. */
  resourceLimits?: ResourceLimits | undefined;
  /**
   * The pool's `maxTasksPerChild`. A local runtime has nothing to do with it (the pool replaces its workers
   * itself); a runtime whose workers hand tasks on to processes elsewhere (a cluster's hosts) passes it on, so
   * those are replaced after that many tasks too.
   */
  maxTasksPerChild?: number | undefined;
}

/** What a runtime reports back about a worker it started. Each callback is called on the parent's event loop. */
export interface WorkerEvents {
  /** A message the worker sent, in the order sent. */
  onMessage(message: unknown): void;
  /** An error the worker did not handle (an uncaught exception, running out of memory). `onExit` follows. */
  onError(error: unknown): void;
  /**
   * Called exactly once, after the worker has ended *and* everything it printed
   * has reached the parent's output. `signal` is set when the worker was ended
   * by one (`'SIGTERM'`, `'SIGKILL'`); threads report the signal mp asked for.
   */
  onExit(exitCode: number | null, signal: string | null): void;
}

/** A started worker, seen from its parent. */
export interface WorkerHandle {
  /** OS process id for process contexts; a runtime-unique worker id for threads. */
  readonly pid: number;
  /** Sends one message; throws synchronously if it cannot be cloned. */
  postMessage(message: unknown, transfer?: readonly TransferItem[]): void;
  /** Ends the worker: `'SIGTERM'` asks, `'SIGKILL'` forces. Its end is reported through `onExit`. */
  terminate(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Whether the worker keeps the parent alive (false for daemons and idle pool workers). */
  setRef(ref: boolean): void;
  /**
   * Optional: waits up to `timeoutMs`, blocking this thread (spinning, not sleeping), for the worker's next
   * message, and delivers it through `WorkerEvents.onMessage` before returning `true`; `false` when none came
   * in time. A message taken here is not delivered again. The pool calls it when it expects the answer to a
   * small batch within microseconds, nothing else runs, and such waits measured faster than the event loop
   * (internal/answer-wait.ts), so an awaited task's result does not
   * wait for this thread's event loop to wake up (about 20 µs on Node). Offer it only where taking a message
   * synchronously is cheap (Node's `receiveMessageOnPort`).
   */
  pollSync?(timeoutMs: number): boolean;
}

/** The parent side of a runtime adapter. */
export interface Runtime {
  /** The runtime's name as errors report it: `'node'`, `'deno'`, `'bun'`, `'browser'`. */
  readonly name: string;
  /** The contexts this runtime offers; the first is the default. */
  readonly contexts: readonly [string, ...string[]];
  /** Starts a worker running the adapter's worker entry. */
  spawn(request: SpawnRequest, events: WorkerEvents): WorkerHandle;
  /** How many workers a pool starts by default. */
  cpuCount(): number;
  /** The id of the calling process (main program or worker), as `currentProcess().pid` reports it. */
  pid(): number;
  /**
   * Whether workers can be given heap limits (`resourceLimits`); a pool refuses the option, naming the runtime, where not.
   * @default false
   */
  readonly resourceLimits?: boolean;
  /**
   * Whether workers of `context` share memory with this one (SharedArrayBuffer).
   * @default true for every context
   */
  sharesMemory?(context: string): boolean;
  /**
   * Whether a pool may wait for awaited answers blocking, where the memory is shared and the worker's handle has
   * no `pollSync` of its own: over a lane, a SharedArrayBuffer beside the port (internal/lane.ts). Adapters turn it
   * off when the environment says `MP_FAST_PATH=0` (the tests run both ways).
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * Whether the workers apply each task's `timeout` themselves, counted from when the task starts running where
   * it runs: a cluster's work waits in a queue before a host takes it, and only the host knows when it starts.
   * The pool then sends the timeout with each job (`WireJob.timeout`) and starts no timer of its own; a task that
   * timed out comes back as a failure marked `own` with a `TimeoutError`.
   * @default false
   */
  readonly timesTasks?: boolean;
  /**
   * For a runtime whose workers run on other machines (a cluster): the hosts that have run its work so far,
   * which `pool.stats().hosts` reports. Local runtimes leave it out.
   */
  hosts?(): string[];
}

/**
 * A context that brings its own workers, passed as `context` to `new Pool()` or `new Process()` in place of a
 * context's name: `@mp/nats`'s `cluster()` is one. Its runtime's `spawn` starts workers that speak mp's worker
 * protocol (`ToWorker`/`FromWorker`) over whatever channel it likes; the pool logic stays the core's.
 */
export interface ContextProvider {
  /**
   * The runtime that starts this context's workers. `adapter` is the runtime of the `Pool`/`Process` class the
   * program used (its `pid()` and `name` describe the calling program).
   */
  runtimeFor(adapter: Runtime): Runtime;
}

/** The worker side of a runtime adapter: the channel to the parent, and how to end. */
export interface WorkerPort {
  /** Sends one message to the parent; `transfer` lists what to move instead of copy. */
  postMessage(message: unknown, transfer?: readonly TransferItem[]): void;
  /** Registers the single handler for messages from the parent. */
  onMessage(handler: (message: unknown) => void): void;
  /** Ends this worker with `code`, after what it printed has been flushed toward the parent. */
  exit(code: number): void;
  /**
   * Optional: calls `handler` once the parent is gone — a child process whose IPC channel closed because the
   * parent was killed (SIGTERM, SIGKILL) and never ended its children. The worker then ends (exit code 1):
   * nothing it does can reach anyone, and a busy one would otherwise run on, orphaned. Threads end with their
   * process and need no such hook.
   */
  onParentGone?(handler: () => void): void;
  /**
   * A monotonic clock in milliseconds, for the run times in `pool.stats`. Optional:
   * the default is `performance.now()`. Node loads `perf_hooks` on the first touch of
   * the global `performance` (about 1 ms on a worker's first task), so its adapter
   * passes a clock that is ready at start.
   */
  now?(): number;
  /**
   * Optional: the next message from the parent if one arrives within `timeoutMs`, taken
   * synchronously (the worker blocks meanwhile), else `undefined`. The worker runtime calls
   * it for a moment when it has nothing to do and the pool said so (`linger`: the batch was awaited blocking), so a message
   * sent right after a result does not wait for the worker's event loop to wake up; and with
   * `0` at start, for what the parent sent while the worker booted. A port
   * that offers it takes the message out of the queue `onMessage` reads, so each message
   * arrives exactly once.
   */
  receiveSync?(timeoutMs: number): unknown;
  /**
   * Optional: called when a batch has run, before its answer is posted. Returns a promise while what
   * the batch printed is still on its way to the parent, and the answer waits for it: a result never
   * overtakes its task's output, so a program that ends on the result (or a pool closed after it)
   * loses none of it. For runtimes whose workers' output travels on a channel of its own (Node's
   * threads); `undefined` when nothing is pending.
   */
  flushOutput?(): Promise<void> | undefined;
  /**
   * Optional: whether the worker printed since the last message it posted, where what it prints travels to the
   * parent on the same channel as mp's messages but beside them (a browser worker forwards `console.log` as
   * messages of its own). Such a message then goes on the port, after the output, never on the lane
   * (internal/lane.ts), which would overtake it.
   */
  printed?(): boolean;
  /**
   * Optional: loads the module at `url` synchronously and returns its namespace, or returns
   * `undefined` when it cannot (then the worker uses `import()`, which must give the same module).
   * Throws only what evaluating the module threw. The worker runtime uses it for the first
   * module of the worker's life only (see compile.ts). Node offers it through `require()` of ES
   * modules, which skips the start of its asynchronous ESM loader.
   */
  importSync?(url: string): Record<string, unknown> | undefined;
  /**
   * Optional: registers a handler for an error that nothing caught, called before the runtime
   * ends the worker for it; mp tells the parent what it was. For ports whose parent does not
   * learn it otherwise (a child process's parent sees only an exit code); a thread's parent
   * hears it from the runtime (`WorkerEvents.onError`). `uncaughtIn(process)` from
   * `@mp/core/worker` is one for runtimes with Node's `process` API.
   */
  onUncaught?(handler: (error: unknown) => void): void;
}
