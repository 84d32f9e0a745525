/**
 * Q5. The seed's Pool program: four workers square [2, 4, 6, 8, 9] with
 * map(). `await using` ends the pool when the block ends, as Python's
 * `with multiprocessing.Pool(processes=4) as pool:` does.
 */
import { Pool } from '@mp/browser';
import type { Exercise } from './ui.ts';
import { pyList } from './work.ts';

/** Sent to the workers by value: a self-contained function. */
function squ(n: number): number {
  return n ** 2;
}

export const q5: Exercise = {
  id: 'q5',
  label: 'Q5',
  title: 'Pool.map: the squares of [2, 4, 6, 8, 9]',
  intro: `<p><code>map</code> splits the list over the pool's workers and returns the results in input order.
<code>await using</code> ends the pool at the end of the block, like Python's <code>with Pool(4) as pool:</code>.</p>`,
  code: `function squ(n) {
  return n ** 2;
}

await using pool = new Pool({ processes: 4 });
const m = await pool.map(squ, [2, 4, 6, 8, 9]);
console.log(m);`,
  async run(out) {
    await using pool = new Pool({ processes: 4 });
    const m = await pool.map(squ, [2, 4, 6, 8, 9]);
    out.print(pyList(m)); // print(m) in Python formats the list like this
  },
};
