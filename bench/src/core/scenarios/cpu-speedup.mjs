/**
 * (d) CPU-bound speedup: many fib(n) on the pool's workers against the same
 * work serially here. Serial and pool runs alternate and the fastest of each
 * counts, so a burst of load from elsewhere on the machine hits one run, not
 * the ratio.
 */
import { usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';
import { fib } from '../work.mjs';

export default {
  id: 'cpu',
  letter: 'd',
  title: 'CPU-bound speedup',
  unit: '× serial',
  better: 'higher',
  sizes: { full: { tasks: 64, n: 30, rounds: 2 }, smoke: { tasks: 4, n: 18, rounds: 1 } },
  describe: (s) =>
    `${s.tasks} × \`fib(${s.n})\` submitted at once to 2 workers, against the same ${s.tasks} calls run serially on the main thread of the same process; speedup = serial time / pool time, each the fastest of ${s.rounds} alternating runs.`,
  note: (d) => `serial ${Math.round(d.serialMs)} ms, pool ${Math.round(d.poolMs)} ms`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, size }) {
    const expected = fib(size.n); // also warms the main thread's fib
    return usePool(open, async (pool) => {
      await Promise.all([pool.fib(size.n), pool.fib(size.n)]); // both workers compile fib first
      let serialMs = Infinity;
      let poolMs = Infinity;
      for (let round = 0; round < size.rounds; round++) {
        let start = now();
        for (let i = 0; i < size.tasks; i++) if (fib(size.n) !== expected) throw new Error('fib is not deterministic');
        serialMs = Math.min(serialMs, now() - start);
        const promises = [];
        start = now();
        for (let i = 0; i < size.tasks; i++) promises.push(pool.fib(size.n));
        const results = await Promise.all(promises);
        poolMs = Math.min(poolMs, now() - start);
        for (const r of results) if (r !== expected) throw new Error(`fib(${size.n}) returned ${String(r)}, expected ${expected}`);
      }
      return { value: serialMs / poolMs, details: { serialMs, poolMs } };
    });
  },
};
