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
 * of each group (a scenario) take turns going first, round by round, so no cell always runs
 * right after the same one.
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
    await eachLimited(rotateGroups(todo, round, o.groupOf), o.concurrency, async (cell) => {
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

/** `todo` with each run of consecutive cells of one group rotated by `round`. */
export function rotateGroups(todo, round, groupOf) {
  if (!groupOf) return todo;
  const out = [];
  for (let i = 0; i < todo.length; ) {
    const group = groupOf(todo[i]);
    let j = i;
    while (j < todo.length && groupOf(todo[j]) === group) j++;
    const cells = todo.slice(i, j);
    const k = round % cells.length;
    out.push(...cells.slice(k), ...cells.slice(0, k));
    i = j;
  }
  return out;
}

async function eachLimited(items, limit, fn) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
