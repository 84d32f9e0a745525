/** The round scheduler: per-cell run counts and the rotation that keeps a cell from always following the same one. */
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
const { rotateGroups, runRounds } = (await import(modulePath)) as {
  rotateGroups: <T>(todo: T[], round: number, groupOf: ((t: T) => unknown) | undefined) => T[];
  runRounds: <C>(cells: C[], o: RoundOptions<C>) => Promise<unknown[]>;
};

describe('runRounds', () => {
  it('runs each cell its own number of times and rotates the order within a group', async () => {
    const cells = [
      { id: 'a1', group: 'a' },
      { id: 'a2', group: 'a' },
      { id: 'a3', group: 'a' },
      { id: 'b1', group: 'b' },
    ];
    const order: string[][] = [];
    await runRounds(cells, {
      reps: 2,
      budgetMs: 1e9,
      concurrency: 1,
      cellReps: (c) => (c.group === 'a' ? 3 : undefined),
      groupOf: (c) => c.group,
      runCell: (c, round) => {
        (order[round] ??= []).push(c.id);
        return Promise.resolve({ record: {}, ms: 1 });
      },
    });
    expect(order).toEqual([
      ['a1', 'a2', 'a3', 'b1'],
      ['a2', 'a3', 'a1', 'b1'],
      ['a3', 'a1', 'a2'],
    ]);
  });

  it('rotateGroups leaves the list alone without groups', () => {
    expect(rotateGroups([1, 2, 3], 1, undefined)).toEqual([1, 2, 3]);
    expect(rotateGroups([1, 2, 3], 4, () => 'g')).toEqual([2, 3, 1]);
  });
});
