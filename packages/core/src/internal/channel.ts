/**
 * The engine under `Queue`, `JoinableQueue`, `SimpleQueue` and each direction
 * of a `Pipe`: serialized messages in a shared `RingBuffer`, any number of
 * senders and receivers in any workers.
 *
 * Senders take turns through one mutex cell, receivers through another, so a
 * sender and a receiver never wait for each other except on "full" and
 * "empty". A waiting receiver parks on `PUT_SEQ` (bumped by every put and by
 * every close), a waiting sender on `GET_SEQ` (bumped by every get and close):
 * reading the counter before checking the state means no wake-up is missed.
 * Neither holds its mutex while it waits (only while it writes or reads), so a
 * worker stopped mid-wait leaves the channel usable.
 * Each algorithm is a generator (`Steps`), driven blocking or awaiting.
 *
 * A message that does not fit in the ring's free bytes makes the sender grow the ring where it can
 * (RingBuffer.grow) rather than wait, so only `maxsize` bounds a queue, as in Python. Growing moves bytes a
 * receiver may be reading, so the two keep apart through RESIZING and READING: each sets its own cell, then
 * looks at the other's, and only one of them can find the other's unset.
 */
import { acquireCell, releaseCell } from '../sync/lock.js';
import { MAX_RING_BYTES, RingBuffer } from './ring-buffer.js';
import { show } from './validate.js';
import { notify, remaining, runAsync, runSync, sharedCells, threadMayBlock, type Park, type Steps } from './wait.js';

const PUT_MUTEX = 0;
const GET_MUTEX = 1;
const ITEMS = 2;
const PUT_SEQ = 3;
const GET_SEQ = 4;
const UNFINISHED = 5;
const WRITER_CLOSED = 6;
const READER_CLOSED = 7;
// READING and RESIZING sit 64 bytes or more away from the cells above, on a cache line of their own: a receiver
// writes READING twice per get, which on the line senders poll would take that line from them each time.
/** Set by a receiver while it reads from the ring; a sender does not grow it meanwhile. */
const READING = 24;
/** Set by a sender growing the ring (RingBuffer.grow); a receiver does not read meanwhile. */
const RESIZING = 25;
const CELLS = 40;

/** How long a put or get that may no longer wait still waits for a mutex held by another (see Channel.#enter). */
const MUTEX_GRACE_MS = 1_000;
/** The same where the thread may not block and spins. */
const MUTEX_SPIN_MS = 10;

/** The default ring size of a queue or pipe direction: 1 MiB. */
export const DEFAULT_BUFFER_SIZE = 1 << 20;
const MIN_BUFFER_SIZE = 16;

/** What crosses to another worker to rebuild the same channel there. */
export interface ChannelState {
  cells: Int32Array;
  ring: SharedArrayBuffer;
  maxsize: number;
  joinable: boolean;
}

export type PutResult = 'ok' | 'full' | 'closed' | 'broken';
export type GetResult = Uint8Array | 'empty' | 'eof' | 'closed';

/** Validates `bufferSize` (bytes). */
export function checkBufferSize(value: unknown): number {
  if (value === undefined) return DEFAULT_BUFFER_SIZE;
  const message = `bufferSize must be an integer number of bytes from ${MIN_BUFFER_SIZE} to ${MAX_RING_BYTES}, got ${show(value)}`;
  if (typeof value !== 'number') throw new TypeError(message);
  if (!Number.isInteger(value) || value < MIN_BUFFER_SIZE || value > MAX_RING_BYTES) throw new RangeError(message);
  return value;
}

/** Continues a generator already started by hand from the park it yielded. */
function* resume<T>(steps: Steps<T>, first: Park): Steps<T> {
  let r = steps.next(yield first);
  while (!r.done) r = steps.next(yield r.value);
  return r.value;
}

/** Drives `steps` blocking; if the thread may not block, the generator is closed so its `finally` frees what it held. */
export function drive<T>(steps: Steps<T>, what: string, deadline: number): T {
  try {
    return runSync(steps, what, deadline);
  } catch (error) {
    steps.return(undefined as never);
    throw error;
  }
}

/**
 * Runs the sends of one sender object in call order, awaiting: synchronously
 * when the first need not wait (so `q.put(x)` without `await` still lands at
 * once), otherwise after the earlier ones of this object.
 */
export class SendOrder {
  #pending = 0;
  #last: Promise<unknown> = Promise.resolve();

  run<T>(bytes: Uint8Array, start: (bytes: Uint8Array) => Steps<T>): Promise<T> {
    if (this.#pending === 0) {
      const steps = start(bytes);
      let first: IteratorResult<Park, T>;
      try {
        first = steps.next();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (first.done) return Promise.resolve(first.value);
      return this.#track(runAsync(resume(steps, first.value)));
    }
    const copy = bytes.slice();
    const run = (): Promise<T> => runAsync(start(copy));
    return this.#track(this.#last.then(run, run));
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending++;
    const done = (): void => {
      this.#pending--;
    };
    this.#last = promise.then(done, done);
    return promise;
  }
}

export class Channel {
  readonly #cells: Int32Array;
  readonly #ring: RingBuffer;
  readonly #maxsize: number;
  readonly #joinable: boolean;

  constructor(state: ChannelState) {
    this.#cells = state.cells;
    this.#ring = new RingBuffer(state.ring);
    this.#maxsize = state.maxsize;
    this.#joinable = state.joinable;
  }

  /** A new channel; `what` names the object in the error where there is no SharedArrayBuffer. */
  static create(what: string, maxsize: number, bufferSize: number, joinable: boolean): Channel {
    const cells = sharedCells(CELLS, what);
    return new Channel({ cells, ring: RingBuffer.create(bufferSize).buffer, maxsize, joinable });
  }

  get state(): ChannelState {
    return { cells: this.#cells, ring: this.#ring.buffer, maxsize: this.#maxsize, joinable: this.#joinable };
  }

  get maxsize(): number {
    return this.#maxsize;
  }

  /** The largest serialized message that fits. */
  get maxMessage(): number {
    return this.#ring.maxMessage;
  }

  get bufferSize(): number {
    return this.#ring.capacity;
  }

  items(): number {
    return Atomics.load(this.#cells, ITEMS);
  }

  writerClosed(): boolean {
    return Atomics.load(this.#cells, WRITER_CLOSED) !== 0;
  }

  readerClosed(): boolean {
    return Atomics.load(this.#cells, READER_CLOSED) !== 0;
  }

  /**
   * Puts one message (already checked to fit in the ring). `stable` says the
   * bytes outlive this call; otherwise they are copied before the first wait.
   * It waits for room holding nothing, and takes the senders' mutex only to write: a sender stopped while it
   * waits (a pool task past its timeout, a terminated Process) leaves the channel usable by every other.
   */
  *put(message: Uint8Array, deadline: number, stable: boolean): Steps<PutResult> {
    const c = this.#cells;
    let bytes = message;
    const need = RingBuffer.cost(bytes.length);
    for (;;) {
      for (;;) {
        const seq = Atomics.load(c, GET_SEQ);
        if (Atomics.load(c, WRITER_CLOSED) !== 0) return 'closed';
        if (Atomics.load(c, READER_CLOSED) !== 0) return 'broken';
        if (this.#hasRoom(need)) break;
        if (remaining(deadline) === 0) return 'full';
        if (!stable) bytes = bytes.slice();
        stable = true;
        yield { cells: c, index: GET_SEQ, expected: seq, deadline };
      }
      if (Atomics.compareExchange(c, PUT_MUTEX, 0, 1) !== 0) {
        if (!stable) bytes = bytes.slice();
        stable = true;
        const room = (): boolean => this.#ended() || this.#hasRoom(need);
        if (!(yield* this.#enter(PUT_MUTEX, deadline, room))) return 'full';
      }
      try {
        if (Atomics.load(c, WRITER_CLOSED) !== 0) return 'closed';
        if (Atomics.load(c, READER_CLOSED) !== 0) return 'broken';
        // Another sender took the room meanwhile: wait again (the mutex is released first).
        if (!this.#hasRoom(need)) continue;
        if (this.#ring.free() < need) yield* this.#grow(need);
        this.#ring.write(bytes);
        if (this.#joinable) Atomics.add(c, UNFINISHED, 1);
        Atomics.add(c, ITEMS, 1);
        Atomics.add(c, PUT_SEQ, 1);
        notify(c, PUT_SEQ);
        return 'ok';
      } finally {
        releaseCell(c, PUT_MUTEX);
      }
    }
  }

  /**
   * Takes the senders' or the receivers' mutex (`index`), waiting for it until `deadline`. Past the deadline
   * (at once for a `…Nowait` call) it is still taken if it comes free within MUTEX_GRACE_MS while `possible()`
   * says the operation would succeed: the holder is then in a critical section of microseconds (or was
   * preempted in one: four workers on two cores), or is a sender (receiver) that waited for room (a message)
   * and is about to take it. Without this, `putNowait` on a queue with room threw `Full` whenever another
   * worker was putting at that moment. A thread that may not block (a page's main thread, in a `…Nowait` call)
   * spins instead of parking, for a shorter while.
   */
  *#enter(index: number, deadline: number, possible: () => boolean): Steps<boolean> {
    const c = this.#cells;
    if (yield* acquireCell(c, index, deadline)) return true;
    const parks = threadMayBlock();
    const until = performance.now() + (parks ? MUTEX_GRACE_MS : MUTEX_SPIN_MS);
    while (possible()) {
      // 2: held with a waiter, so its release notifies (a spare notify if nobody parks).
      if (Atomics.exchange(c, index, 2) === 0) return true;
      const now = performance.now();
      if (now >= until) break;
      // Short parks: possible() is looked at again after each.
      if (parks) yield { cells: c, index, expected: 2, deadline: Math.min(until, now + 1) };
    }
    return false;
  }

  /** Whether a message taking `need` ring bytes fits now: under `maxsize` items, and the bytes free or the ring can grow. */
  #hasRoom(need: number): boolean {
    return this.#underMaxsize() && this.#ring.fits(need);
  }

  /** Whether the channel holds fewer than `maxsize` messages (always, with no maxsize). */
  #underMaxsize(): boolean {
    return this.#maxsize === 0 || Atomics.load(this.#cells, ITEMS) < this.#maxsize;
  }

  /**
   * Grows the ring for a message of `need` bytes (a sender holding its mutex, once RingBuffer.fits said it can), once
   * no receiver is reading. Memory that will not grow after all (the system is out of it) is a RangeError.
   */
  *#grow(need: number): Steps<void> {
    const c = this.#cells;
    Atomics.store(c, RESIZING, 1);
    try {
      yield* keepApart(c, READING);
      if (!this.#ring.grow(need)) throw new RangeError(`could not grow this queue's buffer to hold ${need} more bytes: out of memory`);
    } finally {
      Atomics.store(c, RESIZING, 0);
      notify(c, RESIZING);
    }
  }

  /** Whether either end is closed (a put or get then has an answer to give at once). */
  #ended(): boolean {
    return Atomics.load(this.#cells, WRITER_CLOSED) !== 0 || Atomics.load(this.#cells, READER_CLOSED) !== 0;
  }

  /**
   * Takes the oldest message: its bytes, or why there is none. It waits for a message holding nothing, and takes
   * the receivers' mutex only to read (see put): a receiver stopped while it waits keeps nothing from the others.
   */
  *get(deadline: number): Steps<GetResult> {
    const c = this.#cells;
    for (;;) {
      for (;;) {
        const seq = Atomics.load(c, PUT_SEQ);
        if (Atomics.load(c, READER_CLOSED) !== 0) return 'closed';
        if (Atomics.load(c, ITEMS) > 0) break;
        if (Atomics.load(c, WRITER_CLOSED) !== 0) return 'eof';
        if (remaining(deadline) === 0) return 'empty';
        yield { cells: c, index: PUT_SEQ, expected: seq, deadline };
      }
      if (Atomics.compareExchange(c, GET_MUTEX, 0, 1) !== 0) {
        const there = (): boolean => this.#ended() || Atomics.load(c, ITEMS) > 0;
        if (!(yield* this.#enter(GET_MUTEX, deadline, there))) return 'empty';
      }
      try {
        if (Atomics.load(c, READER_CLOSED) !== 0) return 'closed';
        if (Atomics.load(c, ITEMS) === 0) {
          if (Atomics.load(c, WRITER_CLOSED) !== 0) return 'eof';
          continue; // another receiver took it: wait again (the mutex is released first)
        }
        // Read once no sender is growing the ring (see #grow); inline, as a nested generator per get costs more.
        Atomics.store(c, READING, 1);
        while (Atomics.load(c, RESIZING) !== 0) {
          Atomics.store(c, READING, 0);
          notify(c, READING);
          yield* keepApart(c, RESIZING);
          Atomics.store(c, READING, 1);
        }
        let bytes: Uint8Array;
        try {
          bytes = this.#ring.read();
        } finally {
          Atomics.store(c, READING, 0);
          if (Atomics.load(c, RESIZING) !== 0) notify(c, READING);
        }
        Atomics.sub(c, ITEMS, 1);
        Atomics.add(c, GET_SEQ, 1);
        notify(c, GET_SEQ);
        return bytes;
      } finally {
        releaseCell(c, GET_MUTEX);
      }
    }
  }

  /** Waits until a get would not wait (a message, or a close); false at the deadline. */
  *poll(deadline: number): Steps<boolean> {
    const c = this.#cells;
    for (;;) {
      const seq = Atomics.load(c, PUT_SEQ);
      if (Atomics.load(c, ITEMS) > 0 || Atomics.load(c, WRITER_CLOSED) !== 0 || Atomics.load(c, READER_CLOSED) !== 0) return true;
      if (remaining(deadline) === 0) return false;
      yield { cells: c, index: PUT_SEQ, expected: seq, deadline };
    }
  }

  /**
   * For `wait()`: whether a get would not wait now (a message, or a close), and if not, the cell
   * to park on. The counter is read before the state, so a put in between is never missed.
   */
  readiness(): { ready: true } | { ready: false; cells: Int32Array; index: number; expected: number } {
    const c = this.#cells;
    const seq = Atomics.load(c, PUT_SEQ);
    if (Atomics.load(c, ITEMS) > 0 || Atomics.load(c, WRITER_CLOSED) !== 0 || Atomics.load(c, READER_CLOSED) !== 0) return { ready: true };
    return { ready: false, cells: c, index: PUT_SEQ, expected: seq };
  }

  /** Marks one message as processed (`JoinableQueue.taskDone`); false if none was outstanding. */
  taskDone(): boolean {
    const c = this.#cells;
    for (;;) {
      const n = Atomics.load(c, UNFINISHED);
      if (n <= 0) return false;
      if (Atomics.compareExchange(c, UNFINISHED, n, n - 1) === n) {
        if (n === 1) notify(c, UNFINISHED);
        return true;
      }
    }
  }

  /** Waits until every message put was marked done; false at the deadline. */
  *join(deadline: number): Steps<boolean> {
    const c = this.#cells;
    for (;;) {
      const n = Atomics.load(c, UNFINISHED);
      if (n === 0) return true;
      if (remaining(deadline) === 0) return false;
      yield { cells: c, index: UNFINISHED, expected: n, deadline };
    }
  }

  /** No more puts: waiting and later senders get `'closed'`, receivers drain what is left, then `'eof'`. */
  closeWriter(): void {
    this.#close(WRITER_CLOSED);
  }

  /** No more gets: senders get `'broken'`, receivers `'closed'`. */
  closeReader(): void {
    this.#close(READER_CLOSED);
  }

  #close(flag: number): void {
    const c = this.#cells;
    Atomics.store(c, flag, 1);
    Atomics.add(c, PUT_SEQ, 1);
    Atomics.add(c, GET_SEQ, 1);
    notify(c, PUT_SEQ);
    notify(c, GET_SEQ);
  }
}

/**
 * Waits until `cells[index]` is 0: the other side's ring operation (a read, or a sender growing the ring), which
 * takes microseconds. It parks in 1 ms slices where the thread may block and spins where it may not (a page's
 * main thread), since it has no deadline: the other side always finishes.
 */
function* keepApart(cells: Int32Array, index: number): Steps<void> {
  const parks = threadMayBlock();
  while (Atomics.load(cells, index) !== 0) {
    if (parks) yield { cells, index, expected: 1, deadline: performance.now() + 1 };
  }
}
