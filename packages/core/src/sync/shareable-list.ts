/**
 * `ShareableList`: a fixed-length list of numbers, bigints, booleans, strings,
 * bytes (`Uint8Array`) and `null` in one block of shared memory, as Python's
 * `multiprocessing.shared_memory.ShareableList`. As in Python, each slot's
 * byte size is fixed when the list is made (8 bytes, or a string's or bytes'
 * UTF-8 length rounded up to 8): a later value that needs more is refused.
 *
 * Each slot carries a version cell (a seqlock): a writer makes it odd while it
 * writes, readers retry until they saw an even, unchanged version, so a value
 * is never read half written, from any worker.
 */
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { show } from '../internal/validate.js';
import { wellFormed } from '../internal/serialize-writer.js';
import { SharedMemory } from './shared-memory.js';
import { sharedBuffer } from '../internal/typecodes.js';

/** What a slot may hold. */
export type ShareableValue = number | bigint | boolean | string | Uint8Array | null;

const NULL = 0;
const NUMBER = 1;
const BIGINT = 2;
const BOOLEAN = 3;
const STRING = 4;
const BYTES = 5;

/** Int32 cells per slot: version, tag, capacity, length, offset. */
const SLOT = 5;
const VERSION = 0;
const TAG = 1;
const CAPACITY = 2;
const LENGTH = 3;
const OFFSET = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Encoded {
  tag: number;
  bytes: Uint8Array | undefined;
  scalar: number | bigint;
}

function encodeValue(value: unknown, name: string): Encoded {
  switch (typeof value) {
    case 'number':
      return { tag: NUMBER, bytes: undefined, scalar: value };
    case 'bigint':
      if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new RangeError(`${name} must fit in 64 bits, got ${show(value)}`);
      return { tag: BIGINT, bytes: undefined, scalar: value };
    case 'boolean':
      return { tag: BOOLEAN, bytes: undefined, scalar: value ? 1 : 0 };
    case 'string':
      // Slots hold UTF-8, which cannot carry a lone surrogate: refused, as Python's ShareableList refuses one
      // (UnicodeEncodeError), rather than stored as U+FFFD.
      if (!wellFormed(value)) throw new TypeError(`${name} is a string with a lone surrogate, which a ShareableList cannot hold (its slots are UTF-8), got ${show(value)}`);
      return { tag: STRING, bytes: encoder.encode(value), scalar: 0 };
    default:
      if (value === null) return { tag: NULL, bytes: undefined, scalar: 0 };
      if (value instanceof Uint8Array) return { tag: BYTES, bytes: value, scalar: 0 };
      throw new TypeError(`${name} must be a number, bigint, boolean, string, Uint8Array or null, got ${show(value)}`);
  }
}

/** A slot's fixed size: 8 bytes, or the UTF-8 / byte length rounded up to 8. */
function capacityOf(e: Encoded): number {
  return e.bytes ? Math.max(8, Math.ceil(e.bytes.length / 8) * 8) : 8;
}

const FROM_SHM = Symbol('mp.shareable-list.shm');

/**
 * @example
 * const sl = new ShareableList([1, 'ab', true, null]);
 * sl.set(1, 'xyz');      // fits: a string slot holds at least 8 bytes
 * sl.get(1);             // 'xyz', in every worker it is passed to
 * sl.set(1, 'much longer than eight'); // RangeError: slot sizes are fixed at creation
 */
export class ShareableList {
  readonly #shm: SharedMemory;
  readonly #cells: Int32Array;
  readonly #view: DataView;
  readonly #length: number;

  /** @param values the initial values, which also fix each slot's byte size. */
  constructor(values: Iterable<ShareableValue>) {
    const shm = (values as unknown as { [FROM_SHM]?: SharedMemory } | null)?.[FROM_SHM];
    let initial: unknown[] = [];
    if (shm) {
      this.#shm = shm;
      this.#length = new Int32Array(shm.buf.buffer, 0, 1)[0]!;
    } else {
      if (values == null || typeof (values as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function' || typeof values === 'string') {
        const attach = typeof values === 'string' || (typeof values === 'object' && values !== null && 'name' in values);
        throw new TypeError(
          `values must be an iterable of values (an array), got ${show(values)}` +
            (attach ? ': a ShareableList cannot attach to a block by name; pass the ShareableList itself to a pool task or Process' : ''),
        );
      }
      initial = [...values];
      const encoded = initial.map((v, i) => encodeValue(v, `values[${i}]`));
      const header = Math.ceil((4 + encoded.length * SLOT * 4) / 8) * 8;
      const data = encoded.reduce((sum, e) => sum + capacityOf(e), 0);
      if (typeof SharedArrayBuffer === 'undefined') sharedBuffer(0, 'ShareableList'); // its refusal names this class
      this.#shm = new SharedMemory(header + Math.max(8, data));
      this.#length = encoded.length;
      const cells = new Int32Array(this.#shm.buf.buffer, 0, 1 + encoded.length * SLOT);
      cells[0] = encoded.length;
      let offset = header;
      encoded.forEach((e, i) => {
        cells[1 + i * SLOT + CAPACITY] = capacityOf(e);
        cells[1 + i * SLOT + OFFSET] = offset;
        offset += capacityOf(e);
      });
    }
    this.#cells = new Int32Array(this.#shm.buf.buffer, 0, 1 + this.#length * SLOT);
    this.#view = new DataView(this.#shm.buf.buffer, 0, this.#shm.size);
    initial.forEach((v, i) => this.set(i, v as ShareableValue));
  }

  /** The number of slots (fixed). */
  get length(): number {
    return this.#length;
  }

  /** The SharedMemory that holds the list, as Python's `sl.shm`. */
  get shm(): SharedMemory {
    return this.#shm;
  }

  #slot(index: unknown): number {
    void this.#shm.buf; // throws once this side closed the block (as Python's list does)
    const n = this.#length;
    if (typeof index !== 'number') throw new TypeError(`index must be an integer, got ${show(index)}`);
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new RangeError(`index must be an integer from ${-n} to ${n - 1}, got ${show(index)}`);
    }
    return 1 + (index < 0 ? n + index : index) * SLOT;
  }

  /** The value in slot `index` (negative counts from the end); strings and bytes are copies. */
  get(index: number): ShareableValue {
    const s = this.#slot(index);
    const c = this.#cells;
    for (;;) {
      const version = Atomics.load(c, s + VERSION);
      if ((version & 1) === 1) continue; // a writer is in the middle of it
      const value = this.#read(s);
      if (Atomics.load(c, s + VERSION) === version) return value;
    }
  }

  #read(s: number): ShareableValue {
    const c = this.#cells;
    const at = c[s + OFFSET]!;
    switch (c[s + TAG]) {
      case NUMBER:
        return this.#view.getFloat64(at, true);
      case BIGINT:
        return this.#view.getBigInt64(at, true);
      case BOOLEAN:
        return this.#view.getUint8(at) === 1;
      case STRING:
        // Copied out first: browsers' TextDecoder refuses views of shared memory.
        return decoder.decode(this.#shm.buf.slice(at, at + c[s + LENGTH]!));
      case BYTES:
        return this.#shm.buf.slice(at, at + c[s + LENGTH]!);
      default:
        return null;
    }
  }

  /** Stores `value` in slot `index`; throws a `RangeError` if it needs more bytes than the slot was given. */
  set(index: number, value: ShareableValue): void {
    const s = this.#slot(index);
    const e = encodeValue(value, 'value');
    const c = this.#cells;
    const capacity = c[s + CAPACITY]!;
    if (e.bytes && e.bytes.length > capacity) {
      throw new RangeError(
        `value needs ${e.bytes.length} bytes, but slot ${String(index)} of this ShareableList holds at most ${capacity}: ` +
          'slot sizes are fixed when the list is made, as in Python; make the list with a longer value there',
      );
    }
    // Take the slot: an even version made odd by us alone.
    let version: number;
    for (;;) {
      version = Atomics.load(c, s + VERSION);
      if ((version & 1) === 0 && Atomics.compareExchange(c, s + VERSION, version, version + 1) === version) break;
    }
    try {
      const at = c[s + OFFSET]!;
      if (e.tag === NUMBER) this.#view.setFloat64(at, e.scalar as number, true);
      else if (e.tag === BIGINT) this.#view.setBigInt64(at, e.scalar as bigint, true);
      else if (e.tag === BOOLEAN) this.#view.setUint8(at, e.scalar as number);
      else if (e.bytes) this.#shm.buf.set(e.bytes, at);
      c[s + TAG] = e.tag;
      c[s + LENGTH] = e.bytes ? e.bytes.length : 0;
    } finally {
      Atomics.store(c, s + VERSION, version + 2);
    }
  }

  /** A plain array copy of the values. */
  toArray(): ShareableValue[] {
    return Array.from({ length: this.#length }, (_, i) => this.get(i));
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'ShareableList', state: this.#shm, sharedMemory: true };
  }
}

/** @internal Rebuilds a ShareableList over the SharedMemory a worker received. */
export function reviveShareableList(shm: SharedMemory): ShareableList {
  return new ShareableList({ [FROM_SHM]: shm } as unknown as Iterable<ShareableValue>);
}

