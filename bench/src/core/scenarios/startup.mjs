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
    '**Where the time goes** (measured apart on 2026-11-28 by timestamping the parent and one worker with `process.hrtime`; not figures of this run): ' +
    'Node takes about 18–20 ms on a quiet machine to start a worker thread before any of its code runs, the same for every library — and nearly ' +
    'twice as long (about 40 ms) in a process started with `--expose-gc`, which keeps Node from starting workers from its startup snapshot; ' +
    'so only (g), which needs `gc()`, runs with that flag. The first `new Worker` of a process also costs the parent about 2 ms. ' +
    "mp's worker entry is CommonJS and parses 31 KB at start: the shared-object classes and comlink (80 KB) are chunks required only when a task " +
    'uses them (a lone worker parsing the whole 111 KB bundle starts about 2 ms later; in a pool of two the split brought the first result 0.6–0.9 ms sooner). Messages the parent sent while the worker booted are taken ' +
    "synchronously as soon as mp's runtime is up, not on the event loop's first turn (about 0.8 ms later). A task sent by value then returns " +
    'within half a millisecond, which is why mp by value comes first here. A task by reference first loads its module: mp loads a ' +
    "worker's first one with `require()` of an ES module (Node 20.19+), as piscina 5's worker does, which skips the start of Node's " +
    'asynchronous ESM loader and its `fs/promises` (1.2–2.5 ms sooner than `import()` in A/B runs of 31 and 41); Node still takes about ' +
    '2 ms to load this two-file graph. On Node 20 a worker ended while `require()` links a module graph (terminate, timeout, program exit) ' +
    "aborts the whole process — piscina crashed two cells of our A/B runs that way — so mp's parent never ends a thread inside that " +
    "`require()` (the load gate, @mp/node's README). " +
    'Two workers booting at once slow each other: a pool of one gives its first result 2.5–2.7 ms sooner than a pool of two, for mp and for raw ' +
    '`worker_threads` alike. Starting the other workers only after the first result would take that for mp, but every pool would reach full ' +
    "parallelism ~25 ms later; mp starts all of its workers at construction, as Python's Pool does. " +
    '**How close it is:** with `import()` alone, two A/B runs of 41 interleaved fresh processes gave mp by reference 1.00× and 1.02× ' +
    "piscina's time, and full runs up to 1.10×; with the gated `require()`, A/B runs of 31 and 41 gave 0.93× and 0.91×, a longer one " +
    'of 61 gave 27.9 against 28.1 ms (0.99×; the median of the 61 paired ratios, 0.95×), and full runs of 31 gave 0.97× and 1.03×. ' +
    "So by reference mp is level with piscina or slightly ahead, not by a margin one run can always see: over 90% of the figure is Node's " +
    "own work that both do alike (starting the thread, ~19 ms; its ESM loader for the first module, ~2 ms). Timestamped inside the " +
    "worker (`process.hrtime`, 21 alternating runs of each): piscina's worker evaluates the task module 0.6 ms before mp's does (mp " +
    "loads its runtime, 0.9 ms, and takes the init and run messages first), then needs 0.7 ms more than mp to run the task and " +
    'answer; the first result reaches the caller at the same moment, ±0.1 ms. mp by value, which skips the module load, was ahead ' +
    'of every peer by 3–4 ms.',
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
