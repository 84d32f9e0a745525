/**
 * `SharedArray`: a fixed-length array of numbers (or bigints) in shared memory,
 * as Python's `multiprocessing.Array`. Element loads and stores are atomic for
 * integer types.
 */
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkElement, elementType, sharedBuffer, type ElementType, type TypeSpec, type ValueOf } from '../internal/typecodes.js';
import { show } from '../internal/validate.js';
import { RLock } from './rlock.js';
import { lockOption, type SharedOptions } from './value.js';

/** @internal What a SharedArray sends to a worker. */
export interface SharedArrayState {
  type: TypeSpec;
  buffer: SharedArrayBuffer;
  length: number;
  lock: RLock | undefined;
}

type Cells = { [index: number]: number | bigint; length: number };

/**
 * @example
 * const hist = new SharedArray('u32', 10);   // ten zeros
 * hist.set(3, 7); hist.get(3);               // 7
 */
export class SharedArray<T extends TypeSpec = TypeSpec> {
  readonly #type: TypeSpec;
  readonly #t: ElementType;
  readonly #buffer: SharedArrayBuffer;
  readonly #cells: Cells;
  readonly #lock: RLock | undefined;

  constructor(type: T | SharedArrayState, sizeOrValues?: number | Iterable<ValueOf<T>>, options?: SharedOptions) {
    if (typeof type === 'object') {
      this.#type = type.type;
      this.#t = elementType(type.type);
      this.#buffer = type.buffer;
      this.#lock = type.lock;
      this.#cells = this.#t.view(this.#buffer, type.length);
      return;
    }
    this.#type = type;
    this.#t = elementType(type);
    let values: unknown[] | undefined;
    let length: number;
    if (typeof sizeOrValues === 'number') {
      if (!Number.isInteger(sizeOrValues) || sizeOrValues < 0) {
        throw new RangeError(`size must be an integer >= 0, got ${show(sizeOrValues)}`);
      }
      length = sizeOrValues;
    } else if (sizeOrValues != null && typeof (sizeOrValues as Iterable<unknown>)[Symbol.iterator] === 'function') {
      values = [...sizeOrValues];
      length = values.length;
    } else {
      throw new TypeError(`sizeOrValues must be a size or an iterable of values, got ${show(sizeOrValues)}`);
    }
    const withLock = lockOption(options, 'SharedArray');
    this.#buffer = sharedBuffer(length * this.#t.bytes, 'SharedArray');
    this.#cells = this.#t.view(this.#buffer, length);
    this.#lock = withLock ? new RLock() : undefined;
    if (values) for (let i = 0; i < length; i++) this.#cells[i] = checkElement(this.#t, values[i], `sizeOrValues[${i}]`);
  }

  /** The number of elements. */
  get length(): number {
    return this.#cells.length;
  }

  #index(i: unknown): number {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= this.#cells.length) {
      throw new RangeError(`index must be an integer from 0 to ${this.#cells.length - 1}, got ${show(i)}`);
    }
    return i;
  }

  /** Element `i` (an atomic load for integer types). */
  get(i: number): ValueOf<T> {
    const at = this.#index(i);
    return (this.#t.integer ? Atomics.load(this.#cells as unknown as Int32Array, at) : this.#cells[at]) as ValueOf<T>;
  }

  /** Sets element `i` (an atomic store for integer types). */
  set(i: number, value: ValueOf<T>): void {
    const at = this.#index(i);
    const v = checkElement(this.#t, value, 'value');
    if (this.#t.integer) Atomics.store(this.#cells as unknown as Int32Array, at, v as number);
    else this.#cells[at] = v;
  }

  /** A plain array copy of the elements. */
  toArray(): ValueOf<T>[] {
    return Array.from({ length: this.#cells.length }, (_, i) => this.get(i));
  }

  /** The lock that goes with this array; throws if it was made with `{ lock: false }`. */
  getLock(): RLock {
    if (!this.#lock) throw new TypeError('this SharedArray was made with { lock: false } and has no lock');
    return this.#lock;
  }

  /** @internal */
  [SHARE](): ShareDescription {
    const state: SharedArrayState = { type: this.#type, buffer: this.#buffer, length: this.#cells.length, lock: this.#lock };
    return { kind: 'SharedArray', state, sharedMemory: true };
  }
}
