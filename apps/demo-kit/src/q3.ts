/**
 * Q3. The seed's first program: a child process prints a line, the parent
 * waits for it with join() and then reports. Prints exactly what the seed's
 * Python prints, in the same order: mp guarantees that what a child printed
 * has reached the parent's output by the time join() resolves.
 */
import type { Demo } from './api.ts';
import { hasProcesses } from './work.ts';

/** The child's code, sent by value: a self-contained function. */
function myProcess(): void {
  console.log('Hello from a child process');
}

export async function q3({ mp, runtime }: Demo): Promise<void> {
  // An OS child process, like Python's, where the runtime has them (see hasProcesses); a thread prints the same.
  const p = new mp.Process({ target: myProcess, context: hasProcesses(runtime) ? 'process' : 'thread' });
  p.start();
  await p.join();

  console.log('Child process has terminated');
}
