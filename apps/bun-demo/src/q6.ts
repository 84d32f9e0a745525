/**
 * Q6. The seed's last program: four child processes, each printing the
 * number it was given. All four are started, then all four are joined, as in
 * the seed.
 *
 * The order of the four lines is not fixed: the children run at the same
 * time, and whichever is ready first prints first. The seed's Python gives no
 * guarantee either; its output shows one possible order. A fixed order would
 * need the children to coordinate (or the parent to join each one before
 * starting the next), which the seed does not do.
 */
import { Process } from '@mp/bun';

/** The child's code, sent by value. */
function printNumber(number: number): void {
  console.log(number);
}

export async function q6(): Promise<void> {
  const processList: Process<[number]>[] = [];
  for (let i = 1; i < 5; i++) {
    const p = new Process({ target: printNumber, args: [i], context: 'process' });
    processList.push(p);
    p.start();
  }

  for (const p of processList) await p.join();
}
