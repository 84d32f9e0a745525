/**
 * A byte ring in one SharedArrayBuffer, carrying length-prefixed messages
 * between threads: the storage under `Queue` and `Pipe`.
 *
 * Layout: three Int32 cells (read offset, write offset, bytes used), then the
 * data. One writer and one reader at a time (the caller holds a mutex for each
 * side). The writer fills bytes, then publishes them with an atomic add to
 * `used`; the reader sees them only through an atomic load of `used`, so the
 * plain byte copies are ordered by those two atomics.
 */

const HEAD = 0;
const TAIL = 1;
const USED = 2;
const HEADER_BYTES = 16;
/** Bytes of the length prefix in front of each message. */
const PREFIX = 4;

/** The largest ring: offsets live in Int32 cells. */
export const MAX_RING_BYTES = 2 ** 30;

export class RingBuffer {
  /** The shared memory, to send to another worker and rebuild there with `new RingBuffer(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Data bytes the ring holds, prefixes included. */
  readonly capacity: number;
  readonly #cells: Int32Array;
  readonly #data: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#cells = new Int32Array(buffer, 0, 3);
    this.#data = new Uint8Array(buffer, HEADER_BYTES);
    this.capacity = this.#data.length;
  }

  /** A ring of `capacity` data bytes (the caller has checked that SharedArrayBuffer exists). */
  static create(capacity: number): RingBuffer {
    return new RingBuffer(new SharedArrayBuffer(HEADER_BYTES + capacity));
  }

  /** Ring bytes a message of `length` bytes takes. */
  static cost(length: number): number {
    return length + PREFIX;
  }

  /** The largest message (in bytes) this ring can ever carry. */
  get maxMessage(): number {
    return this.capacity - PREFIX;
  }

  /** Bytes free now. */
  free(): number {
    return this.capacity - Atomics.load(this.#cells, USED);
  }

  /** Appends one message. The caller is the only writer and has seen `free() >= cost(message.length)`. */
  write(message: Uint8Array): void {
    const cap = this.capacity;
    const data = this.#data;
    const n = message.length;
    let t = Atomics.load(this.#cells, TAIL);
    for (let k = 0; k < PREFIX; k++) {
      data[t] = (n >>> (8 * k)) & 0xff;
      t = t + 1 === cap ? 0 : t + 1;
    }
    const first = Math.min(n, cap - t);
    data.set(first === n ? message : message.subarray(0, first), t);
    if (first < n) data.set(message.subarray(first), 0);
    t = (t + n) % cap;
    Atomics.store(this.#cells, TAIL, t);
    Atomics.add(this.#cells, USED, n + PREFIX);
  }

  /** Removes the oldest message into fresh (unshared) memory. The caller is the only reader and knows one is there. */
  read(): Uint8Array {
    const cap = this.capacity;
    const data = this.#data;
    let h = Atomics.load(this.#cells, HEAD);
    let n = 0;
    for (let k = 0; k < PREFIX; k++) {
      n |= data[h]! << (8 * k);
      h = h + 1 === cap ? 0 : h + 1;
    }
    n >>>= 0;
    const out = new Uint8Array(n);
    const first = Math.min(n, cap - h);
    out.set(data.subarray(h, h + first));
    if (first < n) out.set(data.subarray(0, n - first), first);
    h = (h + n) % cap;
    Atomics.store(this.#cells, HEAD, h);
    Atomics.sub(this.#cells, USED, n + PREFIX);
    return out;
  }
}
