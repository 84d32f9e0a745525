/** Runs one cell in a fresh `node` process and reads its record back (see ./cell.mjs). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeRecord, parseRecordLine } from '../core/record.mjs';
import { now } from '../core/clock.mjs';

const cellPath = fileURLToPath(new URL('./cell.mjs', import.meta.url));

/**
 * @param {{ library: { id: string }, scenario: { id: string, unit: string, gc?: boolean } }} cell
 * @returns {Promise<{ record: import('../core/record.mjs').BenchRecord, ms: number }>}
 */
export function spawnCell(cell, { mode, rep, timeoutMs, execArgv = [], env = {} }) {
  const start = now();
  return new Promise((resolve) => {
    // `--expose-gc` only where a scenario collects garbage: with it, Node cannot start workers from its
    // startup snapshot, and a worker thread takes about twice as long to boot (22 → 40 ms here).
    const gcFlag = cell.scenario.gc ? ['--expose-gc'] : [];
    const child = spawn(process.execPath, [...gcFlag, ...execArgv, cellPath, cell.library.id, cell.scenario.id, mode, String(rep)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err = (err + b).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const ms = now() - start;
      let record;
      try {
        record = parseRecordLine(out);
      } catch (error) {
        record = undefined;
        err += `\nunparsable record: ${String(error)}`;
      }
      if (!record) {
        const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? code} and no record`;
        record = makeRecord({ runtime: 'node', library: cell.library.id, scenario: cell.scenario, rep, mode, value: NaN, unit: cell.scenario.unit, error: `${why}: ${err.trim().split('\n').slice(-3).join(' ')}` });
      }
      resolve({ record, ms });
    });
  });
}
