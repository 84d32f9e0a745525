/**
 * `Process`: run one function in a new worker, as Python's
 * `multiprocessing.Process`. The child runs `target(...args)`, awaits it, and
 * ends; `exitCode` and `error` tell how. A facade over one `WorkerHandle`.
 */
import type { ContextProvider, Runtime, TransferItem, WorkerHandle } from './runtime.js';
import type { FnSpec, FromWorker, ToWorker } from './internal/protocol.js';
import { MpError, type RemoteError } from './errors.js';
import { serializeError, toRemoteError } from './internal/error-wire.js';
import { endGently, exitCodeOf } from './internal/signals.js';
import { liveChildren } from './internal/process-info.js';
import { setLongTimeout } from './internal/long-timer.js';
import { checkArgsShallow, checkKnownOptions, checkTimeout, show } from './internal/validate.js';
import { toFnSpec, unwrapTransfer, type TaskFn } from './task.js';
import { currentProcess } from './identity.js';
import { destinationOf, encodeShared } from './internal/shared.js';
import { serveWorker, type WorkerService } from './internal/rpc.js';
import { rejecting } from './internal/rejecting.js';
import { checkFromWorker } from './internal/wire-check.js';
import { resolveContext } from './internal/context.js';
import { addDaemon } from './internal/daemons.js';
import { markStopped, newStopCell } from './internal/wait.js';


/** What `new Process()` takes (API.md section 2). */
const PROCESS_OPTIONS = ['target', 'args', 'name', 'daemon', 'context'] as const;
/** Options of `new Process()`. */
export interface ProcessOptions<A extends unknown[] = unknown[]> {
  /** The function the child runs: self-contained (sent by value) or a `task()` handle. */
  target: TaskFn<A, unknown>;
  /**
   * The arguments for `target`; each is structured-cloned (or moved, with `transfer()`).
   * @default []
   */
  args?: A;
  /**
   * The child's name, as `currentProcess().name` reports it there.
   * @default `Process-N`
   */
  name?: string;
  /**
   * A daemon child does not keep the parent alive: it is ended when the parent ends.
   * @default false
   */
  daemon?: boolean;
  /**
   * Where the child runs: `'thread'` or, where the runtime offers it, `'process'`; or a context object that
   * brings its own workers, such as `cluster(nc, { name })` from `@mp/nats`.
   * @default the runtime's first context (`'thread'`)
   */
  context?: string | ContextProvider;
}

let counter = 0;
// Shared with every other copy of mp loaded here (process-info.ts): a target's children are ended by its worker's entry.
const active = liveChildren() as Set<Process>;

/**
 * @internal A child's end, without holding a daemon open: for `wait()`, whose own untimed wait holds the daemons
 * (internal/daemons.ts) and whose timed wait keeps the program alive with its timer — a `join()` there would hold
 * the daemon until it ended, after the wait had returned.
 */
export let processExited: (p: Process) => Promise<void>;

/** The live `Process` objects this program started and has not yet seen end. */
export function activeChildren(): Process[] {
  return [...active];
}

/**
 * A function running in its own worker.
 *
 * @example
 * const p = new Process({ target: (n: number) => console.log(n), args: [1] }).start();
 * await p.join();
 * p.exitCode; // 0
 */
export class Process<A extends unknown[] = unknown[]> {
  readonly #runtime: Runtime;
  readonly #spec: FnSpec;
  readonly #args: unknown[];
  readonly #shared: boolean;
  readonly #transfer: TransferItem[] = [];
  readonly #context: string;
  readonly #name: string;
  readonly #daemon: boolean;
  #handle: WorkerHandle | undefined;
  #ended = false;
  #exitCode: number | null = null;
  #error: RemoteError | undefined;
  #endRequested: 'SIGTERM' | 'SIGKILL' | undefined;
  readonly #exited: Promise<void>;
  #markExited!: () => void;

  static {
    processExited = (p) => p.#exited;
  }

  /** @param adapter supplied by the adapter's subclass. */
  constructor(options: ProcessOptions<A>, adapter: Runtime) {
    const o = checkKnownOptions('Process', options, PROCESS_OPTIONS);
    const { runtime, context } = resolveContext(o.context, adapter);
    if (!('target' in o)) throw new TypeError('target is required: new Process({ target, args })');
    this.#spec = toFnSpec(o.target, 'target');
    const args = o.args ?? [];
    if (!Array.isArray(args)) throw new TypeError(`args must be an array, got ${show(args)}`);
    checkArgsShallow(args, 'args');
    const sharing = { found: false };
    const unwrapped = args.map((a) => unwrapTransfer(a, this.#transfer));
    this.#args = encodeShared(unwrapped, destinationOf(runtime, context), 'args', sharing) as unknown[];
    this.#shared = sharing.found;
    if (o.name !== undefined && typeof o.name !== 'string') throw new TypeError(`name must be a string, got ${show(o.name)}`);
    this.#name = (o.name) ?? `Process-${++counter}`;
    if (o.daemon !== undefined && typeof o.daemon !== 'boolean') throw new TypeError(`daemon must be a boolean, got ${show(o.daemon)}`);
    this.#daemon = (o.daemon) ?? false;
    this.#context = context;
    this.#runtime = runtime;
    this.#exited = new Promise((resolve) => (this.#markExited = resolve));
  }

  /** The child's name. */
  get name(): string {
    return this.#name;
  }

  /** Whether the child is a daemon. */
  get daemon(): boolean {
    return this.#daemon;
  }

  /** The child's pid (a worker id for threads); `undefined` before `start()`. */
  get pid(): number | undefined {
    return this.#handle?.pid;
  }

  /** `null` while alive or not started; `0` ok; `1` uncaught error; `n` after `exit(n)`; `-15` terminated; `-9` killed. */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  /** The child's uncaught error as a `RemoteError`, if it had one. */
  get error(): RemoteError | undefined {
    return this.#error;
  }

  /** Starts the child. Returns `this`; a second call throws. */
  start(): this {
    if (this.#handle || this.#ended) throw new MpError(`process '${this.#name}' was already started; a Process can be started once`);
    const handle = this.#runtime.spawn(
      { context: this.#context, name: this.#name },
      {
        onMessage: (message) => this.#onMessage(message as FromWorker),
        onError: (error) => {
          this.#error ??= toRemoteError(serializeError(error));
        },
        onExit: (code, signal) => this.#onExit(code, signal),
      },
    );
    this.#handle = handle;
    this.#stop = newStopCell(this.#runtime.sharesMemory?.(this.#context) ?? true);
    active.add(this);
    if (this.#daemon) {
      handle.setRef(false);
      this.#removeDaemon = addDaemon({ hold: () => this.#hold(), release: () => this.#release() });
    }
    const init: ToWorker = { type: 'init', self: { name: this.#name, pid: handle.pid }, parent: currentProcess(this.#runtime) };
    if (this.#stop) init.stop = this.#stop;
    const run: ToWorker = { type: 'target', spec: this.#spec, args: this.#args, shared: this.#shared };
    handle.postMessage(init);
    try {
      handle.postMessage(run, this.#transfer);
    } catch (error) {
      markStopped(this.#stop);
      handle.terminate('SIGKILL');
      throw new TypeError(`args could not be sent to the child: ${String(error)}`, { cause: error });
    }
    return this;
  }

  /** Serves the child's manager calls, once it makes one; ended with the child. */
  #rpc: WorkerService | undefined;
  /** Set before the child is stopped, where it shares memory (wait.ts: a blocked wait it wakes from takes nothing). */
  #stop: Int32Array | undefined;

  #onMessage(message: FromWorker): void {
    // A target's own messages on the same port, or malformed ones, are not acted on.
    if (checkFromWorker(message) !== undefined) return;
    if (message.type === 'targetDone' && message.error) this.#error = toRemoteError(message.error);
    else if (message.type === 'uncaught') this.#error ??= toRemoteError(message.error);
    else if (message.type === 'rpc') {
      const handle = this.#handle!;
      (this.#rpc ??= serveWorker((data) => handle.postMessage({ type: 'rpc', data }))).take(message.data);
    }
  }

  #onExit(code: number | null, signal: string | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#rpc?.end();
    this.#exitCode = exitCodeOf(code, signal, this.#endRequested);
    if (this.#killLater !== undefined) clearTimeout(this.#killLater);
    active.delete(this);
    this.#removeDaemon?.();
    this.#markExited();
  }

  /**
   * Waits until the child has ended, or `timeout` ms have passed (then it
   * resolves with the child still alive, as Python's `join(timeout)`).
   */
  join(timeout?: number): Promise<void> {
    return rejecting(() => this.#join(timeout));
  }

  #join(timeout: number | undefined): Promise<void> {
    if (!this.#handle) throw new MpError(`process '${this.#name}' cannot be joined before start()`);
    if (timeout === undefined) return this.#held(this.#exited);
    checkTimeout('timeout', timeout);
    if (this.#ended) return Promise.resolve();
    return this.#held(
      new Promise((resolve) => {
        const timer = setLongTimeout(resolve, timeout);
        void this.#exited.then(() => {
          timer.clear();
          resolve();
        });
      }),
    );
  }

  /** What holds this daemon child open now: join()s, terminate()s and kill()s waiting on it, and the waits of daemons.ts. */
  #holds = 0;
  #removeDaemon: (() => void) | undefined;

  #hold(): void {
    if (this.#holds++ === 0 && !this.#ended) this.#handle!.setRef(true);
  }

  #release(): void {
    if (--this.#holds === 0 && !this.#ended) this.#handle!.setRef(false);
  }

  /**
   * `waiting`, while which the child keeps the program alive even if it is a daemon: a daemon does not hold
   * the program open by itself, but a program that awaits its join() waits for it, as Python's does (Node
   * otherwise ended such a program at once, the join() unsettled, exit code 13).
   */
  #held(waiting: Promise<void>): Promise<void> {
    if (!this.#daemon || this.#ended || !this.#handle) return waiting;
    this.#hold();
    return waiting.finally(() => this.#release());
  }

  /** Whether the child has started and not yet ended. */
  isAlive(): boolean {
    return this.#handle !== undefined && !this.#ended;
  }

  /**
   * Asks the child to end (SIGTERM); resolves once it has. `exitCode` becomes `-15` (or the child's own code, if it
   * handled the signal and exited). A child still running 5 s later (it handled SIGTERM and stayed) is killed: `-9`.
   */
  terminate(): Promise<void> {
    return this.#end('SIGTERM');
  }

  /** Forces the child to end (SIGKILL); resolves once it has. `exitCode` becomes `-9`. */
  kill(): Promise<void> {
    return this.#end('SIGKILL');
  }

  /** Kills the child if it has not ended TERM_GRACE_MS after terminate() (signals.ts). */
  #killLater: ReturnType<typeof setTimeout> | undefined;

  #end(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (!this.#handle || this.#ended) return Promise.resolve();
    this.#endRequested ??= signal;
    markStopped(this.#stop);
    if (signal === 'SIGKILL') {
      // Killed, it takes nothing more from a manager: what it waited for goes to others from now on.
      this.#rpc?.end();
      this.#handle.terminate(signal);
    } else {
      this.#killLater ??= endGently(this.#handle);
    }
    return this.#held(this.#exited);
  }
}
