/**
 * Q4. What a pool is, answered in words and then shown: twelve tasks of
 * different lengths on a Pool, each reporting which worker ran it and when,
 * drawn live as one timeline row per worker, with the speedup it gave.
 */
import { Pool, cpuCount } from '@mp/browser';
import { Timeline } from './timeline.ts';
import { duration, type Exercise } from './ui.ts';
import { clock, t } from './work.ts';

/** How long each task keeps its worker busy, in ms; task i gets LENGTHS[i]. */
const LENGTHS = [300, 120, 200, 80, 260, 150, 100, 220, 90, 180, 140, 60];

export const q4: Exercise = {
  id: 'q4',
  label: 'Q4',
  title: 'What is a pool?',
  wide: true,
  intro: `<p>A pool is a fixed set of workers, started once and reused for many tasks. You hand it work
(<code>map</code>, <code>apply</code>, <code>imap</code>); it queues the tasks and hands them out to its workers,
one task running per worker at a time, and returns the results in order. A worker that finishes early simply
takes the next task.</p>
<p>Shown: ${LENGTHS.length} tasks of different lengths (${LENGTHS.join(', ')} ms of CPU work) on a Pool of
<code>max(2, cpuCount())</code> workers.</p>`,
  async run(out) {
    const workers = Math.max(2, cpuCount());
    const chart = new Timeline(out.figure);
    const section = chart.section(`Pool of ${workers} workers`, workers);

    await using pool = new Pool({ processes: workers });
    // Start the workers (and let each import the task module) first, so the timeline shows tasks, not start-up.
    await pool.starmap(t.spin, Array.from({ length: workers }, () => [-1, 0] as [number, number]), { chunksize: 1 });
    section.begin(clock());
    const spans = await Promise.all(LENGTHS.map((ms, id) => pool.apply(t.spin, [id, ms]).then((span) => (section.add(span), span))));
    section.finish(clock());

    const wall = section.length(0);
    const work = spans.reduce((sum, s) => sum + (s.end - s.start), 0);
    const s = pool.stats();
    out.print(`${spans.length} tasks, ${duration(work)} of work in all, done in ${duration(wall)} on ${workers} workers`);
    out.print(`speedup ${(work / wall).toFixed(1)}× over running them one after another`);
    out.print(`pool.stats(): ${s.completed} completed (with the start-up calls), ${s.failed} failed, mean wait ${duration(s.waitTime.mean)}`);
  },
};
