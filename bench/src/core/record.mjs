/**
 * Result records: one per (runtime, library, scenario, repetition), the only
 * thing a cell process sends back, as one tagged JSON line on its stdout.
 */

/** The tag a cell puts before its JSON line, so stray library output is never mistaken for a result. */
export const RECORD_TAG = '@@mp-bench ';

/**
 * @typedef {object} BenchRecord
 * @property {string} runtime
 * @property {string} library
 * @property {string} scenario
 * @property {number} rep
 * @property {'full' | 'smoke'} mode
 * @property {number} value  the scenario's figure, in `unit`
 * @property {string} unit
 * @property {Record<string, number>} details  secondary figures (e.g. raw ms)
 * @property {string | undefined} [error]  set when the cell failed; `value` is then NaN
 */

/** @returns {BenchRecord} */
export function makeRecord({ runtime, library, scenario, rep, mode, value, unit, details = {}, error }) {
  const record = { runtime, library, scenario: scenario.id ?? scenario, rep, mode, value, unit, details };
  if (error !== undefined) record.error = String(error);
  return record;
}

/** Turns a record into its tagged line. NaN and Infinity survive as strings. */
export function formatRecordLine(record) {
  return RECORD_TAG + JSON.stringify(record, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** Finds the tagged line in a cell's output and parses it; undefined if there is none. */
export function parseRecordLine(text) {
  const line = text.split('\n').findLast((l) => l.startsWith(RECORD_TAG));
  if (!line) return undefined;
  const record = JSON.parse(line.slice(RECORD_TAG.length));
  if (typeof record.value === 'string') record.value = Number(record.value);
  return record;
}

/** Why `record` is not a sane measurement, or undefined if it is one. */
export function recordProblem(record) {
  if (record.error) return record.error;
  if (typeof record.value !== 'number' || !Number.isFinite(record.value)) return `value is ${String(record.value)}`;
  if (record.unit !== 'MiB' && record.value <= 0) return `value ${record.value} is not positive`;
  return undefined;
}
