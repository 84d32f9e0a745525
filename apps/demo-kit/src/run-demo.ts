/**
 * The demo itself: a banner, then the seed's six sections, Q1 to Q6, and the
 * shared-state section, each under its heading. Q3, Q5 and Q6 are the seed's
 * programs and print what the seed prints; Q1, Q2 and Q4 answer the seed's
 * questions in a few words and then measure the answer on this machine.
 */
import type { Demo, MpApi, RuntimeFacts } from './api.ts';
import { describeError, seconds } from './format.ts';
import { q1 } from './q1.ts';
import { q2 } from './q2.ts';
import { q3 } from './q3.ts';
import { q4 } from './q4.ts';
import { q5 } from './q5.ts';
import { q6 } from './q6.ts';
import { sharedState } from './shared-state.ts';
import { TASKS_URL, now } from './work.ts';

const sections: [title: string, run: (demo: Demo) => Promise<void>][] = [
  ['Q1. What is multiprocessing, and why does it matter?', q1],
  ['Q2. How does multiprocessing differ from multithreading?', q2],
  ['Q3. A child process that prints, and a parent that waits', q3],
  ['Q4. What is a pool?', q4],
  ['Q5. Pool.map: the squares of [2, 4, 6, 8, 9]', q5],
  ['Q6. Four child processes, each printing its number', q6],
  ['Shared state: Queue, Lock and Barrier across workers', sharedState],
];

/**
 * Runs the demo on the adapter `mp`. A section that fails prints one line and
 * the demo goes on; the program then exits with code 1.
 *
 * @example
 * import * as mp from '@mp/node';
 * await runDemo(mp, { adapter: '@mp/node', name: 'Node', version: process.version, contexts: mp.nodeRuntime.contexts, … });
 */
export async function runDemo(mp: MpApi, runtime: RuntimeFacts): Promise<void> {
  const demo: Demo = { mp, runtime, t: mp.tasks<typeof import('./tasks.js')>(TASKS_URL) };
  const started = now();
  console.log(
    `${runtime.adapter} demo: Python's multiprocessing, seed exercises Q1–Q6 (${runtime.name} ${runtime.version}, ${mp.cpuCount()} CPUs)`,
  );
  for (const [title, run] of sections) {
    console.log(`\n=== ${title} ===\n`);
    try {
      await run(demo);
    } catch (error) {
      // One line, no stack: the demo goes on with the next section and exits non-zero at the end.
      console.log(`\n✗ this section failed: ${describeError(error)}`);
      runtime.setExitCode(1);
    }
  }
  console.log(`\nDone in ${seconds(now() - started)}.`);
}
