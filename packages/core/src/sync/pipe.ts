/**
 * `Pipe`: two connected ends over shared memory, as Python's
 * `multiprocessing.Pipe`. Each direction is a ring buffer of serialized
 * messages; each end can be passed to a worker and is the same end there.
 */
import { MpError, TimeoutError } from '../errors.js';
import { deadlineFrom } from '../internal/blocking-options.js';
import {
  Channel,
  SendOrder,
  checkBufferSize,
  drive,
  type ChannelState,
  type GetResult,
  type PutResult,
} from '../internal/channel.js';
import { deserialize, encode } from '../internal/serialize.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkKnownOptions, show } from '../internal/validate.js';
import { deadlineOf, runAsync } from '../internal/wait.js';
import { suggestSize } from './queue.js';
import { rejecting } from '../internal/rejecting.js';

/** Options of `Pipe()`. */
export interface PipeOptions {
  /**
   * Whether both ends send and receive. With `false` the first end only receives and the second
   * only sends, as Python's `Pipe(duplex=False)` returns `(reader, writer)`.
   * @default true
   */
  duplex?: boolean;
  /**
   * Bytes of shared memory each direction starts with; it grows as needed, up to 1 GiB (where the runtime
   * cannot grow shared memory, a full buffer makes `send` wait and a larger message is refused).
   * @default 1048576 (1 MiB)
   */
  bufferSize?: number;
}

/** The options of a blocking pipe call. */
export interface TimeoutOptions {
  /** Give up after this many milliseconds, with a `TimeoutError`. */
  timeout?: number;
}

/** @internal What an end sends to a worker: the channel it sends on and the one it receives on. */
export interface ConnectionState {
  out: ChannelState | null;
  in: ChannelState | null;
}

const MAKE = Symbol('mp.connection');

/** The message when the other end is gone, as Python's `EOFError`/`BrokenPipeError`. */
const OTHER_END_CLOSED = 'the other end of the pipe was closed';

/**
 * One end of a `Pipe`. Made by `Pipe()`, never directly.
 *
 * @example
 * // tasks.js: export function echo(conn) { conn.sendSync(conn.recvSync()); }
 * const [parent, child] = Pipe<string>();
 * new Process({ target: task(new URL('./tasks.js', import.meta.url), 'echo'), args: [child] }).start();
 * parent.send('ping');
 * await parent.recv({ timeout: 5_000 }); // 'ping'
 */
export class Connection<T = unknown> {
  readonly #out: Channel | null;
  readonly #in: Channel | null;
  readonly #order = new SendOrder();

  /** @internal */
  constructor(token: symbol, state: ConnectionState) {
    if (token !== MAKE) throw new TypeError('a Connection is made by Pipe(): const [a, b] = Pipe()');
    this.#out = state.out && new Channel(state.out);
    this.#in = state.in && new Channel(state.in);
  }

  /** Whether this end can send (false for the reading end of a one-way pipe). */
  get writable(): boolean {
    return this.#out !== null;
  }

  /** Whether this end can receive (false for the writing end of a one-way pipe). */
  get readable(): boolean {
    return this.#in !== null;
  }

  /** Whether this end was closed (by any worker holding it). */
  get closed(): boolean {
    return this.#out ? this.#out.writerClosed() : this.#in!.readerClosed();
  }

  /**
   * Sends `value` to the other end. It is written at once when the buffer has room (so
   * `conn.send(v)` without `await` is fine); otherwise the promise settles once it is written, or
   * rejects with a `TimeoutError` after `timeout` ms. A value that cannot be cloned or is larger
   * than the buffer rejects it at once (the method never throws; `sendSync` does).
   */
  send(value: T, options?: TimeoutOptions): Promise<void> {
    return rejecting(() => {
      const out = this.#sender('send');
      const deadline = deadlineFrom(options, false);
      const bytes = this.#encode(out, value);
      return this.#order.run(bytes, (b) => out.put(b, deadline, false)).then((r) => sent(r, options?.timeout));
    });
  }

  /** Blocks this thread until `value` is written (a `TimeoutError` after `timeout` ms of a full buffer). */
  sendSync(value: T, options?: TimeoutOptions): void {
    const out = this.#sender('send');
    const deadline = deadlineFrom(options, false);
    sent(drive(out.put(this.#encode(out, value), deadline, true), 'connection.send', deadline), options?.timeout);
  }

  /**
   * Receives the next value, waiting up to `timeout` ms (then a `TimeoutError`). Rejects with an
   * `MpError` once the other end is closed and everything it sent was received.
   */
  recv(options?: TimeoutOptions): Promise<T> {
    return rejecting(() => {
      const input = this.#receiver('recv');
      const deadline = deadlineFrom(options, false);
      return runAsync(input.get(deadline)).then((r) => received<T>(r, options?.timeout));
    });
  }

  /** Blocks this thread for the next value; see `recv`. Not on a browser's main thread. */
  recvSync(options?: TimeoutOptions): T {
    const input = this.#receiver('recv');
    const deadline = deadlineFrom(options, false);
    return received<T>(drive(input.get(deadline), 'connection.recv', deadline), options?.timeout);
  }

  /**
   * Whether `recv` would return without waiting: a value is there, or the other end closed (then
   * `recv` rejects). Waits up to `timeout` ms for that (`0`, the default, does not wait;
   * `Infinity` waits as long as it takes).
   */
  poll(timeout?: number): Promise<boolean> {
    return rejecting(() => runAsync(this.#receiver('poll').poll(pollDeadline(timeout))));
  }

  /** The blocking form of `poll`. Not on a browser's main thread. */
  pollSync(timeout?: number): boolean {
    const input = this.#receiver('poll');
    const deadline = pollDeadline(timeout);
    return drive(input.poll(deadline), 'connection.poll', deadline);
  }

  /** Closes this end for every worker: the other end receives what was sent, then an error. */
  close(): void {
    this.#out?.closeWriter();
    this.#in?.closeReader();
  }

  #sender(method: string): Channel {
    if (this.#out) return this.#out;
    throw new MpError(`${method}() on the reading end of a one-way Pipe: with Pipe({ duplex: false }) the first end receives and the second sends`);
  }

  #receiver(method: string): Channel {
    if (!this.#in) {
      throw new MpError(`${method}() on the writing end of a one-way Pipe: with Pipe({ duplex: false }) the first end receives and the second sends`);
    }
    if (this.#in.readerClosed()) throw new MpError(`${method}() on a closed Connection`);
    return this.#in;
  }

  #encode(out: Channel, value: unknown): Uint8Array {
    const bytes = encode(value, 'value');
    if (bytes.length > out.maxMessage) {
      throw new RangeError(
        `value is ${bytes.length} bytes serialized, more than this Pipe's buffer of ${out.bufferSize} bytes can carry ` +
          `(${out.maxMessage} per message); give it a larger buffer: Pipe({ bufferSize: ${suggestSize(bytes.length)} })`,
      );
    }
    return bytes;
  }

  /** @internal */
  [SHARE](): ShareDescription {
    const state: ConnectionState = { out: this.#out?.state ?? null, in: this.#in?.state ?? null };
    return { kind: 'Connection', state, sharedMemory: true };
  }
}

function sent(result: PutResult, timeout: number | undefined): void {
  if (result === 'ok') return;
  if (result === 'full') throw new TimeoutError(`send() timed out after ${timeout} ms: the pipe's buffer stayed full`);
  if (result === 'closed') throw new MpError('send() on a closed Connection');
  throw new MpError(OTHER_END_CLOSED);
}

function received<T>(result: GetResult, timeout: number | undefined): T {
  if (result instanceof Uint8Array) return deserialize(result) as T;
  if (result === 'empty') throw new TimeoutError(`recv() timed out after ${timeout} ms: nothing arrived`);
  if (result === 'closed') throw new MpError('recv() on a closed Connection');
  throw new MpError(OTHER_END_CLOSED);
}

function pollDeadline(timeout: unknown): number {
  if (timeout === undefined) return -Infinity;
  if (typeof timeout !== 'number') throw new TypeError(`timeout must be a number of milliseconds >= 0, got ${show(timeout)}`);
  if (!(timeout >= 0)) throw new RangeError(`timeout must be a number of milliseconds >= 0, got ${show(timeout)}`);
  return deadlineOf(timeout);
}

/** @internal Rebuilds an end over existing shared memory (in a worker that received one). */
export function reviveConnection<T>(state: ConnectionState): Connection<T> {
  return new Connection<T>(MAKE, state);
}

/**
 * Makes a pipe and returns its two ends, as Python's `multiprocessing.Pipe`.
 *
 * @example
 * const [a, b] = Pipe();                       // both ends send and receive
 * a.send({ hello: 'world' });
 * await b.recv();                              // { hello: 'world' }
 * const [reader, writer] = Pipe({ duplex: false });
 */
export function Pipe<T = unknown>(options?: PipeOptions): [Connection<T>, Connection<T>] {
  const o = checkKnownOptions('Pipe', options, ['duplex', 'bufferSize']);
  if (o.duplex !== undefined && typeof o.duplex !== 'boolean') throw new TypeError(`duplex must be a boolean, got ${show(o.duplex)}`);
  const size = checkBufferSize(o.bufferSize);
  const ab = Channel.create('Pipe', 0, size, false).state;
  if (o.duplex === false) return [reviveConnection({ out: null, in: ab }), reviveConnection({ out: ab, in: null })];
  const ba = Channel.create('Pipe', 0, size, false).state;
  return [reviveConnection({ out: ab, in: ba }), reviveConnection({ out: ba, in: ab })];
}
