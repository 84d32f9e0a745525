/**
 * Q3. The seed's first program: a child process prints a line, the parent
 * waits for it with join() and then reports. Prints exactly what the seed's
 * Python prints, in the same order: mp guarantees that what a child printed
 * has reached the parent's output by the time join() resolves.
 */
import { Process } from '@mp/deno';

/** The child's code, sent by value: a self-contained function. */
function myProcess(): void {
  console.log('Hello from a child process');
}

export async function q3(): Promise<void> {
  // On Deno the child is a Web Worker (a thread): it prints the same.
  const p = new Process({ target: myProcess });
  p.start();
  await p.join();

  console.log('Child process has terminated');
}
