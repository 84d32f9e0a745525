/**
 * What the parent needs of `node:worker_threads`, loaded when the first thread starts instead of at
 * `import('@mp/node')`: that module brings Node's streams, `perf_hooks` and the worker machinery, about
 * 4 ms of a fresh program's import of mp (Node 20 and 24) that a program using only `isMainThread`,
 * queues or child processes never needs. The first `Worker` constructed (or port polled) loads it, and
 * both names are then Node's own (live bindings), so later calls go straight to Node.
 */
import type * as NodeWorkerThreads from 'node:worker_threads';

type WorkerThreads = typeof NodeWorkerThreads;

function load(): WorkerThreads {
  // process.getBuiltinModule is Node 20.16+, older than the versions mp supports.
  const builtin = process as unknown as { getBuiltinModule(id: 'node:worker_threads'): WorkerThreads };
  const module = builtin.getBuiltinModule('node:worker_threads');
  Worker = module.Worker;
  receiveMessageOnPort = module.receiveMessageOnPort;
  return module;
}

/** Node's `Worker`; the first `new Worker(…)` loads `node:worker_threads`. */
// A constructor that returns an object gives that object to `new`: the thread is Node's own Worker.
export let Worker: WorkerThreads['Worker'] = function Worker(...args: ConstructorParameters<WorkerThreads['Worker']>) {
  return new (load().Worker)(...args);
} as unknown as WorkerThreads['Worker'];
export type Worker = NodeWorkerThreads.Worker;

/** Node's `receiveMessageOnPort`, loaded on first use. */
export let receiveMessageOnPort: WorkerThreads['receiveMessageOnPort'] = (port) => load().receiveMessageOnPort(port);

/**
 * Node's `isMainThread`, read without loading `node:worker_threads`: in a worker thread Node replaces
 * `process.chdir` and `process.abort`, which only the main thread may call, by stubs that throw and are
 * marked `disabled` (lib/internal/bootstrap/switches/does_not_own_process_state.js, Node 12 through 26).
 * test/is-main-thread.test.ts checks it against Node's own value, in mp's threads and in a plain Worker,
 * on every Node version CI runs.
 */
export const isMainThread: boolean = !isWorkerStub('chdir') && !isWorkerStub('abort');

function isWorkerStub(name: 'chdir' | 'abort'): boolean {
  const fn = (process as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' && (fn as { disabled?: unknown }).disabled === true;
}
