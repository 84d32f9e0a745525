/**
 * The three shapes of pool work. Each produces jobs for the scheduler and turns
 * job results into what its caller sees: a promise (`apply`, `map`) or a lazy
 * async iterator (`imap`, `imapUnordered`) that reads its input only as far as
 * its look-ahead allows.
 */
import type { TransferItem } from '../runtime.js';
import type { JobMode } from './protocol.js';
import type { Call, FnRef, Job } from './job.js';
import { makeJob } from './job.js';
import { unwrapTransfer } from '../task.js';
import type { AbortSignalLike } from './validate.js';
import { show } from './validate.js';
import { MpError } from '../errors.js';
import { encodeShared, type Destination } from './shared.js';

/** What a call needs from the scheduler. */
export interface Scheduler {
  enqueue(call: Call): void;
  schedule(): void;
  stopCall(call: Call): void;
}

interface CommonOptions {
  fn: FnRef;
  timeout: number | undefined;
  signal: AbortSignalLike | undefined;
}

abstract class BaseCall implements Call {
  readonly fn: FnRef;
  readonly timeout: number | undefined;
  done = false;
  protected readonly scheduler: Scheduler;
  readonly #signal: AbortSignalLike | undefined;
  #onAbort: (() => void) | undefined;

  constructor(scheduler: Scheduler, o: CommonOptions) {
    this.scheduler = scheduler;
    this.fn = o.fn;
    this.timeout = o.timeout;
    this.#signal = o.signal;
  }

  /** Starts listening to the signal; returns false if it is already aborted (the call then failed). */
  protected watchSignal(): boolean {
    const signal = this.#signal;
    if (!signal) return true;
    if (signal.aborted) {
      this.fail(signal.reason);
      return false;
    }
    this.#onAbort = () => {
      if (this.done) return;
      this.fail(signal.reason);
      this.scheduler.stopCall(this);
    };
    signal.addEventListener('abort', this.#onAbort, { once: true });
    return true;
  }

  /** Marks the call settled and stops listening. */
  protected finish(): void {
    this.done = true;
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = undefined;
  }

  abstract get exhausted(): boolean;
  abstract take(): Job | undefined;
  abstract queued(): number;
  abstract resolveJob(job: Job, value: unknown): void;
  abstract rejectJob(job: Job, error: Error): void;
  abstract fail(error: unknown): void;
}

/** `pool.apply(fn, args)`: one job, one promise. */
export class ApplyCall<R> extends BaseCall {
  readonly promise: Promise<R>;
  #resolve!: (value: R) => void;
  #reject!: (error: unknown) => void;
  #job: Job | undefined;

  constructor(scheduler: Scheduler, o: CommonOptions, args: unknown[], transfer: TransferItem[] | undefined, shared: boolean) {
    super(scheduler, o);
    this.promise = new Promise<R>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#job = makeJob(this, 'apply', args, 0, 1, transfer, shared);
    if (this.watchSignal()) scheduler.enqueue(this);
  }

  get exhausted(): boolean {
    return this.#job === undefined;
  }

  take(): Job | undefined {
    const job = this.#job;
    this.#job = undefined;
    return job;
  }

  queued(): number {
    return this.#job ? 1 : 0;
  }

  resolveJob(_job: Job, value: unknown): void {
    this.finish();
    this.#resolve(value as R);
  }

  rejectJob(_job: Job, error: Error): void {
    this.fail(error);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.finish();
    this.#job = undefined;
    this.#reject(error);
  }
}

/** The fewest items of a map part that go packed: below it a typed array's set-up costs more than it saves. */
const PACK_MIN_ITEMS = 64;

/**
 * `items[start..end)` as a Float64Array when every one is a number (each number, -0 and NaN included, is the
 * same after the round trip), else undefined. A packed part crosses to the worker as one block of bytes
 * instead of a structured clone of an array (WireJob.packed), and its results come back packed too when they
 * are numbers: about twice the items per second through Bun's and Chromium's `postMessage`.
 */
function packNumbers(items: readonly unknown[], start: number, end: number): Float64Array | undefined {
  const out = new Float64Array(end - start);
  for (let i = start; i < end; i++) {
    const v = items[i];
    if (typeof v !== 'number') return undefined;
    out[i - start] = v;
  }
  return out;
}

/** `pool.map` / `pool.starmap` over a list: ordered results, rejects on the first error. */
export class MapCall<R> extends BaseCall {
  readonly promise: Promise<R[]>;
  #resolve!: (value: R[]) => void;
  #reject!: (error: unknown) => void;
  readonly #items: readonly unknown[];
  readonly #mode: JobMode;
  readonly #chunksize: number;
  /** Allocated with the first result, while the workers run, not on the caller's time. */
  #results: R[] | undefined;
  readonly #onProgress: ((done: number, total: number) => void) | undefined;
  readonly #shared: boolean;
  readonly #plain: boolean;
  #next = 0;
  #remaining: number;

  constructor(
    scheduler: Scheduler,
    o: CommonOptions & {
      chunksize: number;
      onProgress: ((done: number, total: number) => void) | undefined;
      shared: boolean;
      /** No item is an object: chunks are plain slices, nothing to unwrap or weigh. */
      plain: boolean;
    },
    items: readonly unknown[],
    mode: JobMode,
  ) {
    super(scheduler, o);
    this.promise = new Promise<R[]>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#items = items;
    this.#mode = mode;
    this.#chunksize = o.chunksize;
    this.#onProgress = o.onProgress;
    this.#shared = o.shared;
    this.#plain = o.plain;
    this.#remaining = items.length;
    if (!this.watchSignal()) return;
    if (items.length === 0) {
      this.finish();
      this.#resolve([]);
      return;
    }
    scheduler.enqueue(this);
  }

  get exhausted(): boolean {
    return this.done || this.#next >= this.#items.length;
  }

  queued(): number {
    return this.done ? 0 : Math.ceil((this.#items.length - this.#next) / this.#chunksize);
  }

  take(): Job | undefined {
    if (this.exhausted) return undefined;
    const start = this.#next;
    const end = Math.min(start + this.#chunksize, this.#items.length);
    this.#next = end;
    if (this.#plain) {
      const packed = this.#mode === 'map' && end - start >= PACK_MIN_ITEMS ? packNumbers(this.#items, start, end) : undefined;
      // Packed numbers are moved to the worker, not copied: refill() packs them again if the part is sent again.
      return makeJob(this, this.#mode, packed ?? this.#items.slice(start, end), start, end - start, packed ? [packed.buffer] : undefined, false, true);
    }
    const [data, transfer] = sliceUnwrapped(this.#items, start, end);
    return makeJob(this, this.#mode, data, start, end - start, transfer, this.#shared);
  }

  refill(job: Job): void {
    if (!(job.data instanceof Float64Array) || job.data.length === job.count) return;
    const packed = packNumbers(this.#items, job.start, job.start + job.count)!;
    job.data = packed;
    job.transfer = [packed.buffer];
  }

  resolveJob(job: Job, value: unknown): void {
    const values = value as R[];
    const results = (this.#results ??= new Array<R>(this.#items.length));
    for (let i = 0; i < values.length; i++) results[job.start + i] = values[i]!;
    this.#remaining -= job.count;
    if (this.#onProgress) {
      try {
        this.#onProgress(this.#items.length - this.#remaining, this.#items.length);
      } catch (error) {
        this.fail(error);
        return;
      }
    }
    if (this.#remaining === 0) {
      this.finish();
      this.#resolve(results);
    }
  }

  rejectJob(_job: Job, error: Error): void {
    this.fail(error);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.finish();
    this.#reject(error);
  }
}

function sliceUnwrapped(items: readonly unknown[], start: number, end: number): [unknown[], TransferItem[] | undefined] {
  const out = new Array<unknown>(end - start);
  let transfer: TransferItem[] | undefined;
  for (let i = start; i < end; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null) {
      const list: TransferItem[] = [];
      out[i - start] = unwrapTransfer(item, list);
      if (list.length > 0) (transfer ??= []).push(...list);
    } else {
      out[i - start] = item;
    }
  }
  return [out, transfer];
}

/** Checks one starmap item: it must be an array of arguments. */
export function checkStarItem(item: unknown, index: number): void {
  if (!Array.isArray(item)) throw new TypeError(`iterable[${index}] must be an array of arguments, got ${show(item)}`);
}

type Outcome = { ok: true; values: unknown[] } | { ok: false; error: unknown };

/**
 * `pool.imap` / `pool.imapUnordered`: reads the input lazily (sync or async
 * iterable), keeps at most `window` chunks between reading and the consumer,
 * and yields results one at a time, in order or as they complete.
 */
export class IterCall<R> extends BaseCall implements AsyncIterableIterator<R> {
  readonly lazy = true;
  readonly #source: Iterator<unknown> | AsyncIterator<unknown>;
  readonly #isAsync: boolean;
  readonly #mode: JobMode;
  readonly #ordered: boolean;
  readonly #chunksize: number;
  readonly #window: number;
  readonly #to: Destination;
  #read = 0;
  #produced = 0;
  #delivered = 0;
  #sourceDone = false;
  #sourceError: { error: unknown; at: number } | undefined;
  #fetching = false;
  #prefetched: Job | undefined;
  #inQueue = false;
  readonly #outcomes = new Map<number, Outcome>();
  readonly #arrivals: Outcome[] = [];
  #buffer: unknown[] = [];
  #bufferAt = 0;
  #waiter: { resolve: (r: IteratorResult<R>) => void; reject: (e: unknown) => void } | undefined;
  #error: { error: unknown } | undefined;

  constructor(
    scheduler: Scheduler,
    o: CommonOptions & { chunksize: number; window: number; ordered: boolean; to: Destination },
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    mode: JobMode,
  ) {
    super(scheduler, o);
    this.#mode = mode;
    this.#ordered = o.ordered;
    this.#chunksize = o.chunksize;
    this.#window = o.window;
    this.#to = o.to;
    const asyncIt = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator];
    this.#isAsync = typeof asyncIt === 'function';
    this.#source = this.#isAsync
      ? (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (iterable as Iterable<unknown>)[Symbol.iterator]();
    if (this.watchSignal()) this.#requeue();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get exhausted(): boolean {
    return this.done || (this.#sourceDone && this.#prefetched === undefined);
  }

  queued(): number {
    return this.#prefetched ? 1 : 0;
  }

  #requeue(): void {
    if (this.#inQueue || this.exhausted) return;
    this.#inQueue = true;
    this.scheduler.enqueue(this);
  }

  take(): Job | undefined {
    this.#inQueue = false;
    if (this.exhausted || this.#produced - this.#delivered >= this.#window) return undefined;
    if (this.#prefetched) {
      const job = this.#prefetched;
      this.#prefetched = undefined;
      this.#produced++;
      if (this.#isAsync) this.#fetch();
      else if (!this.exhausted) this.#inQueue = true; // the scheduler may take again right away
      return job;
    }
    if (this.#isAsync) {
      this.#fetch();
      return undefined;
    }
    const job = this.#readSync();
    if (job) {
      this.#produced++;
      if (!this.exhausted) this.#inQueue = true;
    } else if (this.#sourceDone) {
      // The input ended with nothing more to run (an empty input, say): a waiting consumer learns it now.
      this.#deliver();
    }
    return job;
  }

  #makeJob(items: unknown[]): Job {
    const start = this.#read;
    const transfer: TransferItem[] = [];
    const sharing = { found: false };
    for (let i = 0; i < items.length; i++) {
      if (this.#mode === 'star') checkStarItem(items[i], start + i);
      items[i] = encodeShared(unwrapTransfer(items[i], transfer), this.#to, `iterable[${start + i}]`, sharing);
    }
    // Counted once the chunk is made: one refused above is made again to fail (#readSync), naming the same items.
    this.#read += items.length;
    // Jobs carry a chunk index in `start` for ordered delivery; item positions are `#read`-based.
    return makeJob(this, this.#mode, items, this.#produced, items.length, transfer.length > 0 ? transfer : undefined, sharing.found);
  }

  #readSync(): Job | undefined {
    const items: unknown[] = [];
    const it = this.#source as Iterator<unknown>;
    try {
      while (items.length < this.#chunksize) {
        const r = it.next();
        if (r.done) {
          this.#sourceDone = true;
          break;
        }
        items.push(r.value);
      }
      return items.length > 0 ? this.#makeJob(items) : undefined;
    } catch (error) {
      this.#sourceDone = true;
      this.#sourceError = { error, at: this.#produced + (items.length > 0 ? 1 : 0) };
      if (items.length > 0) {
        try {
          return this.#makeJob(items);
        } catch (e) {
          this.#sourceError = { error: e, at: this.#produced };
        }
      }
      this.#deliver();
      return undefined;
    }
  }

  #fetch(): void {
    if (this.#fetching || this.#sourceDone || this.#prefetched || this.done) return;
    this.#fetching = true;
    void (async () => {
      const items: unknown[] = [];
      const it = this.#source as AsyncIterator<unknown>;
      try {
        while (items.length < this.#chunksize) {
          const r = await it.next();
          if (r.done) {
            this.#sourceDone = true;
            break;
          }
          items.push(r.value);
        }
        if (items.length > 0) this.#prefetched = this.#makeJob(items);
      } catch (error) {
        this.#sourceDone = true;
        this.#sourceError = { error, at: this.#produced + (this.#prefetched ? 1 : 0) };
        this.#deliver();
      } finally {
        this.#fetching = false;
      }
      if (this.#prefetched) this.#requeue();
      else {
        this.#deliver();
        // The input has ended: a closed pool waiting only for this call may now finish.
        this.scheduler.schedule();
      }
    })();
  }

  resolveJob(job: Job, value: unknown): void {
    this.#settleJob(job, { ok: true, values: value as unknown[] });
  }

  rejectJob(job: Job, error: Error): void {
    this.#settleJob(job, { ok: false, error });
  }

  #settleJob(job: Job, outcome: Outcome): void {
    if (this.#ordered) this.#outcomes.set(job.start, outcome);
    else this.#arrivals.push(outcome);
    this.#deliver();
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.#error = { error };
    this.#buffer = [];
    this.#outcomes.clear();
    this.#arrivals.length = 0;
    this.finish();
    this.#closeSource();
    this.#deliver();
  }

  /** Hands the consumer its next value, if one is ready. */
  #deliver(): void {
    const w = this.#waiter;
    if (!w) return;
    // Taken out first: polling may fail the call, which delivers again.
    this.#waiter = undefined;
    const r = this.#poll();
    if (r === undefined) {
      this.#waiter = w;
      return;
    }
    if (r instanceof Promise) r.then(w.resolve, w.reject);
    else w.resolve(r);
  }

  /** The next result, a rejected promise for an error, or undefined when nothing is ready yet. */
  #poll(): IteratorResult<R> | Promise<never> | undefined {
    if (this.#bufferAt < this.#buffer.length) {
      return { done: false, value: this.#buffer[this.#bufferAt++] as R };
    }
    if (this.#error) {
      const { error } = this.#error;
      this.#error = { error: undefined };
      // The user's abort reason or task error is passed through exactly as it was.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return error === undefined ? { done: true, value: undefined } : Promise.reject(error);
    }
    const next = this.#ordered ? this.#outcomes.get(this.#delivered) : this.#arrivals.shift();
    if (next) {
      if (this.#ordered) this.#outcomes.delete(this.#delivered);
      this.#delivered++;
      this.#requeue();
      if (!next.ok) {
        this.fail(next.error);
        return this.#poll();
      }
      this.#buffer = next.values;
      this.#bufferAt = 0;
      return this.#poll();
    }
    if (this.#sourceError && this.#delivered >= this.#sourceError.at && this.#produced === this.#delivered) {
      const { error } = this.#sourceError;
      this.#sourceError = undefined;
      this.fail(error);
      return this.#poll();
    }
    if (this.#sourceDone && !this.#prefetched && !this.#fetching && this.#produced === this.#delivered) {
      this.finish();
      return { done: true, value: undefined };
    }
    return undefined;
  }

  /** The last next() handed out, and how many of them have not settled: a next() made meanwhile waits its turn. */
  #lastNext: Promise<IteratorResult<R>> | undefined;
  #openNexts = 0;

  /** The next result. Calls made before the last one settled are answered in turn, as an async generator's are. */
  next(): Promise<IteratorResult<R>> {
    const next = this.#openNexts > 0 ? this.#lastNext!.then(this.#nextNow, this.#nextNow) : this.#nextNow();
    this.#openNexts++;
    this.#lastNext = next;
    const settled = (): void => void this.#openNexts--;
    next.then(settled, settled);
    return next;
  }

  readonly #nextNow = (): Promise<IteratorResult<R>> => {
    if (this.#waiter) return Promise.reject(new MpError('an imap iterator was asked for its next result while one was pending'));
    const r = this.#poll();
    if (r !== undefined) return r instanceof Promise ? r : Promise.resolve(r);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#requeue();
    });
  };

  /** Stops the call early (a `break` out of `for await`): no more input is read, late results are dropped. */
  return(): Promise<IteratorResult<R>> {
    if (!this.done) {
      this.finish();
      this.#closeSource();
      // A closed pool waiting only for this call may now finish.
      this.scheduler.schedule();
    }
    this.#error = { error: undefined };
    return Promise.resolve({ done: true, value: undefined });
  }

  #closeSource(): void {
    try {
      void this.#source.return?.();
    } catch {
      // a source that fails to close has nothing more to give
    }
  }
}
