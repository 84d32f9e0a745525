/**
 * Q6. The seed's last program: four child processes, each printing the
 * number it was given. All four are started, then all four are joined, as in
 * the seed. Their lines reach the page through `onOutput`. The order is not
 * fixed: the children run at the same time and whichever is ready first prints
 * first (the seed's Python gives no guarantee either).
 */
import { Process, onOutput } from '@mp/browser';
import type { Exercise } from './ui.ts';

/** The child's code, sent by value. */
function printNumber(number: number): void {
  console.log(number);
}

export const q6: Exercise = {
  id: 'q6',
  label: 'Q6',
  title: 'Four child processes, each printing its number',
  intro: `<p>All four are started, then all four are joined. They run at the same time, so the order of their
lines is whatever order they finish in: run it a few times.</p>`,
  code: `function printNumber(number) {
  console.log(number);
}

const processList = [];
for (let i = 1; i < 5; i++) {
  const p = new Process({ target: printNumber, args: [i] });
  processList.push(p);
  p.start();
}
for (const p of processList) await p.join();`,
  async run(out) {
    const processList: Process<[number]>[] = [];
    for (let i = 1; i < 5; i++) processList.push(new Process({ target: printNumber, args: [i] }));
    const mine = new Set(processList.map((p) => p.name));
    const off = onOutput((line) => {
      if (mine.has(line.worker)) out.print(line.text, line.worker);
    });
    try {
      for (const p of processList) p.start();
      for (const p of processList) await p.join();
    } finally {
      off();
    }
  },
};
