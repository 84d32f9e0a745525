/**
 * How the pool waits for the answer to a lone batch (one small batch to an idle worker, nothing else
 * running: most likely `await pool.apply(...)` in a loop), chosen from measured round trips.
 *
 * Two ways: BLOCK, where this thread takes the answer synchronously the moment it is posted
 * (`WorkerHandle.pollSync`) and the worker, done, waits a moment for the next batch instead of going back to
 * its event loop (`linger`); and LOOP, where both sides wait in their event loops. Which is faster depends
 * on the machine at the moment, not on the code: on a quiet machine BLOCK's round trip is about a third of
 * LOOP's (Node 20, 2 cores: 12 µs against 38), but when other programs take the cores, each side's wait holds
 * a core the other side needs, and BLOCK measured 2.6× slower than LOOP (176 µs against 67 for raw
 * `worker_threads`). So it is measured: batches go in blocks of one way; the mean round trip of a block (figure(), below) is
 * that way's estimate; the other way is tried again after 1, 2, 4, … 64 blocks while it keeps losing (at once when the
 * better way's figure moves past the other's, or, until the other has won twice, falls well below what it was when the
 * other lost), and a try ends as soon as most of its round trips were slower than the better way's figure.
 */
export const BLOCK = 0;
export const LOOP = 1;
export type AnswerWait = typeof BLOCK | typeof LOOP;

/** Batches a block has: its first is not measured (the worker may still be in the other way's state). */
const BLOCK_SIZE = 16;
/** Most blocks of the better way between two tries of the other. */
const MAX_INTERVAL = 64;
/**
 * The better way's figure against what it was when the other way last lost, below which the other is tried
 * again at once: a program's first thousands of tasks run while V8 compiles mp's code, both ways speed up as
 * that ends, and blocking waits, slower until then, had lost every try (64 blocks apart by then). Only until
 * the other way has won STALE_WINS times (a win while V8 still compiles may not last); past that the backoff
 * alone decides: on Bun (2 cores), whose blocking waits answer in 7 µs but miss one time in five, trying them
 * at every swing of the loop's figure made awaited tasks 20–40 % slower.
 */
const STALE = 0.7;
const STALE_WINS = 2;

export class AnswerWaitChooser {
  // LOOP first: it never holds a core, and a pool's first tasks run while V8 is still compiling its code.
  #way: AnswerWait = LOOP;
  #best: AnswerWait = LOOP;
  #left = BLOCK_SIZE;
  readonly #samples: number[] = [];
  readonly #estimate: [number, number] = [Number.NaN, Number.NaN];
  #interval = 1;
  #since = 0;
  /** The better way's figure when the other way last lost a try, while that way has won fewer than STALE_WINS times. */
  #bestWhenLost = Number.NaN;
  /** How often each way became the better one (the loop is, from the start). */
  readonly #wins = [0, 1];

  /** The way the next lone batch is answered. */
  get way(): AnswerWait {
    return this.#way;
  }

  /** A lone batch sent `way` was answered `ms` after it was posted. */
  record(way: AnswerWait, ms: number): void {
    if (way !== this.#way) return;
    if (this.#left-- < BLOCK_SIZE) this.#samples.push(ms);
    const trying = way !== this.#best;
    if (trying && this.#lost()) {
      // Most of a try's round trips were already slower than the better way's figure: so is its own.
      this.#end(true);
      return;
    }
    if (this.#left > 0) return;
    this.#estimate[way] = figure(this.#samples);
    if (trying) this.#end(this.#estimate[way] >= this.#estimate[this.#best]);
    else {
      this.#next();
      const other = way === BLOCK ? LOOP : BLOCK;
      // Slower now than the other way was when last measured, or much faster than when the other last lost
      // (STALE): try it at once.
      if (this.#estimate[way] > this.#estimate[other] || this.#estimate[way] < this.#bestWhenLost * STALE) this.#interval = 1;
      if (++this.#since >= this.#interval) {
        this.#since = 0;
        this.#way = other;
      }
    }
  }

  /** Whether more than half of a try's measures are slower than the better way's estimate. */
  #lost(): boolean {
    const best = this.#estimate[this.#best];
    let slower = 0;
    for (const ms of this.#samples) if (ms >= best) slower++;
    return slower > (BLOCK_SIZE - 1) / 2;
  }

  /** A try ends: keep the way tried if it won, else try it half as often. */
  #end(lost: boolean): void {
    if (lost) {
      this.#interval = Math.min(this.#interval * 2, MAX_INTERVAL);
      this.#bestWhenLost = this.#wins[this.#way]! < STALE_WINS ? this.#estimate[this.#best] : Number.NaN;
    } else {
      this.#best = this.#way;
      this.#wins[this.#way]!++;
      // It was the old better way's figure, kept against this way's losses: it no longer applies.
      this.#bestWhenLost = Number.NaN;
      this.#interval = 1;
    }
    this.#since = 0;
    this.#way = this.#best;
    this.#next();
  }

  #next(): void {
    this.#samples.length = 0;
    this.#left = BLOCK_SIZE;
  }
}

/**
 * A block's figure: the mean of its round trips without the slowest one. A mean, not a median: a blocking wait
 * that misses now and then (the worker was not scheduled in time: a 0.2 ms wait, then the event loop's way)
 * costs what its misses cost, and a median that sees only the quick majority measured a loaded machine's
 * blocking waits as faster than its event loop while they made each task twice as slow (Deno, 8 programs on
 * 2 cores: median 30 µs, mean 83 µs against the loop's 45). The slowest one is left out: one garbage
 * collection in a block says nothing about the way.
 */
function figure(values: number[]): number {
  let sum = 0;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v > max) max = v;
  }
  return values.length > 1 ? (sum - max) / (values.length - 1) : sum;
}
