/** (c) Latency: sequential awaited tasks, one in flight at a time; the round trip per task. */
import { usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';

export default {
  id: 'latency',
  letter: 'c',
  title: 'Latency',
  unit: 'µs/task',
  better: 'lower',
  sizes: { full: { tasks: 10_000, warmup: 1_000 }, smoke: { tasks: 50, warmup: 10 } },
  describe: (s) => `${s.tasks.toLocaleString('en-US')} tasks of \`x => x + 1\`, each awaited before the next is submitted (after ${s.warmup.toLocaleString('en-US')} warm-up tasks).`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, size }) {
    return usePool(open, async (pool) => {
      let x = 0;
      for (let i = 0; i < size.warmup; i++) x = await pool.inc(x);
      x = 0;
      const start = now();
      for (let i = 0; i < size.tasks; i++) x = await pool.inc(x);
      const ms = now() - start;
      if (x !== size.tasks) throw new Error(`expected ${size.tasks} after the chain, got ${x}`);
      return { value: (ms * 1000) / size.tasks, details: { ms } };
    });
  },
};
