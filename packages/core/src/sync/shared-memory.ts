/**
 * `SharedMemory`: a block of raw bytes shared by every worker it is passed to,
 * as Python's `multiprocessing.shared_memory.SharedMemory`. `.buf` is a
 * `Uint8Array` over a `SharedArrayBuffer`: the same memory on both sides.
 * JavaScript frees the memory once no side refers to it, so `close()` and
 * `unlink()` keep Python's meaning for the program — this side stops using it;
 * no side may hand it on — without freeing anything by hand.
 */
import { MpError } from '../errors.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { sharedBuffer } from '../internal/typecodes.js';
import { checkInteger, show } from '../internal/validate.js';
import { sharedCells } from '../internal/wait.js';

/** @internal What a SharedMemory sends to a worker. */
export interface SharedMemoryState {
  buffer: SharedArrayBuffer;
  size: number;
  name: string;
  /** [0]: 1 once unlinked, for every side. */
  flags: Int32Array;
}

const FROM_STATE = Symbol('mp.shm.state');

function randomName(): string {
  let hex = '';
  for (let i = 0; i < 8; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `psm_${hex}`;
}

/** The name a Python-style attach gives — `new SharedMemory('psm_…')` or `({ name })` — if that is what `size` is. */
function nameOf(size: unknown): unknown {
  if (typeof size === 'string') return size;
  if (typeof size === 'object' && size !== null && 'name' in size) return size.name;
  return undefined;
}

/**
 * @example
 * const shm = new SharedMemory(1024);
 * shm.buf[0] = 42;                                  // seen by every worker it is passed to
 * await pool.apply(task(url, 'readFirst'), [shm]);  // 42
 * shm.close(); shm.unlink();
 */
export class SharedMemory {
  readonly #state: SharedMemoryState;
  #buf: Uint8Array | undefined;

  /** @param size the number of bytes, an integer >= 1. */
  constructor(size: number) {
    const state = (size as unknown as { [FROM_STATE]?: SharedMemoryState } | null)?.[FROM_STATE];
    if (state) {
      this.#state = state;
    } else {
      const name = nameOf(size);
      if (name !== undefined) {
        throw new TypeError(
          `SharedMemory cannot attach to a block by name (got ${show(name)}): JavaScript has no memory shared by name, so ` +
            'a block is shared by passing the SharedMemory object itself to a pool task, a Process or initargs (its name is ' +
            'for logs); a new block takes its size: new SharedMemory(1024)',
        );
      }
      checkInteger('size', size, 1);
      let buffer: SharedArrayBuffer;
      try {
        buffer = sharedBuffer(size, 'SharedMemory');
      } catch (error) {
        // No shared memory here at all is the TypeError naming the headers; anything else is the size (V8 and
        // Bun word it as they like: "Array buffer allocation failed", "Out of memory").
        if (error instanceof TypeError) throw error;
        throw new RangeError(`size ${size} is more memory than this program can have for a SharedMemory (${String(error)})`, { cause: error });
      }
      this.#state = { buffer, size, name: randomName(), flags: sharedCells(1, 'SharedMemory') };
    }
    this.#buf = new Uint8Array(this.#state.buffer, 0, this.#state.size);
  }

  /** The bytes: a `Uint8Array` over shared memory. Throws after `close()`. */
  get buf(): Uint8Array {
    if (!this.#buf) throw new MpError(`SharedMemory ${this.#state.name} was closed on this side; its buf is gone`);
    return this.#buf;
  }

  /** The number of bytes. */
  get size(): number {
    return this.#state.size;
  }

  /** A unique name for the block (`psm_…`, as Python's), for logs and messages. */
  get name(): string {
    return this.#state.name;
  }

  /** Stops using the block on this side: `buf` throws from now on. Other sides keep theirs. */
  close(): void {
    this.#buf = undefined;
  }

  /**
   * Marks the block as destroyed for every side, as Python's `unlink()`: sides that hold it keep
   * their `buf` until they `close()`, but it can no longer be passed to a worker. A second
   * `unlink()` throws, as Python's does.
   */
  unlink(): void {
    if (Atomics.exchange(this.#state.flags, 0, 1) === 1) throw new MpError(`SharedMemory ${this.#state.name} was already unlinked`);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    if (Atomics.load(this.#state.flags, 0) === 1) throw new MpError(`SharedMemory ${this.#state.name} was unlinked; it cannot be passed to a worker`);
    return { kind: 'SharedMemory', state: this.#state, sharedMemory: true };
  }
}

/** @internal Rebuilds a SharedMemory over existing memory (in a worker that received one). */
export function reviveSharedMemory(state: SharedMemoryState): SharedMemory {
  return new SharedMemory({ [FROM_STATE]: state } as unknown as number);
}
