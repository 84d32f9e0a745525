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
  // A fresh process per run, runs spread by ±5 ms, and peers within a millisecond or two of each other: 31 runs put the median within about 0.7 ms.
  reps: { full: 31 },
  analysis:
    '**Where the time goes** (measured apart on 2026-11-28 by timestamping the parent and one worker with `process.hrtime`; not figures of this run): ' +
    'Node takes about 18–20 ms on a quiet machine to start a worker thread before any of its code runs, the same for every library — and nearly ' +
    'twice as long (about 40 ms) in a process started with `--expose-gc`, which keeps Node from starting workers from its startup snapshot; ' +
    'so only (g), which needs `gc()`, runs with that flag. The first `new Worker` of a process also costs the parent about 2 ms. ' +
    "mp's worker entry is CommonJS and parses 31 KB at start: the shared-object classes and comlink (80 KB) are chunks required only when a task " +
    'uses them (a lone worker parsing the whole 111 KB bundle starts about 2 ms later; in a pool of two the split brought the first result 0.6–0.9 ms sooner). Messages the parent sent while the worker booted are taken ' +
    "synchronously as soon as mp's runtime is up, not on the event loop's first turn (about 0.8 ms later). A task sent by value then returns " +
    'within half a millisecond, which is why mp by value comes first here. A task by reference first loads its module: mp loads the first one ' +
    "with `require()` of an ES module (Node 20.19+), skipping the start of Node's asynchronous ESM loader (about 1 ms sooner in a pool), " +
    "as piscina 5's worker also does (it tries `require()` first); Node still takes about 2 ms to load the two-file module graph. " +
    'Two workers booting at once slow each other: a pool of one gives its first result 2.5–2.7 ms sooner than a pool of two, for mp and for raw ' +
    '`worker_threads` alike. Starting the other workers only after the first result would take that for mp, but every pool would reach full ' +
    "parallelism ~25 ms later; mp starts all of its workers at construction, as Python's Pool does. " +
    '**How close it is:** five runs of this scenario on 2026-11-28 after these changes gave mp / the fastest peer 0.98, 0.97, 0.99, 0.97 and ' +
    '1.08×: mp by reference is about a millisecond ahead of piscina, which single runs cannot always tell from the noise.',
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
