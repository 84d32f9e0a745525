/**
 * Q4. What a pool is, answered in words and then shown: twelve tasks of
 * different lengths on a Pool, each reporting which worker ran it and when,
 * drawn as one timeline row per worker.
 */
import type { Demo } from './api.ts';
import { Bar, millis, timeline } from './format.ts';

/** How long each task keeps its worker busy, in ms; task i gets LENGTHS[i]. */
const LENGTHS = [300, 120, 200, 80, 260, 150, 100, 220, 90, 180, 140, 60];

export async function q4({ mp, runtime, t }: Demo): Promise<void> {
  const workers = Math.max(2, mp.cpuCount());
  console.log(`A pool is a fixed set of workers, started once and reused for many tasks. You hand
it work (map, apply, imap); it queues the tasks and hands them out to its workers,
one task running per worker at a time, and returns the results in order.
Shown: ${LENGTHS.length} tasks of different lengths on a Pool of ${workers} workers.
`);

  await using pool = new mp.Pool({ processes: workers });
  await pool.apply(() => 0, []); // start the workers first, so the timeline shows tasks, not start-up

  runtime.write('running ');
  const bar = new Bar(runtime.write, LENGTHS.length);
  const spans = await pool.starmap(
    t.spin,
    LENGTHS.map((ms, id) => [id, ms] as [number, number]),
    { chunksize: 1, onProgress: (done) => bar.update(done) },
  );
  bar.finish('');
  console.log();

  for (const row of timeline(spans)) console.log(row);
  const wall = Math.max(...spans.map((x) => x.end)) - Math.min(...spans.map((x) => x.start));
  const s = pool.stats();
  console.log(`
all ${spans.length} tasks took ${millis(wall)} from the first start to the last end
pool.stats(): ${s.completed} completed (with the start-up call), ${s.failed} failed, mean run time ${millis(s.runTime.mean)}, mean wait ${millis(s.waitTime.mean)}`);
}
