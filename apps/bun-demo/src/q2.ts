/**
 * Q2. Multiprocessing vs multithreading, answered in words and then measured:
 * the Q1 job done with async concurrency in one thread, on worker threads and
 * on child processes, compared by wall time, start-up cost and memory per worker.
 */
import { Pool, cpuCount } from '@mp/bun';
import { Bar, cells, header, megabytes, millis, pad, seconds, type Column } from './format.ts';
import { fib } from './tasks.ts';
import { FIB_N, JOBS, now, t, work } from './work.ts';

const columns: Column[] = [
  { title: 'way', width: 24 },
  { title: 'progress', width: Bar.width(JOBS) },
  { title: 'wall time', width: 9, align: 'right' },
  { title: 'start-up', width: 8, align: 'right' },
  { title: 'memory/worker', width: 13, align: 'right' },
];

/** The cells after the progress bar. */
function rest(wallMs: number, startup: string, memory: string): string {
  return `  ${pad(seconds(wallMs), 9, 'right')}  ${pad(startup, 8, 'right')}  ${pad(memory, 13, 'right')}`;
}

export async function q2(): Promise<void> {
  const cpus = cpuCount();
  console.log(`A process has its own memory: it costs more to start and to keep, talks to others
only by messages, and its crash stays its own. Threads share one process. In Bun
every worker thread still has its own JS heap, so both run truly in parallel, unlike
Python threads under the GIL; async code in one thread overlaps waiting, not computing.
Measured: ${JOBS} × fib(${FIB_N}) three ways, ${cpus} workers each; start-up is from new Pool()
to the first result of a trivial task, memory is resident memory (RSS) per idle worker.
`);
  console.log(header(columns));
  const results = [await asyncOneThread(), await onPool('thread', cpus), await onPool('process', cpus)];
  const same = results.every((r) => r.join() === results[0]!.join());
  if (!same) throw new Error('the three ways computed different results');
  console.log(`\nall three computed the same ${JOBS} results`);
}

/** One thread, many async calls: they take turns, so CPU work gains nothing. */
async function asyncOneThread(): Promise<number[]> {
  cells(columns, ['async, one thread']);
  const bar = new Bar(JOBS);
  let done = 0;
  const start = now();
  const results = await Promise.all(
    work.map(async (n) => {
      await new Promise((resolve) => setTimeout(resolve, 0)); // as if each first waited for some I/O
      const r = fib(n);
      bar.update(++done);
      return r;
    }),
  );
  bar.finish(rest(now() - start, '—', '—'));
  return results;
}

async function onPool(context: 'thread' | 'process', cpus: number): Promise<number[]> {
  cells(columns, [context === 'thread' ? 'worker threads' : 'child processes']);
  const rssBefore = process.memoryUsage().rss;
  const startupStart = now();
  await using pool = new Pool({ processes: cpus, context });
  await pool.apply(() => 0, []);
  const startup = now() - startupStart;

  // Every worker reports in once (whoami waits a little, so no worker answers twice).
  const reports = await pool.map(t.whoami, Array.from({ length: cpus }, () => 100), { chunksize: 1 });
  const workers = new Map(reports.map((r) => [r.pid, r.rss]));
  const perWorker =
    context === 'thread'
      ? (process.memoryUsage().rss - rssBefore) / cpus // threads live in our process: its growth, shared out
      : [...workers.values()].reduce((a, b) => a + b, 0) / workers.size; // each child is its own process

  const bar = new Bar(JOBS);
  const start = now();
  const results = await pool.map(t.fib, work, { chunksize: 1, onProgress: (done) => bar.update(done) });
  bar.finish(rest(now() - start, millis(startup), `≈ ${megabytes(perWorker)}`));
  return results;
}
