/**
 * The page: the six exercises of the seed as six panels, each with its own Run
 * button; "Run all six" runs them one after another.
 */
import './style.css';
import { cpuCount } from '@mp/browser';
import { Panel } from './ui.ts';
import { q1 } from './q1.ts';
import { q2 } from './q2.ts';
import { q3 } from './q3.ts';
import { q4 } from './q4.ts';
import { q5 } from './q5.ts';
import { q6 } from './q6.ts';

const panels = [q1, q2, q3, q4, q5, q6].map((exercise) => new Panel(exercise));
document.querySelector('#panels')!.append(...panels.map((p) => p.element));

const facts = document.querySelector('#facts')!;
const isolated = globalThis.crossOriginIsolated === true;
const fact = (label: string, value: string, ok = true): string =>
  `<span class="fact${ok ? '' : ' warn'}"><span class="fact-label">${label}</span> ${value}</span>`;
facts.innerHTML =
  fact('CPU cores', String(cpuCount())) +
  fact('cross-origin isolated', isolated ? 'yes' : 'no: shared memory is off', isolated);

const runAll = document.querySelector<HTMLButtonElement>('#run-all')!;
runAll.addEventListener('click', () => {
  runAll.disabled = true;
  void (async () => {
    try {
      for (const panel of panels) await panel.run();
    } finally {
      runAll.disabled = false;
    }
  })();
});
