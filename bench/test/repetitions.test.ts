/** The round scheduler: per-cell run counts and the shuffle that keeps a cell from always following the same one. */
import { describe, expect, it } from 'vitest';

interface RoundOptions<C> {
  reps: number;
  budgetMs: number;
  concurrency: number;
  cellReps?: (cell: C) => number | undefined;
  groupOf?: (cell: C) => unknown;
  runCell: (cell: C, round: number) => Promise<{ record: { error?: string }; ms: number }>;
}
// A plain JavaScript module without types: these are its signatures.
const modulePath: string = '../src/core/repetitions.mjs';
const { shuffleGroups, runRounds } = (await import(modulePath)) as {
  shuffleGroups: <T>(todo: T[], round: number, groupOf: ((t: T) => unknown) | undefined) => T[];
  runRounds: <C>(cells: C[], o: RoundOptions<C>) => Promise<unknown[]>;
};

describe('runRounds', () => {
  it('runs each cell its own number of times, in a new order within its group each round', async () => {
    const cells = [
      { id: 'a1', group: 'a' },
      { id: 'a2', group: 'a' },
      { id: 'a3', group: 'a' },
      { id: 'b1', group: 'b' },
      { id: 'b2', group: 'b' },
    ];
    const order: string[][] = [];
    await runRounds(cells, {
      reps: 2,
      budgetMs: 1e9,
      concurrency: 1,
      cellReps: (c) => (c.group === 'a' ? 40 : undefined),
      groupOf: (c) => c.group,
      runCell: (c, round) => {
        (order[round] ??= []).push(c.id);
        return Promise.resolve({ record: {}, ms: 1 });
      },
    });
    expect(order).toHaveLength(40);
    // Groups stay together and in place; each round is a permutation of what is left to run.
    for (const [round, ids] of order.entries()) {
      const a = ids.filter((id) => id.startsWith('a'));
      const b = ids.filter((id) => id.startsWith('b'));
      expect(ids).toEqual([...a, ...b]);
      expect([...a].sort()).toEqual(['a1', 'a2', 'a3']);
      expect([...b].sort()).toEqual(round < 2 ? ['b1', 'b2'] : []);
    }
    // No cell always runs right after the same one: over the rounds, a2 follows both others.
    const before = new Set(order.map((ids) => ids[ids.indexOf('a2') - 1]).filter(Boolean));
    expect(before).toEqual(new Set(['a1', 'a3']));
    // Every cell goes first in some round.
    expect(new Set(order.map((ids) => ids[0]))).toEqual(new Set(['a1', 'a2', 'a3']));
  });

  it('shuffleGroups leaves the list alone without groups, and shuffles the same way for the same round', () => {
    expect(shuffleGroups([1, 2, 3], 1, undefined)).toEqual([1, 2, 3]);
    const list = Array.from({ length: 10 }, (_, i) => i);
    expect(shuffleGroups(list, 7, () => 'g')).toEqual(shuffleGroups(list, 7, () => 'g'));
    expect([...shuffleGroups(list, 7, () => 'g')].sort((x, y) => x - y)).toEqual(list);
    expect(shuffleGroups(list, 7, () => 'g')).not.toEqual(shuffleGroups(list, 8, () => 'g'));
  });
});
