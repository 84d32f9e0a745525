/**
 * Q2. Multiprocessing vs multithreading, answered in words and then measured:
 * the Q1 job done with async concurrency in one thread, on worker threads and,
 * where the runtime has them, on child processes, compared by wall time,
 * start-up cost and memory per worker.
 */
import type { Demo } from './api.ts';
import { Bar, cells, header, megabytes, millis, pad, seconds, type Column } from './format.ts';
import { fib } from './tasks.js';
import { FIB_N, JOBS, hasProcesses, now, work } from './work.ts';

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

export async function q2(demo: Demo): Promise<void> {
  const { mp, runtime } = demo;
  const cpus = mp.cpuCount();
  const processes = hasProcesses(runtime);
  const ways = processes ? 'three' : 'two';
  console.log(`A process has its own memory: it costs more to start and to keep, talks to others
only by messages, and its crash stays its own. Threads share one process. In ${runtime.name}
every worker thread still has its own JS heap, so both run truly in parallel, unlike
Python threads under the GIL; async code in one thread overlaps waiting, not computing.
Measured: ${JOBS} × fib(${FIB_N}) ${ways} ways, ${cpus} workers${processes ? ' each' : ''}; start-up is from new Pool()
to the first result of a trivial task, memory is resident memory (RSS) per idle worker.`);
  if (!processes) console.log(`${runtime.name}'s workers are threads only: Web Workers, in this one process.`);
  console.log();
  console.log(header(columns));
  const results = [await asyncOneThread(demo), await onPool(demo, 'thread', cpus)];
  if (processes) results.push(await onPool(demo, 'process', cpus));
  if (!results.every((r) => r.join() === results[0]!.join())) throw new Error(`the ${ways} ways computed different results`);
  console.log(`\n${processes ? 'all three' : 'both'} computed the same ${JOBS} results`);
  if (runtime.q2Note !== undefined) console.log(`note: ${runtime.q2Note}`);
}

/** One thread, many async calls: they take turns, so CPU work gains nothing. */
async function asyncOneThread({ runtime: { write } }: Demo): Promise<number[]> {
  cells(write, columns, ['async, one thread']);
  const bar = new Bar(write, JOBS);
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

async function onPool({ mp, runtime, t }: Demo, context: 'thread' | 'process', cpus: number): Promise<number[]> {
  cells(runtime.write, columns, [context === 'thread' ? 'worker threads' : 'child processes']);
  const rssBefore = runtime.rss();
  const startupStart = now();
  await using pool = new mp.Pool({ processes: cpus, context });
  await pool.apply(() => 0, []);
  const startup = now() - startupStart;

  // Every worker reports in once (whoami waits a little, so no worker answers twice).
  const reports = await pool.map(t.whoami, Array.from({ length: cpus }, () => 100), { chunksize: 1 });
  const workers = new Map(reports.map((r) => [r.pid, r.rss]));
  const perWorker =
    context === 'thread'
      ? (runtime.rss() - rssBefore) / cpus // threads live in our process: its growth, shared out
      : [...workers.values()].reduce((a, b) => a + b, 0) / workers.size; // each child is its own process

  const bar = new Bar(runtime.write, JOBS);
  const start = now();
  const results = await pool.map(t.fib, work, { chunksize: 1, onProgress: (done) => bar.update(done) });
  bar.finish(rest(now() - start, millis(startup), `≈ ${megabytes(perWorker)}`));
  return results;
}
