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
  // A fresh process per run and a spread of several ms between runs: more runs for a steadier median.
  reps: { full: 15 },
  analysis:
    '**Where the time goes** (measured apart on 2026-11-28 by timestamping one worker with `process.hrtime`; not figures of this run): ' +
    'Node takes about 20 ms (on a quiet machine) to start a worker thread before any of its code runs, the same for every library. ' +
    "mp's worker entry, one CommonJS file, is listening 0.4 ms later and has its first batch 0.9 ms after that; a task sent by value " +
    'then returns within a millisecond, which is why mp by value comes first here. A task by reference first imports its module, and ' +
    "for that Node starts its ESM loader (about 3.4 ms, fs/promises included): the same import piscina and tinypool do for their worker file. " +
    '30 interleaved pairs of fresh processes, mp by reference against piscina (16/worker), differed by a median of −0.4 ms: the two are ' +
    'level within the noise of this machine, whose runs spread by ±5 ms. Two workers booting at once slow each other: a pool of one ' +
    'gives its first result 2.5–2.7 ms sooner than a pool of two, for mp and for raw `worker_threads` alike. Starting the other ' +
    'workers only after the first result would take that for mp, but every pool would reach full parallelism ~25 ms later; mp ' +
    "starts all of its workers at construction, as Python's Pool does.",
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
