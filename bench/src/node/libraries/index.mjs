/**
 * The Node libraries under test: an id, how the report names it, its role
 * (`subject` is mp, `peer` a pool to beat, `raw` a hand-written baseline), the
 * setting used, and which scenarios it runs (the rest are n/a for it). Each
 * library's module is imported only by the cells that use it, so one that
 * fails to load (say, mp while it is being rebuilt) fails only its own cells.
 */

/** `load()` imports the library's module and returns its pool opener (see ../../core/adapter.mjs). */
const lazy = (path, name, ...args) => async () => (await import(path))[name](...args);

const ALL = ['apply', 'map', 'latency', 'cpu', 'clone', 'transfer', 'startup', 'memory', 'cold', 'import'];
/** How a program imports mp: by its package name, resolved from the runner's snapshot of mp's build (or from here, by hand). */
const mpModule = () => ({ specifier: '@mp/node', from: process.env.MP_BENCH_MP_DIR });

export const libraries = [
  { id: 'mp-thread', label: 'mp (thread)', role: 'subject', pkg: '@mp/node', module: mpModule, setting: "`context: 'thread'`, functions by reference: `task(url, 'inc')`", scenarios: ALL, load: lazy('./mp.mjs', 'mp', { context: 'thread' }) },
  { id: 'mp-thread-value', label: 'mp (thread, by value)', role: 'subject', pkg: '@mp/node', setting: "`context: 'thread'`, functions by value: `(x) => x + 1`", scenarios: ['apply', 'map', 'latency', 'startup', 'cold'], load: lazy('./mp.mjs', 'mp', { context: 'thread', value: true }) },
  { id: 'mp-process', label: 'mp (process)', role: 'subject', pkg: '@mp/node', setting: "`context: 'process'` (child_process, V8 serialization; transfer = copy), by reference", scenarios: ALL.filter((s) => s !== 'import'), load: lazy('./mp.mjs', 'mp', { context: 'process' }) },
  { id: 'piscina', label: 'piscina', role: 'peer', pkg: 'piscina', module: 'piscina', setting: 'defaults (`atomics: sync`, `concurrentTasksPerWorker: 1`), minThreads = maxThreads = 2', scenarios: ALL, load: lazy('./piscina.mjs', 'piscina') },
  { id: 'piscina-c16', label: 'piscina (16/worker)', role: 'peer', pkg: 'piscina', setting: '`concurrentTasksPerWorker: 16` (its best setting for tiny tasks here: about 1.5× the default on (a)); not in (f), whose one task starts alike with any setting', scenarios: ['apply', 'map', 'latency', 'memory'], load: lazy('./piscina.mjs', 'piscina', { concurrentTasksPerWorker: 16 }) },
  { id: 'tinypool', label: 'tinypool', role: 'peer', pkg: 'tinypool', module: 'tinypool', setting: 'defaults, minThreads = maxThreads = 2. Its queue slows as it grows: about 40,000 tasks/s with 10,000 queued, 10,000 with 200,000', scenarios: ALL, load: lazy('./tinypool.mjs', 'tinypool') },
  { id: 'tinypool-c16', label: 'tinypool (16/worker)', role: 'peer', pkg: 'tinypool', setting: '`concurrentTasksPerWorker: 16` (the issue\'s best tinypool setting); not in (f), as for piscina', scenarios: ['apply', 'map', 'latency', 'memory'], load: lazy('./tinypool.mjs', 'tinypool', { concurrentTasksPerWorker: 16 }) },
  { id: 'workerpool', label: 'workerpool', role: 'peer', pkg: 'workerpool', module: 'workerpool', setting: "`workerType: 'thread'`, minWorkers = maxWorkers = 2", scenarios: ALL, load: lazy('./workerpool.mjs', 'workerpool') },
  { id: 'poolifier', label: 'poolifier', role: 'peer', pkg: 'poolifier', module: 'poolifier', setting: '`FixedThreadPool(2)`, defaults (its tasks queue, with or without `concurrency: 16`, was not faster)', scenarios: ALL, load: lazy('./poolifier.mjs', 'poolifier') },
  { id: 'raw-unbatched', label: 'raw unbatched', role: 'raw', pkg: undefined, module: 'node:worker_threads', setting: 'worker_threads, one message and one promise per task', scenarios: ['apply', 'latency', 'cpu', 'clone', 'transfer', 'startup', 'memory', 'cold', 'import'], load: lazy('./raw-unbatched.mjs', 'rawUnbatched') },
  { id: 'raw-batched', label: 'raw batched', role: 'raw', pkg: undefined, setting: '1,000 items per message, one promise per message', scenarios: ['apply', 'map'], load: lazy('./raw-batched.mjs', 'rawBatched', { perItem: false }) },
  { id: 'raw-batched-item', label: 'raw batched, promise per item', role: 'raw', pkg: undefined, setting: '1,000 items per message (calls of one tick), one promise per item', scenarios: ['apply', 'map'], load: lazy('./raw-batched.mjs', 'rawBatched', { perItem: true }) },
];

export function libraryById(id) {
  const lib = libraries.find((l) => l.id === id);
  if (!lib) throw new Error(`unknown library ${JSON.stringify(id)}; expected one of ${libraries.map((l) => l.id).join(', ')}`);
  return lib;
}
