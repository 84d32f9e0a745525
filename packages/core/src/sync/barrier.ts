/**
 * `Barrier`: `parties` workers wait until all have arrived, as Python's
 * `multiprocessing.Barrier`. Cells: [arrived, generation, broken, resets].
 * The last to arrive runs the optional `action`, then releases the round.
 */
import { BrokenBarrierError } from '../errors.js';
import { checkBlockingNames, deadlineFrom, type BlockingOptions } from '../internal/blocking-options.js';
import { resolveFn } from '../internal/compile.js';
import type { FnSpec } from '../internal/protocol.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkInteger, checkKnownOptions, checkOptions, checkTimeout } from '../internal/validate.js';
import { deadlineOf, notify, remaining, runAsync, runSync, sharedCells, type Steps } from '../internal/wait.js';
import { toFnSpec } from '../task.js';
import { rejecting } from '../internal/rejecting.js';

const ARRIVED = 0;
const GENERATION = 1;
const BROKEN = 2;
const RESETS = 3;

/** Options of `new Barrier()`. */
export interface BarrierOptions {
  /** Run by the last party to arrive, before the others are released (a synchronous, self-contained function). */
  action?: () => unknown;
  /** The default timeout of `wait()`, in ms. */
  timeout?: number;
}

/** @internal What a Barrier sends to a worker. */
export interface BarrierState {
  cells: Int32Array;
  parties: number;
  action: FnSpec | undefined;
  timeout: number | undefined;
}

/**
 * @example
 * const barrier = new Barrier(4);
 * // in each of 4 workers: const index = await barrier.wait(); // 0…3, one 0 per round
 */
export class Barrier {
  readonly #cells: Int32Array;
  readonly #parties: number;
  readonly #spec: FnSpec | undefined;
  readonly #timeout: number | undefined;
  #action: (() => unknown) | undefined;

  constructor(parties: number | BarrierState, options?: BarrierOptions) {
    if (typeof parties === 'object') {
      this.#cells = parties.cells;
      this.#parties = parties.parties;
      this.#spec = parties.action;
      this.#timeout = parties.timeout;
      return;
    }
    this.#parties = checkInteger('parties', parties, 1);
    const o = checkKnownOptions('Barrier', options, ['timeout', 'action']);
    this.#timeout = o.timeout === undefined ? undefined : checkTimeout('timeout', o.timeout);
    if (o.action !== undefined) {
      this.#spec = toFnSpec(o.action, 'action');
      this.#action = o.action as () => unknown;
    }
    this.#cells = sharedCells(4, 'Barrier');
  }

  /** How many parties must arrive to release a round. */
  get parties(): number {
    return this.#parties;
  }

  /** How many parties are waiting now. */
  get nWaiting(): number {
    return this.broken ? 0 : Atomics.load(this.#cells, ARRIVED);
  }

  /** Whether the barrier is broken (aborted or timed out); `reset()` mends it. */
  get broken(): boolean {
    return Atomics.load(this.#cells, BROKEN) === 1;
  }

  #runAction(): void {
    if (!this.#spec) return;
    if (!this.#action) {
      // The action runs synchronously in whichever process arrives last, so it cannot wait for an import.
      if (this.#spec.kind !== 'source') throw new TypeError('a Barrier action must be a function, not a task() handle');
      this.#action = resolveFn(this.#spec) as () => unknown;
    }
    this.#action();
  }

  *#wait(deadline: number): Steps<number> {
    const c = this.#cells;
    if (Atomics.load(c, BROKEN) === 1) throw new BrokenBarrierError('the barrier is broken');
    const generation = Atomics.load(c, GENERATION);
    const resets = Atomics.load(c, RESETS);
    const index = Atomics.add(c, ARRIVED, 1);
    if (index === this.#parties - 1) {
      try {
        this.#runAction();
      } catch (error) {
        this.abort();
        throw error;
      }
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      notify(c, GENERATION);
      return index;
    }
    for (;;) {
      if (Atomics.load(c, RESETS) !== resets) throw new BrokenBarrierError('the barrier was reset while this party waited');
      if (Atomics.load(c, BROKEN) === 1) throw new BrokenBarrierError('the barrier was broken while this party waited');
      if (Atomics.load(c, GENERATION) !== generation) return index;
      if (remaining(deadline) === 0) {
        this.abort();
        throw new BrokenBarrierError('the barrier timed out and is now broken');
      }
      yield { cells: c, index: GENERATION, expected: generation, deadline };
    }
  }

  #deadline(options: unknown): number {
    const o = checkOptions('options', options);
    checkBlockingNames(o, false);
    return o.timeout === undefined ? deadlineOf(this.#timeout) : deadlineFrom(o, false);
  }

  /** Waits for every party; resolves to this party's arrival index (0 … parties-1). */
  wait(options?: Omit<BlockingOptions, 'blocking'>): Promise<number> {
    return rejecting(() => runAsync(this.#wait(this.#deadline(options))));
  }

  /** The blocking form of `wait`. */
  waitSync(options?: Omit<BlockingOptions, 'blocking'>): number {
    const deadline = this.#deadline(options);
    return runSync(this.#wait(deadline), 'barrier.wait', deadline);
  }

  /** Breaks the barrier: every waiter, now and later, gets `BrokenBarrierError` until `reset()`. */
  abort(): void {
    Atomics.store(this.#cells, BROKEN, 1);
    Atomics.add(this.#cells, GENERATION, 1);
    notify(this.#cells, GENERATION);
  }

  /** Returns the barrier to its empty state; parties waiting now get `BrokenBarrierError`. */
  reset(): void {
    Atomics.add(this.#cells, RESETS, 1);
    Atomics.store(this.#cells, ARRIVED, 0);
    Atomics.store(this.#cells, BROKEN, 0);
    Atomics.add(this.#cells, GENERATION, 1);
    notify(this.#cells, GENERATION);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    const state: BarrierState = { cells: this.#cells, parties: this.#parties, action: this.#spec, timeout: this.#timeout };
    return { kind: 'Barrier', state, sharedMemory: true };
  }
}
