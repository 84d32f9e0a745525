/**
 * A byte ring in one SharedArrayBuffer, carrying length-prefixed messages
 * between threads: the storage under `Queue` and `Pipe`.
 *
 * Layout: four Int32 cells (read offset, write offset, bytes used, capacity), then the data. One writer and one
 * reader at a time (the caller holds a mutex for each side). The writer fills bytes, then publishes them with an
 * atomic add to `used`; the reader sees them only through an atomic load of `used`, so the plain byte copies are
 * ordered by those two atomics.
 *
 * Where the runtime makes growable shared memory (every runtime mp supports today), the ring grows: a message
 * that does not fit in the bytes free makes the writer double the ring (up to MAX_RING_BYTES) instead of waiting
 * for a reader, as Python's queues buffer whatever is put until it is taken. The writer grows it (`grow`) only
 * while no reader is inside `read` (the channel keeps them apart), and moves the part of the data that had wrapped
 * to the start so the data stays one run from the read offset. Elsewhere the ring keeps the size it was made with.
 */

const HEAD = 0;
const TAIL = 1;
const USED = 2;
const CAP = 3;
const HEADER_BYTES = 16;
/** Bytes of the length prefix in front of each message. */
const PREFIX = 4;

/** The largest ring: offsets live in Int32 cells. */
export const MAX_RING_BYTES = 2 ** 30;

/** A SharedArrayBuffer of `bytes` that can grow to `max` where the runtime can, else one of fixed size. */
function growableBuffer(bytes: number, max: number): SharedArrayBuffer {
  try {
    // An engine without growable shared memory ignores the option (or throws): the buffer is then fixed.
    return new SharedArrayBuffer(bytes, { maxByteLength: max });
  } catch {
    return new SharedArrayBuffer(bytes);
  }
}

export class RingBuffer {
  /** The shared memory, to send to another worker and rebuild there with `new RingBuffer(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Whether the ring can grow (its memory is growable). */
  readonly growable: boolean;
  readonly #cells: Int32Array;
  /** A view of the data bytes at the capacity last seen (`#view`). */
  #data: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.growable = buffer.growable === true;
    this.#cells = new Int32Array(buffer, 0, 4);
    this.#data = new Uint8Array(buffer, HEADER_BYTES, Atomics.load(this.#cells, CAP));
  }

  /** A ring of `capacity` data bytes (the caller has checked that SharedArrayBuffer exists). */
  static create(capacity: number): RingBuffer {
    const buffer = growableBuffer(HEADER_BYTES + capacity, HEADER_BYTES + MAX_RING_BYTES);
    Atomics.store(new Int32Array(buffer, 0, 4), CAP, capacity);
    return new RingBuffer(buffer);
  }

  /** Ring bytes a message of `length` bytes takes. */
  static cost(length: number): number {
    return length + PREFIX;
  }

  /** Data bytes the ring holds now, prefixes included (more once it has grown). */
  get capacity(): number {
    return Atomics.load(this.#cells, CAP);
  }

  /** The largest message (in bytes) this ring can ever carry. */
  get maxMessage(): number {
    return (this.growable ? MAX_RING_BYTES : this.capacity) - PREFIX;
  }

  /** Bytes free now. */
  free(): number {
    return this.capacity - Atomics.load(this.#cells, USED);
  }

  /** Whether a message taking `need` bytes fits now, or once the ring has grown (`grow`). */
  fits(need: number): boolean {
    return this.free() >= need || this.#grownSize(need) > 0;
  }

  /**
   * The capacity growing would give the ring for a message of `need` bytes: double, or more if the message needs
   * it, and room to move the wrapped part of the data after the rest (see `grow`); 0 if it cannot grow that far.
   */
  #grownSize(need: number): number {
    if (!this.growable) return 0;
    const cells = this.#cells;
    const cap = Atomics.load(cells, CAP);
    const used = Atomics.load(cells, USED);
    const tail = Atomics.load(cells, TAIL);
    const wrapped = used > 0 && tail <= Atomics.load(cells, HEAD);
    const least = Math.max(used + need, wrapped ? cap + tail : 0);
    return least > MAX_RING_BYTES ? 0 : Math.min(MAX_RING_BYTES, Math.max(cap * 2, least));
  }

  /**
   * Makes room for a message of `need` bytes by growing the ring; false if it cannot (not growable, at its
   * largest, or out of memory). The caller is the only writer, and no reader is inside `read`.
   */
  grow(need: number): boolean {
    const next = this.#grownSize(need);
    if (next === 0) return false;
    try {
      this.buffer.grow(HEADER_BYTES + next);
    } catch {
      return false;
    }
    const cells = this.#cells;
    const cap = Atomics.load(cells, CAP);
    const data = this.#view(next);
    const head = Atomics.load(cells, HEAD);
    const tail = Atomics.load(cells, TAIL);
    if (Atomics.load(cells, USED) === 0) {
      Atomics.store(cells, HEAD, 0);
      Atomics.store(cells, TAIL, 0);
    } else if (tail <= head) {
      // The data wraps (or ends exactly at the old end): [head, cap) then [0, tail). Its second part moves to
      // just after the first (#grownSize left room: next >= cap + tail), so it reads as one run from head.
      data.copyWithin(cap, 0, tail);
      Atomics.store(cells, TAIL, cap + tail);
    }
    Atomics.store(cells, CAP, next);
    return true;
  }

  /** The data bytes at capacity `cap`. */
  #view(cap: number): Uint8Array {
    if (this.#data.length !== cap) this.#data = new Uint8Array(this.buffer, HEADER_BYTES, cap);
    return this.#data;
  }

  /** Appends one message. The caller is the only writer and has seen `free() >= cost(message.length)`. */
  write(message: Uint8Array): void {
    const cap = this.capacity;
    const data = this.#view(cap);
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
    const data = this.#view(cap);
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
