/**
 * The targets of issue 3, as ratios measured in the same run. Each compares the
 * subject (mp, thread context) with a raw baseline or the best peer of that
 * scenario, so a slower or faster machine moves both sides together.
 */
import { medianOf } from './summary.mjs';

/**
 * @typedef {object} TargetResult
 * @property {string} letter
 * @property {string} goal      e.g. 'mp ≥ 3× the best peer'
 * @property {string} measured  e.g. 'mp / poolifier = 4.70×'
 * @property {number} ratio     the measured figure the goal is about
 * @property {'>=' | '<=' | '<'} op
 * @property {number} threshold
 * @property {boolean | undefined} pass  undefined when a side is missing
 * @property {number} score     how far past the target: > 1 passes (ratio/threshold, or its inverse for upper bounds)
 */

/** The peer with the best median in `scenario` (highest or lowest, per `better`). */
export function bestPeer(summaries, libraries, scenario, better) {
  let best;
  for (const lib of libraries) {
    if (lib.role !== 'peer') continue;
    const v = medianOf(summaries, lib.id, scenario);
    if (!Number.isFinite(v)) continue;
    if (!best || (better === 'higher' ? v > best.value : v < best.value)) best = { id: lib.id, label: lib.label, value: v };
  }
  return best;
}

function judge(ratio, op, threshold) {
  if (!Number.isFinite(ratio)) return { pass: undefined, score: NaN };
  const pass = op === '>=' ? ratio >= threshold : op === '<=' ? ratio <= threshold : ratio < threshold;
  const score = op === '>=' ? ratio / threshold : threshold / Math.max(ratio, 1e-9);
  return { pass, score };
}

const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a');

/**
 * @param {Map<string, import('./summary.mjs').CellSummary>} summaries
 * @param {{ id: string, label: string, role: string }[]} libraries
 * @returns {TargetResult[]}
 */
export function evaluateTargets(summaries, libraries, subject = 'mp-thread') {
  const m = (scenario) => medianOf(summaries, subject, scenario);
  const raw = (id, scenario) => medianOf(summaries, id, scenario);
  const out = [];
  const add = (letter, goal, name, ratio, op, threshold) => out.push({ letter, goal, measured: `${name} = ${x(ratio)}`, ratio, op, threshold, ...judge(ratio, op, threshold) });
  const vsPeer = (scenario, better) => {
    const p = bestPeer(summaries, libraries, scenario, better);
    return { name: `mp / ${p?.label ?? 'best peer'}`, ratio: p ? m(scenario) / p.value : NaN };
  };

  const a = vsPeer('apply', 'higher');
  add('a', 'tasks/s ≥ 3× the best peer', a.name, a.ratio, '>=', 3);
  add('a', 'tasks/s ≥ 1× raw unbatched', 'mp / raw unbatched', m('apply') / raw('raw-unbatched', 'apply'), '>=', 1);
  add('b', 'map items/s ≥ 0.7× raw batched', 'mp / raw batched', m('map') / raw('raw-batched', 'map'), '>=', 0.7);
  add('c', 'latency ≤ 1.15× raw', 'mp / raw unbatched', m('latency') / raw('raw-unbatched', 'latency'), '<=', 1.15);
  const d = m('cpu');
  out.push({ letter: 'd', goal: 'speedup on 2 workers ≥ 1.85×', measured: `mp speedup = ${x(d)}`, ratio: d, op: '>=', threshold: 1.85, ...judge(d, '>=', 1.85) });
  add('e', 'transfer time ≤ 1.1× raw', 'mp / raw unbatched', m('transfer') / raw('raw-unbatched', 'transfer'), '<=', 1.1);
  const e = vsPeer('clone', 'lower');
  add('e', 'clone time ≤ the fastest peer', e.name, e.ratio, '<=', 1);
  const f = vsPeer('startup', 'lower');
  add('f', 'start-up ≤ the fastest peer', f.name, f.ratio, '<=', 1);
  const g = m('memory');
  out.push({
    letter: 'g',
    goal: 'RSS growth 10k → 1M tasks < 50 MiB',
    measured: `mp growth = ${Number.isFinite(g) ? g.toFixed(1) : 'n/a'} MiB`,
    ratio: g,
    op: '<',
    threshold: 50,
    ...judge(Math.max(g, 0.5), '<', 50),
  });
  // Issue 14: from the first task, a 15 µs round trip, a 10 ms import.
  add('h', 'cold latency ≤ 1× raw', 'mp / raw unbatched', m('cold') / raw('raw-unbatched', 'cold'), '<=', 1);
  const c = m('latency');
  out.push({ letter: 'c', goal: 'latency ≤ 15 µs per awaited task', measured: `mp = ${Number.isFinite(c) ? c.toFixed(1) : 'n/a'} µs`, ratio: c, op: '<=', threshold: 15, ...judge(c, '<=', 15) });
  const i = m('import');
  out.push({ letter: 'i', goal: 'import ≤ 10 ms', measured: `mp = ${Number.isFinite(i) ? i.toFixed(1) : 'n/a'} ms`, ratio: i, op: '<=', threshold: 10, ...judge(i, '<=', 10) });
  return out.sort((p, q) => p.letter.localeCompare(q.letter));
}
