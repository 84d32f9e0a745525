/**
 * (g) Memory: resident memory after many tasks against after a few, to catch
 * per-task leaks. Tasks go in waves (submitted at once, then awaited), so the
 * figure is what the pool keeps, not the promises a caller holds in flight.
 */
import { checkIncremented, range, submitAll, usePool } from '../adapter.mjs';

const MiB = 1024 * 1024;

export default {
  id: 'memory',
  letter: 'g',
  title: 'Memory growth',
  unit: 'MiB',
  better: 'lower',
  /** Collects garbage before each reading: Node's cells get `--expose-gc` for this scenario alone. */
  gc: true,
  /** Growth can be zero or negative: compare by difference (MiB), not by ratio. */
  compare: 'difference',
  sizes: { full: { tasks: 1_000_000, baseline: 10_000, wave: 10_000 }, smoke: { tasks: 2_000, baseline: 200, wave: 200 } },
  analysis:
    '**Reading it** (the full runs of 2026-11-28): growth counts from the RSS after the first 10,000 tasks. There mp (thread) stands ' +
    'at about 85 MiB, as raw `worker_threads` does, while piscina and workerpool have already grown to 104–115 MiB; after the million ' +
    'tasks the thread pools all stand at 106–117 MiB (poolifier 177). So the growth is mostly the heap V8 sizes for the work, reached later from a ' +
    'smaller start, not memory mp keeps per task: in a run of 4,000,000 tasks apart, the main thread\'s heap stayed flat at 4.5 MiB.',
  describe: (s) =>
    `Resident memory (RSS of the benchmark process, after a full GC) after ${s.tasks.toLocaleString('en-US')} \`x => x + 1\` tasks against after the first ${s.baseline.toLocaleString('en-US')}; tasks run in waves of ${s.wave.toLocaleString('en-US')} submitted at once.`,
  note: (d) => `RSS ${Math.round(d.rssBaselineMiB)} → ${Math.round(d.rssAfterMiB)} MiB, peak ${Math.round(d.peakMiB)} MiB`,
  /** @param {import('../adapter.mjs').MeasureContext} ctx */
  async measure({ open, host, size }) {
    return usePool(open, async (pool) => {
      const xs = range(size.wave);
      let done = 0;
      let peak = 0;
      const wave = async () => {
        const results = await submitAll(pool, xs);
        done += xs.length;
        peak = Math.max(peak, host.rss());
        return results;
      };
      while (done < size.baseline) checkIncremented(xs, await wave());
      host.gc();
      const before = host.rss();
      while (done + xs.length < size.tasks) await wave();
      checkIncremented(xs, await wave());
      host.gc();
      const after = host.rss();
      return { value: (after - before) / MiB, details: { rssBaselineMiB: before / MiB, rssAfterMiB: after / MiB, peakMiB: peak / MiB, tasks: done } };
    });
  },
};
