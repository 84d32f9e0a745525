/**
 * How many times each cell runs. Every cell runs once first, then again in
 * later rounds (interleaved, so slow drift on a shared machine spreads over all
 * cells) until it has `reps` runs or its time budget is spent: a cell whose
 * first run took `t` gets `floor(budget / t)` runs, at least 1, at most `reps`.
 */

export function repsFor(firstMs, { reps, budgetMs }) {
  if (!Number.isFinite(firstMs) || firstMs <= 0) return reps;
  return Math.max(1, Math.min(reps, Math.floor(budgetMs / firstMs)));
}

/** A cell that fails this many times is given up on (a retry covers one transient failure). */
const MAX_FAILURES = 2;

/**
 * Runs every cell `repsFor` times, counted from its first successful run; a
 * failed run is retried in the next round. `runCell(cell, rep)` returns a
 * record and how long the cell took (ms); up to `concurrency` cells run at once.
 *
 * @template C
 * @param {C[]} cells
 * `cellReps(cell)` may give a cell more (or fewer) runs than `reps`. With `groupOf`, the cells
 * of each group (a scenario) run in a new order each round (`shuffleGroups`), so no cell always
 * runs right after the same one.
 * @param {{ reps: number, budgetMs: number, concurrency: number, cellReps?: (cell: C) => number | undefined, groupOf?: (cell: C) => unknown,
 *   runCell: (cell: C, rep: number) => Promise<{ record: { error?: string }, ms: number }>,
 *   onDone?: (cell: C, rep: number, result: { record: { error?: string }, ms: number }) => void }} o
 */
export async function runRounds(cells, o) {
  const records = [];
  const repsOf = (c) => o.cellReps?.(c) ?? o.reps;
  const state = new Map(cells.map((c) => [c, { good: 0, failures: 0, planned: repsOf(c) }]));
  for (let round = 0; ; round++) {
    const todo = cells.filter((c) => {
      const s = state.get(c);
      return s.good < s.planned && s.failures < MAX_FAILURES;
    });
    if (todo.length === 0) break;
    await eachLimited(shuffleGroups(todo, round, o.groupOf), o.concurrency, async (cell) => {
      const s = state.get(cell);
      const result = await o.runCell(cell, round);
      records.push(result.record);
      if (result.record.error) s.failures++;
      else if (s.good++ === 0) s.planned = repsFor(result.ms, { reps: repsOf(cell), budgetMs: o.budgetMs });
      o.onDone?.(cell, round, result);
    });
  }
  return records;
}

/**
 * `todo` with each run of consecutive cells of one group in an order of its own for `round`: a
 * shuffle seeded by the round, so a run can be repeated, and no cell always follows the same one
 * (rotating kept the cyclic order: each cell ran right after the same neighbour in every round).
 */
export function shuffleGroups(todo, round, groupOf) {
  if (!groupOf) return todo;
  const random = seeded(round + 1);
  const out = [];
  for (let i = 0; i < todo.length; ) {
    const group = groupOf(todo[i]);
    let j = i;
    while (j < todo.length && groupOf(todo[j]) === group) j++;
    const cells = todo.slice(i, j);
    for (let k = cells.length - 1; k > 0; k--) {
      const r = Math.floor(random() * (k + 1));
      [cells[k], cells[r]] = [cells[r], cells[k]];
    }
    out.push(...cells);
    i = j;
  }
  return out;
}

/** A small deterministic generator of numbers in [0, 1) (mulberry32). */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function eachLimited(items, limit, fn) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
