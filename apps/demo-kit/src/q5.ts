/**
 * Q5. The seed's Pool program: four workers square [2, 4, 6, 8, 9] with
 * map(). `await using` ends the pool when the block ends, as Python's
 * `with multiprocessing.Pool(processes=4) as pool:` does.
 */
import type { Demo } from './api.ts';
import { pyList } from './format.ts';

/** Sent to the workers by value: a self-contained function. */
function squ(n: number): number {
  return n ** 2;
}

export async function q5({ mp }: Demo): Promise<void> {
  await using pool = new mp.Pool({ processes: 4 });
  const m = await pool.map(squ, [2, 4, 6, 8, 9]);
  console.log(pyList(m)); // print(m) in Python formats the list like this
}
