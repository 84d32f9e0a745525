/** Runs one cell in a fresh Deno or Bun process and reads its record back (see ../deno/cell.mjs, ../bun/cell.mjs). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeRecord, parseRecordLine } from '../core/record.mjs';
import { now } from '../core/clock.mjs';

const benchRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * @param {string} runtime  'deno' or 'bun', for the error record
 * @param {string} cmd
 * @param {string[]} args  the command line up to the cell's own arguments
 * @param {{ library: { id: string }, scenario: { id: string, unit: string } }} cell
 * @returns {Promise<{ record: import('../core/record.mjs').BenchRecord, ms: number }>}
 */
export function spawnRuntimeCell(runtime, cmd, args, cell, { mode, rep, timeoutMs }) {
  const start = now();
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args, cell.library.id, cell.scenario.id, mode, String(rep)], { cwd: benchRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err = (err + b).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const done = (code, signal, spawnError) => {
      clearTimeout(timer);
      let record;
      try {
        record = parseRecordLine(out);
      } catch (error) {
        err += `\nunparsable record: ${String(error)}`;
      }
      if (!record) {
        const why = spawnError ? `could not start ${cmd}: ${spawnError.message}` : signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? code} and no record`;
        record = makeRecord({ runtime, library: cell.library.id, scenario: cell.scenario, rep, mode, value: NaN, unit: cell.scenario.unit, error: `${why}: ${err.trim().split('\n').slice(-3).join(' ')}` });
      }
      resolve({ record, ms: now() - start });
    };
    child.once('error', (e) => done(null, null, e));
    child.once('close', (code, signal) => done(code, signal));
  });
}
