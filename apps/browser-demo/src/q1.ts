/**
 * Q1. What multiprocessing is and why it matters, answered in words and then
 * measured: the same CPU-bound job run serially on the page's thread, then
 * spread over a Pool with one worker per CPU, drawn live on one timeline.
 */
import { Pool, cpuCount } from '@mp/browser';
import { Timeline } from './timeline.ts';
import { duration, type Exercise } from './ui.ts';
import { FIB_N, JOBS, WARM_UP_N, clock, fib, t, yieldToPage } from './work.ts';

export const q1: Exercise = {
  id: 'q1',
  label: 'Q1',
  title: 'What is multiprocessing, and why does it matter?',
  wide: true,
  intro: `<p>Multiprocessing runs parts of one program in several workers at the same time, each on its own CPU
core. A page's JavaScript runs on one thread (like a Python interpreter under its GIL), so CPU-bound work gets
faster only when it is split over workers: that is what a <code>Pool</code> is for.</p>
<p>Measured: ${JOBS} × <code>fib(${FIB_N})</code>, first one after another on the page's thread, then on a
<code>Pool</code> of <code>cpuCount()</code> Web Workers. Each bar is one task, on the row of the worker that ran it.</p>`,
  async run(out) {
    const cpus = cpuCount();
    const work = Array.from({ length: JOBS }, () => FIB_N);
    const chart = new Timeline(out.figure);
    const serial = chart.section('serial, on the page’s thread', 1, ['main thread']);
    const parallel = chart.section(`Pool of ${cpus} workers`, cpus);

    fib(WARM_UP_N); // so the page's JIT has compiled fib, as the workers' will have
    serial.begin(clock());
    const expected: number[] = [];
    for (const [id, n] of work.entries()) {
      const start = clock();
      expected.push(fib(n));
      serial.add({ id, worker: 'main thread', start, end: clock() });
      await yieldToPage(); // let the chart move; the work itself still blocks the page
    }
    serial.finish(clock());
    const serialMs = serial.length(0);

    await using pool = new Pool({ processes: cpus });
    // Start the workers, and let each import the task module and warm up, before timing.
    await pool.map(t.fib, Array.from({ length: cpus }, () => WARM_UP_N), { chunksize: 1 });
    parallel.begin(clock());
    const results = await Promise.all(
      work.map((n, id) =>
        pool.apply(t.timedFib, [id, n]).then((span) => {
          parallel.add(span);
          return span.value;
        }),
      ),
    );
    parallel.finish(clock());
    const parallelMs = parallel.length(0);
    parallel.note = `${(serialMs / parallelMs).toFixed(1)}× as fast`;
    chart.render();

    if (results.join() !== expected.join()) throw new Error('the pool computed other results than the serial run');
    out.print(`${'serial, main thread'.padEnd(22)}${duration(serialMs).padStart(9)}`);
    out.print(`${`Pool, ${cpus} workers`.padEnd(22)}${duration(parallelMs).padStart(9)}`);
    out.print(`speedup ${(serialMs / parallelMs).toFixed(1)}× on ${cpus} ${cpus === 1 ? 'core' : 'cores'}`);
  },
};
