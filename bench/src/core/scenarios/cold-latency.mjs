/**
 * (h) Cold latency: a program's first seconds with a pool. A new pool, one 4-item map (the pool's first work),
 * then sequential awaited tasks from the first: no warm-up beyond what the program itself does.
 */
import { checkIncremented, usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';

export default {
  id: 'cold',
  letter: 'h',
  title: 'Cold latency',
  unit: 'µs/task',
  better: 'lower',
  sizes: { full: { tasks: 5_000 }, smoke: { tasks: 50 } },
  describe: (s) =>
    `In a fresh process: a new pool, a 4-item \`map\`, then ${s.tasks.toLocaleString('en-US')} tasks of \`x => x + 1\`, each awaited before the next is submitted; the time per task over all of them (no warm-up).`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, size }) {
    return usePool(open, async (pool) => {
      const first = [1, 2, 3, 4];
      checkIncremented(first, await pool.map(first));
      let x = 0;
      const start = now();
      for (let i = 0; i < size.tasks; i++) x = await pool.inc(x);
      const ms = now() - start;
      if (x !== size.tasks) throw new Error(`expected ${size.tasks} after the chain, got ${x}`);
      return { value: (ms * 1000) / size.tasks, details: { ms } };
    });
  },
};
