/**
 * `Value`: one number (or bigint) in shared memory, as Python's
 * `multiprocessing.Value`. Loads and stores are atomic for integer types;
 * `add`, `sub` and `compareExchange` are atomic and return the previous value,
 * as `Atomics` does. `getLock()` guards compound updates.
 */
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkElement, elementType, sharedBuffer, type ElementType, type TypeSpec, type ValueOf } from '../internal/typecodes.js';
import { checkKnownOptions, show } from '../internal/validate.js';
import { RLock } from './rlock.js';

/** Options of `Value` and `SharedArray`. */
export interface SharedOptions {
  /**
   * Create a lock to go with it (`getLock()`), as Python's `lock=True`.
   * @default true
   */
  lock?: boolean;
}

/** @internal What a Value sends to a worker. */
export interface ValueState {
  type: TypeSpec;
  buffer: SharedArrayBuffer;
  lock: RLock | undefined;
}

type Cell = { [index: number]: number | bigint };

export function lockOption(options: unknown, what: string): boolean {
  const o = checkKnownOptions(what, options, ['lock']);
  if (o.lock !== undefined && typeof o.lock !== 'boolean') throw new TypeError(`lock must be a boolean, got ${show(o.lock)}`);
  return o.lock !== false;
}

/**
 * @example
 * const counter = new Value('i32', 0);
 * counter.add(1);                       // atomic
 * await counter.getLock().withLock(() => { counter.value = counter.value * 2; });
 */
export class Value<T extends TypeSpec = TypeSpec> {
  readonly #type: TypeSpec;
  readonly #t: ElementType;
  readonly #buffer: SharedArrayBuffer;
  readonly #cell: Cell;
  readonly #lock: RLock | undefined;

  constructor(type: T | ValueState, initial?: ValueOf<T>, options?: SharedOptions) {
    if (typeof type === 'object') {
      this.#type = type.type;
      this.#t = elementType(type.type);
      this.#buffer = type.buffer;
      this.#lock = type.lock;
    } else {
      this.#type = type;
      this.#t = elementType(type);
      const withLock = lockOption(options, 'Value');
      this.#buffer = sharedBuffer(this.#t.bytes, 'Value');
      this.#lock = withLock ? new RLock() : undefined;
    }
    this.#cell = this.#t.view(this.#buffer, 1);
    if (typeof type !== 'object' && initial !== undefined) this.value = initial;
  }

  /** The value (an atomic load and store for integer types). */
  get value(): ValueOf<T> {
    return (this.#t.integer ? Atomics.load(this.#cell as Int32Array, 0) : this.#cell[0]) as ValueOf<T>;
  }

  /** Stores `v` (an atomic store for integer types). */
  set value(v: ValueOf<T>) {
    const checked = checkElement(this.#t, v, 'value');
    if (this.#t.integer) Atomics.store(this.#cell as Int32Array, 0, checked as number);
    else this.#cell[0] = checked;
  }

  #integer(op: string): Int32Array {
    if (!this.#t.integer) throw new TypeError(`${op}() needs an integer type; this Value holds '${this.#t.name}'`);
    return this.#cell as Int32Array;
  }

  /** Atomically adds `n`; returns the previous value. Integer types only. */
  add(n: ValueOf<T>): ValueOf<T> {
    return Atomics.add(this.#integer('add'), 0, checkElement(this.#t, n, 'n') as number) as ValueOf<T>;
  }

  /** Atomically subtracts `n`; returns the previous value. Integer types only. */
  sub(n: ValueOf<T>): ValueOf<T> {
    return Atomics.sub(this.#integer('sub'), 0, checkElement(this.#t, n, 'n') as number) as ValueOf<T>;
  }

  /** Atomically stores `replacement` if the value is `expected`; returns the previous value. Integer types only. */
  compareExchange(expected: ValueOf<T>, replacement: ValueOf<T>): ValueOf<T> {
    const cell = this.#integer('compareExchange');
    const e = checkElement(this.#t, expected, 'expected') as number;
    const r = checkElement(this.#t, replacement, 'replacement') as number;
    return Atomics.compareExchange(cell, 0, e, r) as ValueOf<T>;
  }

  /** The lock that goes with this value; throws if it was made with `{ lock: false }`. */
  getLock(): RLock {
    if (!this.#lock) throw new TypeError('this Value was made with { lock: false } and has no lock');
    return this.#lock;
  }

  /** @internal */
  [SHARE](): ShareDescription {
    const state: ValueState = { type: this.#type, buffer: this.#buffer, lock: this.#lock };
    return { kind: 'Value', state, sharedMemory: true };
  }
}
