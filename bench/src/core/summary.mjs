/** Records grouped per (library, scenario) and reduced to median/min/max; the input of targets and report. */
import { summarize } from './stats.mjs';
import { recordProblem } from './record.mjs';

/**
 * @typedef {object} CellSummary
 * @property {string} library
 * @property {string} scenario
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {number} n  repetitions that produced a sane value
 * @property {string[]} errors
 * @property {Record<string, number>} details  the median of each secondary figure
 */

/** @returns {Map<string, CellSummary>} keyed by `${library}/${scenario}` */
export function summarizeRecords(records) {
  const groups = new Map();
  for (const r of records) {
    const key = `${r.library}/${r.scenario}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const out = new Map();
  for (const [key, rs] of groups) {
    const good = rs.filter((r) => recordProblem(r) === undefined);
    const details = {};
    for (const name of new Set(good.flatMap((r) => Object.keys(r.details ?? {})))) {
      details[name] = summarize(good.map((r) => r.details[name])).median;
    }
    out.set(key, {
      library: rs[0].library,
      scenario: rs[0].scenario,
      ...summarize(good.map((r) => r.value)),
      errors: rs.map(recordProblem).filter((p) => p !== undefined),
      details,
    });
  }
  return out;
}

/** The median of `library` in `scenario`, or NaN when it has none. */
export function medianOf(summaries, library, scenario) {
  return summaries.get(`${library}/${scenario}`)?.median ?? NaN;
}
