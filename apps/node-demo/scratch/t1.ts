import { Pool, Process, cpuCount, currentProcess, task } from '@mp/node';
console.log('asyncDispose', typeof Symbol.asyncDispose, cpuCount());
function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
console.log(fib.toString());
const pool = new Pool({ processes: 2 });
try {
  console.log(await pool.map(fib, [20, 21]));
  console.log(await pool.apply(async () => (await import('@mp/core')).parentProcess(), []));
  const t = task(new URL('./tasks.ts', import.meta.url), 'squ');
  try { console.log(await pool.map(t, [1, 2])); } catch (e) { console.log('ts task:', String(e).slice(0, 300)); }
  const tj = task(new URL('./tasks.js', import.meta.url), 'squ');
  try { console.log(await pool.map(tj, [1, 2])); } catch (e) { console.log('js task:', String(e).slice(0, 300)); }
} finally { await pool.terminate(); }
const pp = new Pool({ processes: 2, context: 'process' });
try {
  console.log(await pp.apply(async () => { return [ process.pid, process.memoryUsage().rss]; }, []));
  const t = task(new URL('./tasks.ts', import.meta.url), 'squ');
  try { console.log(await pp.map(t, [1, 2])); } catch (e) { console.log('ts task proc:', String(e).slice(0, 300)); }
} finally { await pp.terminate(); }
const p = new Process({ target: () => console.log('Hello from a child process') });
p.start(); await p.join(); console.log('Child process has terminated', p.exitCode);
