/**
 * Q1. What multiprocessing is and why it matters, answered in words and then
 * measured: the same CPU-bound job run serially in the main thread, then
 * spread over a Pool with one worker per CPU.
 */
import type { Demo } from './api.ts';
import { Bar, cells, header, pad, seconds, type Column } from './format.ts';
import { fib } from './tasks.js';
import { FIB_N, JOBS, now, work } from './work.ts';

export async function q1({ mp, runtime, t }: Demo): Promise<void> {
  const { write } = runtime;
  const cpus = mp.cpuCount();
  console.log(`Multiprocessing runs parts of one program in several workers at the same time,
each on its own CPU core. A JavaScript thread, like a Python interpreter under its
GIL, computes on one core only, so CPU-bound work gets faster only when it is
split over workers: that is what a Pool is for. Measured: ${JOBS} × fib(${FIB_N}).
`);

  const columns: Column[] = [
    { title: 'run', width: 26 },
    { title: 'progress', width: Bar.width(JOBS) },
    { title: 'wall time', width: 9, align: 'right' },
  ];
  const time = (ms: number): string => `  ${pad(seconds(ms), 9, 'right')}`;
  console.log(header(columns));

  cells(write, columns, ['serial, main thread']);
  let bar = new Bar(write, JOBS);
  const serialStart = now();
  const serial: number[] = [];
  for (const n of work) {
    serial.push(fib(n));
    bar.update(serial.length);
  }
  const serialMs = now() - serialStart;
  bar.finish(time(serialMs));

  await using pool = new mp.Pool({ processes: cpus });
  // Start the workers and let each import the task module before timing; Q2 measures start-up on its own.
  await pool.map(t.fib, Array.from({ length: cpus }, () => 1), { chunksize: 1 });
  cells(write, columns, [`Pool, ${cpus} worker threads`]);
  bar = new Bar(write, JOBS);
  const parallelStart = now();
  const parallel = await pool.map(t.fib, work, { chunksize: 1, onProgress: (done) => bar.update(done) });
  const parallelMs = now() - parallelStart;
  bar.finish(time(parallelMs));

  if (parallel.join() !== serial.join()) throw new Error('the pool computed other results than the serial run');
  console.log(`\nspeedup ${(serialMs / parallelMs).toFixed(1)}× on ${cpus} ${cpus === 1 ? 'core' : 'cores'}`);
}
