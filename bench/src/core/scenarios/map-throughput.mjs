/** (b) Map throughput: one `map` over many small items with the library's default chunking. */
import { checkIncremented, range, usePool } from '../adapter.mjs';
import { now } from '../clock.mjs';

export default {
  id: 'map',
  letter: 'b',
  title: 'Map throughput',
  unit: 'items/s',
  better: 'higher',
  sizes: { full: { items: 1_000_000, warmup: 10_000 }, smoke: { items: 2_000, warmup: 100 } },
  describe: (s) => `\`map\` of \`x => x + 1\` over ${s.items.toLocaleString('en-US')} integers with the default chunksize (after a ${s.warmup.toLocaleString('en-US')}-item warm-up map).`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, size }) {
    return usePool(open, async (pool) => {
      await pool.map(range(size.warmup));
      const xs = range(size.items);
      const start = now();
      const results = await pool.map(xs);
      const ms = now() - start;
      checkIncremented(xs, results);
      return { value: (size.items / ms) * 1000, details: { ms } };
    });
  },
};
