/**
 * Q6. The seed's last program: four child processes, each printing the
 * number it was given. All four are started, then all four are joined, as in
 * the seed.
 *
 * The order of the four lines is not fixed. The children run at the same
 * time, and whichever is ready first prints first; a child process takes tens
 * of milliseconds to start on Node (Python's fork takes about one), so their
 * start-ups overlap: on a 2-core machine 1 2 3 4 came about one run in four.
 * The seed's Python gives no guarantee either; its output shows one possible
 * order. A fixed order would need the children to coordinate (or the parent
 * to join each one before starting the next), which the seed does not do.
 */
import type { Process } from '@mp/core';
import type { Demo } from './api.ts';
import { hasProcesses } from './work.ts';

/** The child's code, sent by value. */
function printNumber(number: number): void {
  console.log(number);
}

export async function q6({ mp, runtime }: Demo): Promise<void> {
  const processList: Process<[number]>[] = [];
  for (let i = 1; i < 5; i++) {
    const p = new mp.Process({ target: printNumber, args: [i], context: hasProcesses(runtime) ? 'process' : 'thread' });
    processList.push(p);
    p.start();
  }

  for (const p of processList) await p.join();
}
