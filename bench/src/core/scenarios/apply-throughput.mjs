/** (a) Per-task throughput: many single `apply` calls of `x => x + 1`, all submitted at once. */
import { checkIncremented, range, submitAll, usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';

export default {
  id: 'apply',
  letter: 'a',
  title: 'Per-task throughput',
  unit: 'tasks/s',
  better: 'higher',
  sizes: { full: { tasks: 200_000, warmup: 2_000 }, smoke: { tasks: 300, warmup: 20 } },
  describe: (s) => `${s.tasks.toLocaleString('en-US')} \`apply\` calls of \`x => x + 1\`, all submitted in one tick, then awaited together (after ${s.warmup.toLocaleString('en-US')} warm-up calls).`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, size }) {
    return usePool(open, async (pool) => {
      await submitAll(pool, range(size.warmup));
      const xs = range(size.tasks);
      const start = now();
      const results = await submitAll(pool, xs);
      const ms = now() - start;
      checkIncremented(xs, results);
      return { value: (size.tasks / ms) * 1000, details: { ms } };
    });
  },
};
