import { describe, expect, it } from 'vitest';
import { AnswerWaitChooser, BLOCK, LOOP, type AnswerWait } from '../src/internal/answer-wait.ts';

/** Runs `batches` lone batches through the chooser, each answered in `cost(way)` ms; returns the ways used. */
function run(chooser: AnswerWaitChooser, batches: number, cost: (way: AnswerWait) => number): AnswerWait[] {
  const ways: AnswerWait[] = [];
  for (let i = 0; i < batches; i++) {
    const way = chooser.way;
    ways.push(way);
    chooser.record(way, cost(way));
  }
  return ways;
}

const share = (ways: AnswerWait[], way: AnswerWait): number => ways.filter((w) => w === way).length / ways.length;

describe('AnswerWaitChooser', () => {
  it('starts waiting through the event loop', () => {
    expect(new AnswerWaitChooser().way).toBe(LOOP);
  });

  it('moves to blocking waits when they answer faster, and tries the loop less and less often', () => {
    const chooser = new AnswerWaitChooser();
    const ways = run(chooser, 20_000, (way) => (way === BLOCK ? 0.012 : 0.038));
    expect(chooser.way).toBe(BLOCK);
    // After learning, the slower way gets only its shrinking tries (each ends after 8 batches).
    expect(share(ways.slice(10_000), LOOP)).toBeLessThan(0.01);
    expect(share(ways.slice(10_000), LOOP)).toBeGreaterThan(0);
  });

  it('stays with the event loop when blocking waits are slower (a loaded machine)', () => {
    const chooser = new AnswerWaitChooser();
    const ways = run(chooser, 20_000, (way) => (way === BLOCK ? 0.2 : 0.04));
    expect(chooser.way).toBe(LOOP);
    expect(share(ways, BLOCK)).toBeLessThan(0.02);
  });

  it('follows the machine when it changes', () => {
    const chooser = new AnswerWaitChooser();
    run(chooser, 5_000, (way) => (way === BLOCK ? 0.012 : 0.038));
    expect(chooser.way).toBe(BLOCK);
    // Now blocking waits miss (other programs took the cores): after the block under way it is back on the
    // loop, trying blocking waits ever less often.
    const after = run(chooser, 2_000, (way) => (way === BLOCK ? 0.25 : 0.05));
    expect(after.slice(16, 32).every((w) => w === LOOP)).toBe(true);
    expect(share(after.slice(1_000), BLOCK)).toBeLessThan(0.05);
    // And quiet again: blocking comes back after the next try, at most 64 blocks of 16 batches later.
    const later = run(chooser, 3_000, (way) => (way === BLOCK ? 0.012 : 0.038));
    expect(later.slice(-100).every((w) => w === BLOCK)).toBe(true);
  });

  it('tries the other way again at once when the better one gets much faster (a program past its warm-up)', () => {
    const chooser = new AnswerWaitChooser();
    // While V8 compiles mp's code both ways are slow, blocking waits the slower: they lose every try, and
    // their tries grow rarer (64 blocks of 16 batches apart by the end).
    run(chooser, 5_000, (way) => (way === BLOCK ? 0.15 : 0.1));
    expect(chooser.way).toBe(LOOP);
    // Compiled: both are faster, blocking the fastest. The loop's figure falls below 0.7 of what it was when
    // blocking last lost, so blocking is tried after the loop's next block, wins, and stays.
    const after = run(chooser, 1_000, (way) => (way === BLOCK ? 0.012 : 0.038));
    expect(share(after.slice(64), BLOCK)).toBeGreaterThan(0.9);
  });

  it('keeps the backoff for a way whose wins did not last, whatever the figure of the better way does', () => {
    const chooser = new AnswerWaitChooser();
    // Twice blocking waits win, and then start missing: the loop takes over, blocking is tried ever less often.
    for (let i = 0; i < 2; i++) {
      run(chooser, 3_000, (way) => (way === BLOCK ? 0.012 : 0.038));
      expect(chooser.way).toBe(BLOCK);
      run(chooser, 3_000, (way) => (way === BLOCK ? 0.25 : 0.1));
      expect(chooser.way).toBe(LOOP);
    }
    // The loop gets much faster: blocking is not tried for that alone.
    const after = run(chooser, 48, (way) => (way === BLOCK ? 0.25 : 0.03));
    expect(after.every((w) => w === LOOP)).toBe(true);
  });

  it('judges a way by its block, not by one slow answer in it', () => {
    const chooser = new AnswerWaitChooser();
    let n = 0;
    // One blocking answer in 16 is slow (a garbage collection, say): blocking still wins.
    run(chooser, 5_000, (way) => (way === BLOCK ? (++n % 16 === 0 ? 1 : 0.012) : 0.038));
    expect(chooser.way).toBe(BLOCK);
  });

  it('counts what frequent misses cost: quick most of the time is not quick enough', () => {
    const chooser = new AnswerWaitChooser();
    let n = 0;
    // A loaded machine: three blocking waits in four answer in 30 µs, the fourth misses (0.2 ms, then the
    // event loop): 83 µs a task on average, slower than the loop's 45, though its median is 30.
    const ways = run(chooser, 20_000, (way) => (way === BLOCK ? (++n % 4 === 0 ? 0.245 : 0.03) : 0.045));
    expect(chooser.way).toBe(LOOP);
    expect(share(ways.slice(2_000), BLOCK)).toBeLessThan(0.05);
  });

  it('ignores answers to batches sent the other way before it switched', () => {
    const chooser = new AnswerWaitChooser();
    for (let i = 0; i < 1_000; i++) chooser.record(BLOCK, 0.001);
    expect(chooser.way).toBe(LOOP);
    // Nothing of them stayed: from here it chooses exactly as a chooser that never saw them.
    const cost = (way: AnswerWait) => (way === BLOCK ? 0.012 : 0.038);
    expect(run(chooser, 3_000, cost)).toEqual(run(new AnswerWaitChooser(), 3_000, cost));
  });
});
