/**
 * A lane: the shared-memory fast path between a pool and one of its workers, for runtimes whose workers
 * share memory but cannot take a message from a port synchronously (Deno, Bun, cross-origin-isolated pages).
 * Node's threads have `receiveMessageOnPort` and keep their own way (WorkerHandle.pollSync in @mp/node).
 *
 * An awaited task's round trip through messages costs two event-loop wake-ups, one on each side. On the
 * lane, a message the other side is waiting for right now goes through a SharedArrayBuffer instead: the
 * worker, done with a batch whose answer is awaited blocking (`linger`), waits on the lane a moment for the
 * next batch; the pool, waiting blocking for an answer (answer-wait.ts), spins on it. Each direction has one
 * slot: a state cell, a length cell and a region of bytes (serialize.ts's encoding). A message goes on
 * the lane only when the other side waits there at that moment *and* has taken every message sent before
 * it on the port (each side counts what it posted and took), so the two channels never reorder; anything
 * else — nobody waiting, a transfer list, a value the encoding refuses (it then fails on the port exactly
 * as before), a message bigger than the region — goes on the port as always.
 */
import type { TransferItem, WorkerHandle, WorkerPort } from '../runtime.js';
import { canShareMemory } from './wait.js';

// The cells (Int32Array indexes).
/** The slot toward the worker: IDLE, WAITING (the worker waits on it), FULL (a message is there), DECLINED (go back to the port). */
const TO_WORKER = 0;
/** The slot toward the parent: IDLE, WAITING (the parent spins on it), BUSY (being written), FULL, DECLINED. */
const TO_PARENT = 1;
const TO_WORKER_LEN = 2;
const TO_PARENT_LEN = 3;
/** How many port messages the worker had taken when it began waiting. */
const WORKER_TOOK = 4;
/** How many port messages the parent had taken when it began waiting. */
const PARENT_TOOK = 5;
/** How many port messages the worker has posted (the parent stops waiting on the lane when one is on the port). */
const WORKER_POSTED = 6;
const CELLS = 8;
const RESOLVED = Promise.resolve();

const IDLE = 0;
const WAITING = 1;
const FULL = 2;
const BUSY = 3;
/** The waiting side should go back to its port: a message is on the way there. */
const DECLINED = 4;

/** The bytes each direction can carry; bigger messages take the port. */
const REGION = 64 * 1024;
const HEADER = CELLS * 4;
/** How long a waiting worker spins before it sleeps on the cell (waking costs about as much). */
const SPIN_MS = 0.03;

/** Makes a lane's memory (the pool sends it to the worker in its `init` message). */
export function createLane(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + 2 * REGION);
}

/** Whether lanes can be made here: shared memory and atomics exist (a page must be cross-origin isolated). */
export function canLane(): boolean {
  return canShareMemory();
}

/** serialize.ts's encoding, as the lane uses it. */
export interface LaneCodec {
  encode(message: unknown, what: string): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}

let codecOf: (() => LaneCodec) | undefined;
let codec: LaneCodec | undefined;

/**
 * Where the lane finds its encoding: each entry point says (the worker runtime, with serialize.ts itself). The
 * built index takes the copy in dist/shared-state.js, loaded when a pool makes its first lane (laneCodecReady;
 * internal/deferred.ts): the encoding is a sixth of the index, and Node's threads, which never use a lane, need
 * it only for queues and pipes.
 */
export function setLaneCodec(get: () => LaneCodec): void {
  codecOf = get;
}

let warned = false;

/**
 * Whether the lanes have their encoding, loaded now (a pool asks before it makes a lane). Where it cannot
 * be loaded — a page whose import map names @mp/core's Node index instead of dist/index.browser.js — the pool
 * sends every message through the port instead, as with the fast path off, and says so once on the console:
 * only speed is lost, while a queue or a lock made on that page throws the error that says how to fix it.
 */
export function laneCodecReady(): boolean {
  try {
    laneCodec();
    return true;
  } catch (error) {
    if (!warned) {
      warned = true;
      globalThis.console?.warn(`mp: the shared-memory fast path is off: ${error instanceof Error ? error.message : String(error)}`);
    }
    return false;
  }
}

function laneCodec(): LaneCodec {
  if (codec === undefined) {
    if (codecOf === undefined) throw new Error('mp: the shared-memory fast path has no encoding (setLaneCodec was not called)');
    codec = codecOf();
  }
  return codec;
}

function put(bytes: Uint8Array, memory: SharedArrayBuffer, offset: number): boolean {
  if (bytes.length > REGION) return false;
  new Uint8Array(memory, offset, bytes.length).set(bytes);
  return true;
}

/** The message in a region, copied out (a decoder may not read shared memory) and rebuilt. */
function take(memory: SharedArrayBuffer, offset: number, length: number): unknown {
  return laneCodec().deserialize(new Uint8Array(memory, offset, length).slice());
}

/** `message` encoded, or `undefined` when the encoding refuses it (the port then reports why). */
function encoded(message: unknown): Uint8Array | undefined {
  const codec = laneCodec();
  try {
    return codec.encode(message, 'message');
  } catch {
    return undefined;
  }
}

/** The parent's end: wraps a worker's handle and counts the messages its events deliver. */
export class ParentLane {
  readonly #cells: Int32Array;
  #posted = 0;
  #took = 0;
  #handle: WorkerHandle | undefined;
  /** Counts waits begun by #arm, so a wait's end that comes late does not end a newer one. */
  #armed = 0;

  constructor(
    readonly memory: SharedArrayBuffer,
    readonly deliver: (message: unknown) => void,
  ) {
    this.#cells = new Int32Array(memory, 0, CELLS);
  }

  /** Call from the runtime's `onMessage` for every message that came through the port. */
  tookFromPort(message: unknown): void {
    this.#took++;
    this.deliver(message);
  }

  /** `handle` with lane-aware `postMessage` and a `pollSync` that waits on the lane. */
  wrap(handle: WorkerHandle): WorkerHandle {
    this.#handle = handle;
    return {
      pid: handle.pid,
      postMessage: (message, transfer) => this.#post(message, transfer),
      terminate: (signal) => handle.terminate(signal),
      setRef: (ref) => handle.setRef(ref),
      pollSync: (timeoutMs) => this.#poll(timeoutMs),
    };
  }

  #post(message: unknown, transfer: readonly TransferItem[] | undefined): void {
    const cells = this.#cells;
    // A batch whose answer the pool will await blocking: be waiting for it before the worker can answer.
    if ((message as { linger?: unknown }).linger === true) this.#arm();
    if (Atomics.load(cells, TO_WORKER) === WAITING) {
      if ((transfer === undefined || transfer.length === 0) && Atomics.load(cells, WORKER_TOOK) === this.#posted) {
        const bytes = encoded(message);
        if (bytes && put(bytes, this.memory, HEADER)) {
          cells[TO_WORKER_LEN] = bytes.length;
          if (Atomics.compareExchange(cells, TO_WORKER, WAITING, FULL) === WAITING) {
            Atomics.notify(cells, TO_WORKER);
            return;
          }
        }
      }
      // It waits on the lane but this message takes the port: wake it, so it goes back to its event loop.
      if (Atomics.compareExchange(cells, TO_WORKER, WAITING, DECLINED) === WAITING) Atomics.notify(cells, TO_WORKER);
    }
    this.#handle!.postMessage(message, transfer);
    this.#posted++;
  }

  /**
   * Waits for the worker's next message on the lane from now on: a quick worker answers before the pool's
   * `pollSync` begins. Should the pool not poll after all, the wait ends once this turn's synchronous code has
   * run, delivering what came meanwhile.
   */
  #arm(): void {
    const cells = this.#cells;
    if (Atomics.load(cells, TO_PARENT) !== IDLE || Atomics.load(cells, WORKER_POSTED) !== this.#took) return;
    Atomics.store(cells, PARENT_TOOK, this.#took);
    Atomics.store(cells, TO_PARENT, WAITING);
    const armed = ++this.#armed;
    void RESOLVED.then(() => {
      if (armed === this.#armed) this.#end(Atomics.compareExchange(cells, TO_PARENT, WAITING, IDLE));
    });
  }

  /** Ends a wait found in `state` (not WAITING): delivers the message the worker put on the lane, if any. */
  #end(state: number): boolean {
    const cells = this.#cells;
    if (state === WAITING || state === IDLE) return false;
    while (state === BUSY) state = Atomics.load(cells, TO_PARENT);
    if (state !== FULL) {
      Atomics.store(cells, TO_PARENT, IDLE);
      return false;
    }
    const message = take(this.memory, HEADER + REGION, cells[TO_PARENT_LEN]!);
    Atomics.store(cells, TO_PARENT, IDLE);
    this.deliver(message);
    return true;
  }

  /** Spins up to `timeoutMs` for the worker's next message on the lane; `false` when none came that way. */
  #poll(timeoutMs: number): boolean {
    const cells = this.#cells;
    // This poll ends the wait #arm began, whatever happens.
    this.#armed++;
    if (Atomics.load(cells, TO_PARENT) === IDLE) {
      // Something posted on the port is not taken yet: it comes first, through the event loop.
      if (Atomics.load(cells, WORKER_POSTED) !== this.#took) return false;
      Atomics.store(cells, PARENT_TOOK, this.#took);
      Atomics.store(cells, TO_PARENT, WAITING);
    }
    const until = performance.now() + timeoutMs;
    let state: number;
    for (let i = 1; (state = Atomics.load(cells, TO_PARENT)) === WAITING; i++) {
      if ((i & 63) === 0 && (performance.now() > until || Atomics.load(cells, WORKER_POSTED) !== this.#took)) {
        state = Atomics.compareExchange(cells, TO_PARENT, WAITING, IDLE);
        if (state === WAITING) return false;
        break;
      }
    }
    return this.#end(state);
  }
}

/**
 * The worker's end, over the adapter's port: it takes the lane once the `init` message brings it
 * (`attach`). Until then, and for every message the lane does not carry, it is the port.
 */
export class WorkerLane {
  #cells: Int32Array | undefined;
  #memory: SharedArrayBuffer | undefined;
  #posted = 0;
  #took = 0;

  constructor(readonly port: WorkerPort) {}

  /** Starts using the lane in `memory` (from the parent's `init`), unless the port receives synchronously itself. */
  attach(memory: SharedArrayBuffer): void {
    if (this.#memory || this.port.receiveSync) return;
    this.#memory = memory;
    this.#cells = new Int32Array(memory, 0, CELLS);
  }

  /** Whether `receive` can wait for a message (a lane, or a port that receives synchronously). */
  get canReceive(): boolean {
    return this.#cells !== undefined || this.port.receiveSync !== undefined;
  }

  onMessage(handler: (message: unknown) => void): void {
    this.port.onMessage((message) => {
      this.#took++;
      handler(message);
    });
  }

  postMessage(message: unknown, transfer?: readonly TransferItem[]): void {
    const cells = this.#cells;
    if (cells && Atomics.load(cells, TO_PARENT) === WAITING) {
      // Printed output travels beside the port: an answer on the lane would overtake it.
      const onLane = (transfer === undefined || transfer.length === 0) && !this.port.printed?.() && Atomics.load(cells, PARENT_TOOK) === this.#posted;
      if (Atomics.compareExchange(cells, TO_PARENT, WAITING, BUSY) === WAITING) {
        const bytes = onLane ? encoded(message) : undefined;
        if (bytes && put(bytes, this.#memory!, HEADER + REGION)) {
          cells[TO_PARENT_LEN] = bytes.length;
          Atomics.store(cells, TO_PARENT, FULL);
          return;
        }
        Atomics.store(cells, TO_PARENT, DECLINED);
      }
    }
    this.port.postMessage(message, transfer);
    if (cells) Atomics.store(cells, WORKER_POSTED, ++this.#posted);
  }

  /**
   * The next message if one comes within `timeoutMs` — on the lane, or before it is attached through the
   * port's own `receiveSync` — else `undefined`. The worker blocks meanwhile.
   */
  receive(timeoutMs: number): unknown {
    const cells = this.#cells;
    if (!cells) {
      const message = this.port.receiveSync?.(timeoutMs);
      if (message !== undefined) this.#took++;
      return message;
    }
    if (timeoutMs <= 0) return undefined;
    Atomics.store(cells, WORKER_TOOK, this.#took);
    Atomics.store(cells, TO_WORKER, WAITING);
    const now = this.port.now ? () => this.port.now!() : () => performance.now();
    const start = now();
    const spinUntil = start + Math.min(timeoutMs, SPIN_MS);
    for (let i = 1; Atomics.load(cells, TO_WORKER) === WAITING; i++) {
      if ((i & 63) === 0 && now() > spinUntil) {
        const left = timeoutMs - (now() - start);
        if (left > 0) Atomics.wait(cells, TO_WORKER, WAITING, left);
        break;
      }
    }
    const state = Atomics.compareExchange(cells, TO_WORKER, WAITING, IDLE);
    if (state !== FULL) {
      Atomics.store(cells, TO_WORKER, IDLE);
      return undefined;
    }
    const message = take(this.#memory!, HEADER, cells[TO_WORKER_LEN]!);
    Atomics.store(cells, TO_WORKER, IDLE);
    return message;
  }
}
