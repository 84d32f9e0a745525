/**
 * Q2. Multiprocessing vs multithreading, answered in words and then measured:
 * the Q1 job done with async concurrency on the page's one thread, and on a
 * Pool of Web Workers, compared by wall time, start-up cost, and how long the
 * page itself stalled (could not render or react to a click) meanwhile.
 */
import { Pool, cpuCount } from '@mp/browser';
import { duration, type Exercise } from './ui.ts';
import { FIB_N, JOBS, WARM_UP_N, fib, t, watchStalls } from './work.ts';

interface Row {
  fill: HTMLElement;
  value: HTMLElement;
}

function bars(host: HTMLElement, labels: string[]): Row[] {
  const table = document.createElement('div');
  table.className = 'bars';
  host.append(table);
  return labels.map((label) => {
    const row = document.createElement('div');
    row.className = 'bar-row';
    const name = document.createElement('span');
    name.className = 'bar-label';
    name.textContent = label;
    const track = document.createElement('span');
    track.className = 'bar-track';
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'bar-value';
    row.append(name, track, value);
    table.append(row);
    return { fill, value };
  });
}

/** Waits for a macrotask, as if for some I/O: async code takes turns on one thread. */
const io = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export const q2: Exercise = {
  id: 'q2',
  label: 'Q2',
  title: 'How does multiprocessing differ from multithreading?',
  intro: `<p>A process has its own memory: it costs more to start, talks to others only by messages, and its crash
stays its own. Threads share one process and its memory. A page's Web Workers are in between: each has its own
JavaScript heap and talks by messages (or shared memory, on a cross-origin isolated page), and they run truly in
parallel, unlike Python threads under the GIL. <code>async</code> code on one thread overlaps <em>waiting</em>,
not <em>computing</em>.</p>
<p>Measured: the Q1 job (${JOBS} × <code>fib(${FIB_N})</code>) as async tasks on the page's thread, then on a Pool.</p>`,
  async run(out) {
    const cpus = cpuCount();
    const rows = bars(out.figure, ['async, one thread', `Pool, ${cpus} workers`]);
    const work = Array.from({ length: JOBS }, () => FIB_N);
    const walls: number[] = [];
    const show = (i: number, done: number, ms: number, note = ''): void => {
      const row = rows[i]!;
      row.fill.style.width = `${(100 * done) / JOBS}%`;
      row.value.textContent = `${duration(ms)}${note}`;
    };

    // 1. async concurrency on the page's one thread
    let done = 0;
    let stalls = watchStalls();
    const t0 = performance.now();
    const one = await Promise.all(
      work.map(async (n) => {
        await io();
        const r = fib(n);
        show(0, ++done, performance.now() - t0);
        return r;
      }),
    );
    walls.push(performance.now() - t0);
    const stallOne = stalls.stop();

    // 2. a Pool of workers: start-up, then the same job
    const s0 = performance.now();
    await using pool = new Pool({ processes: cpus });
    await pool.map(t.fib, Array.from({ length: cpus }, () => WARM_UP_N), { chunksize: 1 });
    const startup = performance.now() - s0;
    stalls = watchStalls();
    const p0 = performance.now();
    const many = await pool.map(t.fib, work, { chunksize: 1, onProgress: (d) => show(1, d, performance.now() - p0) });
    walls.push(performance.now() - p0);
    const stallPool = stalls.stop();

    if (one.join() !== many.join()) throw new Error('the two ways computed different results');
    // Now both bars on one scale: the longer run is the full width.
    const longest = Math.max(...walls);
    rows.forEach((row, i) => show(i, (JOBS * walls[i]!) / longest, walls[i]!));
    const ratio = walls[0]! / walls[1]!;
    out.print(`                    wall time  page froze for`);
    out.print(`async, one thread   ${duration(walls[0]!).padStart(9)}  ${duration(stallOne).padStart(14)}`);
    out.print(`${`Pool, ${cpus} workers`.padEnd(20)}${duration(walls[1]!).padStart(9)}  ${duration(stallPool).padStart(14)}`);
    out.print(`starting the pool took ${duration(startup)} more`);
    out.print(ratio >= 1 ? `the workers were ${ratio.toFixed(1)}× as fast` : `the workers were slower here (${ratio.toFixed(1)}×): too few free cores`);
  },
};
