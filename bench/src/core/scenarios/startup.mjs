/** (f) Start-up: from constructing the pool to the first result of one trivial task. */
import { closeWithin } from '../adapter.mjs';
import { now } from '../clock.mjs';

export default {
  id: 'startup',
  letter: 'f',
  title: 'Start-up',
  unit: 'ms',
  better: 'lower',
  sizes: { full: {}, smoke: {} },
  // A fresh process per run, runs spread by ±5 ms, and mp and piscina 1–2 ms apart: 101 runs put each median within about
  // 0.5 ms (with 31 and 61, single-run verdicts flipped between 0.97x and 1.09x). The peers' `concurrentTasksPerWorker: 16`
  // variants do not run it (see libraries/index.mjs): their start-up is the same code as the default's, and the fastest
  // of two medians of one thing is biased low (they differed by up to 2 ms, either way, in the same run).
  reps: { full: 101 },
  analysis:
    '**Where the time goes** (measured apart on 2026-11-28 by timestamping the parent and the workers with `process.hrtime`, the thread ' +
    "starts with Node's `worker_threads` diagnostics channel, and the worker's boot with `performance.nodeTiming`; not figures of this run): " +
    'Node takes about 18–20 ms on a quiet machine to start a worker thread before any of its code runs, the same for every library — ' +
    'and nearly twice as long (about 40 ms) in a process started with `--expose-gc`, which keeps Node from starting workers from its ' +
    'startup snapshot; so only (g), which needs `gc()`, runs with that flag. Two workers booting at once slow each other: a pool of one ' +
    'gives its first result 2.5–2.7 ms sooner than a pool of two, for mp and for raw `worker_threads` alike; mp starts all of its workers ' +
    "at construction, as Python's Pool does. " +
    "**Before the thread starts.** Node's `Worker` constructor pipes a thread's stdout and stderr into the program's before it starts " +
    'the thread, and the first time, that creates `process.stdout` and `process.stderr`: about 1.3 ms when they are pipes, as here (or a ' +
    'terminal). mp asks for the streams (`stdout: true, stderr: true`) and pipes them a microtask later, while the thread boots (A/B, 101 ' +
    'interleaved fresh processes: 0.955× the time of the build before). The first `new Worker` of a process still costs the parent about ' +
    "1.2 ms of Node's own first-time set-up (0.35 ms for the next). " +
    "**In the worker.** By default a thread ends its own `process.stdin` as it boots, which creates its three stdio streams there (0.33 ms; " +
    '0.43 ms later to its first line of code); mp passes `stdin: true` and ends it from the parent, so they are made only when a task uses ' +
    "them (A/B, 81 rounds in random order: 0.97×). mp's worker entry is CommonJS and parses 28 KB at start: the shared-object classes " +
    'and comlink (80 KB) are chunks required only when a task uses them (a lone worker parsing the whole 111 KB bundle starts about 2 ms ' +
    "later). Messages the parent sent while the worker booted are taken synchronously as soon as mp's runtime is up, not on the event " +
    "loop's first turn (about 0.8 ms later). A task sent by value then returns within half a millisecond, which is why mp by value comes " +
    "first here. A task by reference first loads its module: mp loads a worker's first one with `require()` of an ES module (Node " +
    "20.19+), as piscina 5's worker does, which skips the start of Node's asynchronous ESM loader and its `fs/promises` (1.2–2.5 ms " +
    'sooner than `import()` in A/B runs of 31 and 41); Node still takes about 2.4 ms to load this two-file graph, 2 of them in its ESM ' +
    "loader's own modules. On Node 20 a worker ended while `require()` links a module graph (terminate, timeout, program exit) aborts the " +
    "whole process — piscina crashed cells of our runs that way — so mp's parent never ends a thread inside that `require()` (the load " +
    "gate, @mp/node's README). " +
    '**Side by side** (40 alternating runs of each, one task module): mp started its first thread at 1.64 ms, piscina at 2.26; the ' +
    "workers' bootstraps then took the same time; mp evaluated the task module at 27.3 ms, piscina at 28.9, and piscina ran the task " +
    "1.4 ms after that, mp 0.1 ms. Over 90% of the figure is Node's own work that both do alike (starting the thread; its module " +
    'loader). ' +
    '**How the figure is taken.** Start-up cells run 101 times each, the libraries in a new random order each round. Runs of 31 and ' +
    '61 per cell gave verdicts from 0.97× to 1.09× on the same code: runs spread by ±5 ms, and the medians of mp and piscina were ' +
    '1–2 ms apart. The peers\' `concurrentTasksPerWorker: 16` variants do not run (f): their start-up is the code of their defaults, ' +
    'and the faster of two medians of one thing is biased low (piscina\'s two differed by up to 2 ms, either way, in one run). And ' +
    'rotating the order kept each library right after the same neighbour in every round. In A/B runs (interleaved fresh processes) the ' +
    "gap to piscina varied with the mix of other cells around them (0.91× to 1.01×): it is a few percent, measured as such.",
  describe: () => 'From `new Pool(...)` (the library already imported) to the first result of one `x => x + 1` task, in a fresh process.',
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open }) {
    const start = now();
    const pool = await open();
    try {
      const r = await pool.inc(41);
      const ms = now() - start;
      if (r !== 42) throw new Error(`the first task returned ${String(r)}, expected 42`);
      return { value: ms, details: {} };
    } finally {
      await closeWithin(pool);
    }
  },
};
