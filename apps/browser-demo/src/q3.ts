/**
 * Q3. The seed's first program: a child process prints a line, the parent
 * waits for it with join() and then reports. Prints what the seed's Python
 * prints, in the same order: mp guarantees that what a child printed has reached
 * the page (through `onOutput`) by the time join() resolves.
 */
import { Process, onOutput } from '@mp/browser';
import type { Exercise } from './ui.ts';

/** The child's code, sent by value: a self-contained function. */
function myProcess(): void {
  console.log('Hello from a child process');
}

export const q3: Exercise = {
  id: 'q3',
  label: 'Q3',
  title: 'A child process that prints, and a parent that waits',
  intro: `<p><code>start()</code> runs the target in a new worker; <code>join()</code> waits until it has ended.
The child's <code>console.log</code> reaches the page through <code>onOutput</code> before <code>join()</code>
resolves, so the two lines always come in this order.</p>`,
  code: `function myProcess() {
  console.log('Hello from a child process');
}

const p = new Process({ target: myProcess });
p.start();
await p.join();
console.log('Child process has terminated');`,
  async run(out) {
    const p = new Process({ target: myProcess });
    const off = onOutput((line) => {
      if (line.worker === p.name) out.print(line.text, line.worker);
    });
    try {
      p.start();
      await p.join();
    } finally {
      off();
    }
    out.print('Child process has terminated');
  },
};
