/**
 * The entry every Node worker runs, thread or child process: it connects mp's
 * worker runtime to the parent's channel.
 */
import type * as NodeUrl from 'node:url';
import type * as NodeUtil from 'node:util';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { runWorker, uncaughtIn } from '@mp/core/worker';
import { insideGate } from './load-gate.js';
import { CELLS, PRINTED, TO_PARENT, TO_WORKER, waitForRing } from './doorbell.js';
import { bytesWritten, markOutput, outputWritten } from './output.js';

// A clock ready at start: the global `performance` loads perf_hooks on first touch (about 1 ms).
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

// Flags that change how `import()` finds or reads modules (customization hooks, formats); with any
// of them, `require()` might load something else, so task modules go through `import()` alone.
// (`--conditions` is not one: an ES module's own imports resolve alike under both.) Compared as
// strings: a worker's first regular expression costs about 0.1 ms to compile.
const MODULE_FLAGS = [
  '--import',
  '--loader',
  '--experimental-loader',
  '--experimental-default-type',
  '--experimental-detect-module',
  '--no-experimental-detect-module',
  '--experimental-wasm-modules',
  '--experimental-policy',
];

function hasModuleFlag(args: readonly string[]): boolean {
  return args.some((arg) => MODULE_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
}

type Loader = (url: string) => Record<string, unknown> | undefined;

/**
 * `require()` of an ES module (Node 20.19+, 22.12+) loads a task module without starting the ESM
 * loader's asynchronous machinery: a pool's first result by reference 1–2.5 ms sooner. Only where
 * it gives exactly what `import()` would: a plain file URL, no module flags, the built CommonJS
 * entry `worker.cjs` (not the `.ts` source tests run under tsx, which has loader hooks), and an ES
 * module (a CommonJS file's exports differ from its `import()` namespace, so for those the worker
 * imports the already-cached module).
 */
function requireLoader(): Loader | undefined {
  const builtEntry = typeof __filename === 'string' && __filename.endsWith('.cjs');
  if (!builtEntry || (process.features as { require_module?: boolean }).require_module !== true) return undefined;
  if (hasModuleFlag(process.execArgv) || hasModuleFlag((process.env.NODE_OPTIONS ?? '').split(' '))) return undefined;
  // Taken only now, so a worker that never loads a module by reference does not pay for them.
  // process.getBuiltinModule is Node 20.16+, older than require(esm).
  const builtin = (id: string): unknown => (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule(id);
  const { types } = builtin('node:util') as typeof NodeUtil;
  // The entry's own require (it is CommonJS): what createRequire(__filename) would make, without loading
  // node:module; `module.require`, as a bare `require` here is one the bundler wraps in a shim chunk of its
  // own. Paths are absolute: a plain POSIX file URL's path is its pathname; anything else (percent escapes,
  // a host, Windows) goes through node:url. Each saves about 0.1 ms of the first module's load.
  const load = (id: string): unknown => module.require(id);
  const posix = process.platform !== 'win32';
  const toPath = (url: string): string => {
    const parsed = new URL(url);
    if (posix && parsed.host === '' && !parsed.pathname.includes('%')) return parsed.pathname;
    return (builtin('node:url') as typeof NodeUrl).fileURLToPath(parsed);
  };
  return (url) => {
    if (!url.startsWith('file:') || url.includes('?') || url.includes('#')) return undefined;
    const path = toPath(url);
    let value: unknown;
    try {
      value = load(path);
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      // Nothing was evaluated: let `import()` load it (top-level await) or report it in its own words.
      if (code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_REQUIRE_ESM') return undefined;
      if (code === 'MODULE_NOT_FOUND' && String(message).startsWith(`Cannot find module '${path}'`)) return undefined;
      throw error;
    }
    return types.isModuleNamespaceObject(value) ? (value as Record<string, unknown>) : undefined;
  };
}

// Decided on first use: a worker that never loads a module by reference does not pay for it.
let loader: Loader | undefined | null = null;
const importSync: Loader = (url) => (loader === null ? (loader = requireLoader()) : loader)?.(url);

/**
 * Sets PRINTED (doorbell.ts) whenever this thread writes to its stdout or stderr: the parent then takes the answer to
 * that batch through its event loop, after the output (thread-worker.ts, PRINTED). The streams are Node's
 * lazy getters; each is wrapped when something first takes it, so a worker that never prints never makes them.
 */
function watchOutput(bell: Int32Array, made: NodeJS.WriteStream[]): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const own = Object.getOwnPropertyDescriptor(process, name) as
      | { get?: (this: NodeJS.Process) => NodeJS.WriteStream; configurable?: boolean; enumerable?: boolean }
      | undefined;
    if (!own?.get || !own.configurable) continue;
    const getter = own.get;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: own.enumerable ?? true,
      get() {
        const stream = getter.call(process);
        made.push(stream);
        const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
        const watched = (...args: unknown[]): boolean => {
          Atomics.store(bell, PRINTED, 1);
          return write(...args);
        };
        stream.write = watched;
        Object.defineProperty(process, name, { configurable: true, enumerable: own.enumerable ?? true, value: stream, writable: true });
        return stream;
      },
    });
  }
}

if (parentPort) {
  const port = parentPort;
  // Shared with the parent (see thread-worker.ts): [0] a counter it bumps after each message it posts,
  // [1] the load gate (load-gate.ts), [2] this thread's doorbell, [3] whether the batch running printed.
  const bell = (workerData as { mpBell?: Int32Array } | null)?.mpBell;
  // The output streams this thread has made (watchOutput), for flushOutput.
  const made: NodeJS.WriteStream[] = [];
  if (bell && bell.length >= CELLS) watchOutput(bell, made);
  // A new batch starts unprinted.
  const arrived = (message: unknown): unknown => {
    if (bell && (message as { type?: unknown } | undefined)?.type === 'run') Atomics.store(bell, PRINTED, 0);
    return message;
  };
  runWorker({
    postMessage: (message, transfer) => {
      port.postMessage(message, transfer as never);
      // The parent may be spinning for this message (pollSync in thread-worker.ts).
      if (bell) {
        Atomics.add(bell, TO_PARENT, 1);
        Atomics.notify(bell, TO_PARENT);
      }
    },
    onMessage: (handler) => port.on('message', (message: unknown) => handler(arrived(message))),
    exit: (code) => process.exit(code),
    now,
    // A thread's output goes to the parent a write at a time, each after the parent's go-ahead; what a batch
    // printed and the parent has not taken yet would be lost if the parent ended this thread (pool.close(),
    // or the program's end) on the answer. An empty write's callback runs once every write before it is taken.
    flushOutput: () => {
      if (!bell || Atomics.load(bell, PRINTED) === 0) return undefined;
      const pending = made.filter((stream) => stream.writableLength > 0 && !stream.destroyed);
      if (pending.length === 0) return undefined;
      return Promise.all(pending.map((stream) => new Promise<void>((taken) => void stream.write('', () => taken())))).then(() => undefined);
    },
    // Inside the load gate: the parent never ends this thread while require() links a module graph.
    importSync: (url) => (bell ? insideGate(bell, () => importSync(url)) : undefined),
    receiveSync: (timeoutMs) => {
      if (!bell) return undefined;
      // After a batch that printed, back to the event loop: Node sends a thread's output to the parent a
      // write at a time, each after the parent's go-ahead arrives on this loop; staying away would hold
      // the rest of the output here (and a program that ends meanwhile would lose it).
      if (timeoutMs > 0 && Atomics.load(bell, PRINTED) !== 0) return undefined;
      const rung = Atomics.load(bell, TO_WORKER);
      const waiting = receiveMessageOnPort(port);
      if (waiting) return arrived(waiting.message);
      // The pool asks for this wait only after a batch whose answer it awaits blocking (answer-wait.ts in core).
      if (!waitForRing(bell, TO_WORKER, rung, timeoutMs, now)) return undefined;
      return arrived(receiveMessageOnPort(port)?.message);
    },
  });
} else if (process.send) {
  let last: Promise<void> = Promise.resolve();
  // What this child had written to its stdout and stderr when its last marked message left (output.ts, markOutput).
  let marked = [0, 0];
  runWorker({
    postMessage: (message) => {
      let sent!: () => void;
      last = new Promise((resolve) => (sent = resolve));
      const written = [bytesWritten(process.stdout), bytesWritten(process.stderr)];
      const changed = written[0] !== marked[0] || written[1] !== marked[1];
      if (changed) marked = written;
      // Called here, not in the promise executor, so a clone error throws to the caller.
      process.send!(changed ? markOutput(message, written) : message, undefined, undefined, () => sent());
    },
    onMessage: (handler) => process.on('message', handler),
    onUncaught: uncaughtIn(process),
    // Gone already when the channel closed while this child was still loading.
    onParentGone: (handler) => (process.connected ? void process.once('disconnect', handler) : queueMicrotask(handler)),
    // Exit only once the last message has left, or the parent would never see it, and once what was printed has
    // left too: writes to a pipe wait in this process while the parent has not read the last ones, and exit drops them.
    exit: (code) => void last.then(outputWritten).then(() => process.exit(code)),
    now,
    importSync,
  });
} else {
  throw new Error('@mp/node/worker is the entry of mp workers; it is started by Pool and Process, not run directly');
}
