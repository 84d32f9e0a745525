/**
 * `@mp/demo-kit/testing`: the check each app's test makes, written once. It runs
 * the app's demo program as a child process (with `node:child_process`, which
 * Node, Deno and Bun all have) and lists what its output lacks of what the
 * seed's exercises must print.
 */
import { execFile } from 'node:child_process';

/** How to run the demo program, and what its runtime offers. */
export interface DemoCheck {
  /** The runtime's executable, e.g. `process.execPath`. */
  command: string;
  args: string[];
  /** The directory to run in (Deno finds its `deno.json` there). */
  cwd?: string;
  /** Whether the runtime has child processes, so Q2 measures them too. */
  processes: boolean;
}

/**
 * Runs the demo program and returns what is wrong with the run: empty when it
 * exited with code 0 and printed every section as expected.
 *
 * @example
 * expect(await demoProblems({ command: process.execPath, args: ['run', main], processes: true })).toEqual([]);
 */
export async function demoProblems(check: DemoCheck): Promise<string[]> {
  const { code, stdout } = await run(check);
  const problems = outputProblems(stdout, check.processes);
  if (code !== 0) problems.unshift(`exit code ${code}`);
  return problems;
}

function run({ command, args, cwd }: DemoCheck): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 300_000, maxBuffer: 1 << 24 }, (error, out) => {
      if (error?.killed) reject(new Error('the program did not end within 300 s', { cause: error }));
      // Deno colours printed numbers when FORCE_COLOR is set (CI sets FORCE_COLOR=0): compare plain text.
      // eslint-disable-next-line no-control-regex
      else resolve({ code: error ? Number(error.code) : 0, stdout: out.replace(/\u001b\[[0-9;]*m/g, '') });
    });
  });
}

/** What the demo's output lacks; empty when every section printed what it must. */
export function outputProblems(stdout: string, processes: boolean): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  /** The text under the heading that starts with `heading`, up to the next heading. */
  const section = (heading: string): string => {
    const start = stdout.indexOf(`=== ${heading}`);
    if (start === -1) return '';
    const end = stdout.indexOf('\n=== ', start);
    return stdout.slice(start, end === -1 ? undefined : end);
  };

  for (let n = 1; n <= 6; n++) expect(stdout.includes(`=== Q${n}.`), `no Q${n} heading`);
  expect(stdout.indexOf('=== Q1.') < stdout.indexOf('=== Q6.'), 'Q1 does not come before Q6');
  expect(/speedup \d+(\.\d+)?×/.test(section('Q1.')), 'Q1: no speedup');
  expect(/worker threads/.test(section('Q2.')), 'Q2: no worker threads row');
  if (processes) expect(/child processes/.test(section('Q2.')), 'Q2: no child processes row');
  const q3 = section('Q3.').split('\n').filter((l) => l.includes('process'));
  expect(
    q3.slice(-2).join('|') === 'Hello from a child process|Child process has terminated',
    `Q3: the last lines are ${JSON.stringify(q3.slice(-2))}`,
  );
  expect(/PoolWorker-1 \|/.test(section('Q4.')), 'Q4: no timeline row for PoolWorker-1');
  expect(section('Q5.').includes('[4, 16, 36, 64, 81]'), 'Q5: no [4, 16, 36, 64, 81]');
  const q6 = section('Q6.').split('\n').filter((l) => /^\d+$/.test(l.trim()));
  expect([...q6].sort().join() === '1,2,3,4', `Q6: printed ${JSON.stringify(q6)}, not 1 to 4 in some order`);
  const shared = section('Shared state');
  expect(shared !== '', 'no Shared state heading');
  if (shared === '') return problems;
  expect(/= 50,000 items, sum 1249975000 \(expected 1249975000\)/.test(shared), 'Shared state: the Queue lost or doubled items');
  expect(/with a Lock: +400,000\n/.test(shared), 'Shared state: the Lock-guarded counter is not 400,000');
  expect(/no worker ran ahead/.test(shared), 'Shared state: a worker ran ahead of the Barrier');
  return problems;
}
