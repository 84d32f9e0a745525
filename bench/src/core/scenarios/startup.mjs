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
