/**
 * `Pool`: a fixed set of workers running many calls of a function, as Python's
 * `multiprocessing.Pool`. This facade validates every call at its call site and
 * hands the work to a private `PoolEngine`.
 */
import type { ContextProvider, ResourceLimits, Runtime, TransferItem } from './runtime.js';
import { MpError, PoolClosedError } from './errors.js';
import { PoolEngine, type Timing } from './internal/pool-engine.js';
import { ApplyCall, checkStarItem, IterCall, MapCall } from './internal/calls.js';
import {
  checkArgsShallow,
  checkFunctionOption,
  checkInteger,
  checkKnownOptions,
  checkOptions,
  checkSignal,
  checkTimeout,
  isAsyncIterable,
  isIterable,
  show,
} from './internal/validate.js';
import { toFnSpec, unwrapTransfer, type TaskFn } from './task.js';
import type { FnRef } from './internal/job.js';
import type { FnSpec } from './internal/protocol.js';
import { destinationOf, encodeShared, type Destination } from './internal/shared.js';
import { resolveContext } from './internal/context.js';
import { POOL_LIKE, type PoolLikeOverrides } from './internal/pool-like.js';


/** What `new Pool()` takes (API.md section 3). */
const POOL_OPTIONS = ['processes', 'initializer', 'initargs', 'maxTasksPerChild', 'context', 'resourceLimits'] as const;
/** Options of `new Pool()`. */
export interface PoolOptions {
  /**
   * How many workers.
   * @default cpuCount()
   */
  processes?: number;
  /** Runs once in each worker before its first task, with `initargs`. */
  initializer?: TaskFn<never[], unknown> | TaskFn<unknown[], unknown>;
  /** @default [] */
  initargs?: unknown[];
  /**
   * Replace a worker after it has run this many tasks (a `map` chunk counts as one).
   * @default undefined (workers live as long as the pool)
   */
  maxTasksPerChild?: number;
  /**
   * Where workers run: `'thread'` or, where the runtime offers it, `'process'`; or a context object that brings
   * its own workers, such as `cluster(nc, { name })` from `@mp/nats` (workers on other machines).
   * @default the runtime's first context (`'thread'`)
   */
  context?: string | ContextProvider;
  /** Heap limits per worker, where the runtime supports them (Node threads and processes). */
  resourceLimits?: ResourceLimits;
}

/** Options shared by every pool call. */
export interface CallOptions {
  /** Cancels the call: queued work is dropped, running work is stopped, the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Per-task limit in ms, counted from when its worker is ready to run it (a worker's start-up does not count). */
  timeout?: number;
}

/** Options of `map` and `starmap`. */
export interface MapOptions extends CallOptions {
  /**
   * Items per message to a worker.
   * @default Python's: ceil(length / (4 × workers))
   */
  chunksize?: number;
  /** Called after each chunk with (items done, items in all). */
  onProgress?: (done: number, total: number) => void;
}

/** Options of `imap` and `imapUnordered`. */
export interface IMapOptions extends CallOptions {
  /** @default 1 */
  chunksize?: number;
}

/** Options of `apply`. */
export interface ApplyOptions extends CallOptions {
  /** Buffers to move to the worker instead of copying. */
  transfer?: TransferItem[];
}

/** What `pool.stats()` reports. Times are in milliseconds. */
export interface PoolStats {
  /** Live workers. */
  workers: number;
  /** Workers holding at least one task. */
  busy: number;
  /** Tasks (jobs) waiting for a worker. */
  queued: number;
  /** Items completed (each `apply` is one; each `map` item is one). */
  completed: number;
  /** Tasks (jobs) that failed. */
  failed: number;
  /** Time from handing a task to a worker until its result arrived. */
  runTime: {
    /** Mean, in ms. */
    mean: number;
    /** Longest, in ms. */
    max: number;
  };
  /** Time a task waited for a worker. */
  waitTime: {
    /** Mean, in ms. */
    mean: number;
    /** Longest, in ms. */
    max: number;
  };
  /** Only for a context whose workers run on other machines (a cluster): the hosts that have run this pool's work. */
  hosts?: string[];
}

type Items<A> = Iterable<A> | AsyncIterable<A>;

function timing(t: Timing): { mean: number; max: number } {
  return { mean: t.count === 0 ? 0 : t.total / t.count, max: t.max };
}

/**
 * A pool of workers.
 *
 * @example
 * await using pool = new Pool({ processes: 4 });
 * await pool.map((n: number) => n ** 2, [2, 4, 6, 8, 9]); // [4, 16, 36, 64, 81]
 */
export class Pool {
  readonly #engine: PoolEngine;
  readonly #runtime: Runtime;
  readonly #processes: number;
  readonly #maxTasksPerChild: number | undefined;
  readonly #to: Destination;
  /** What the pool was made with, for pool[POOL_LIKE](). */
  readonly #made: { options: PoolOptions; adapter: Runtime };
  /** Whether a map may send a big chunk as several tasks (only where counting tasks or timing them cannot tell). */
  readonly #splitChunks: boolean;

  /** @param adapter supplied by the adapter's subclass. */
  constructor(options: PoolOptions | undefined, adapter: Runtime) {
    const o = checkKnownOptions('Pool', options, POOL_OPTIONS);
    this.#made = { options: { ...o }, adapter };
    // A context object brings its own runtime (a cluster's workers live on other machines); everything below is the same.
    const { runtime, context } = resolveContext(o.context, adapter);
    this.#runtime = runtime;
    const processes = o.processes === undefined ? runtime.cpuCount() : checkInteger('processes', o.processes, 1);
    const maxTasksPerChild =
      o.maxTasksPerChild === undefined ? undefined : checkInteger('maxTasksPerChild', o.maxTasksPerChild, 1);
    const initializer = o.initializer === undefined ? undefined : toFnSpec(o.initializer, 'initializer');
    const initargs = o.initargs ?? [];
    if (!Array.isArray(initargs)) throw new TypeError(`initargs must be an array, got ${show(initargs)}`);
    checkArgsShallow(initargs, 'initargs');
    const resourceLimits = o.resourceLimits === undefined ? undefined : checkOptions('resourceLimits', o.resourceLimits);
    if (resourceLimits && !runtime.resourceLimits) {
      throw new TypeError(`resourceLimits is not supported on ${runtime.name}: its workers have no per-worker heap limits to set`);
    }
    this.#to = destinationOf(runtime, context);
    const sharing = { found: false };
    const sentInitargs = encodeShared(initargs, this.#to, 'initargs', sharing) as unknown[];
    this.#processes = processes;
    this.#maxTasksPerChild = maxTasksPerChild;
    this.#splitChunks = maxTasksPerChild === undefined;
    this.#engine = new PoolEngine(runtime, {
      processes,
      context,
      initializer,
      initargs: sentInitargs,
      initShared: sharing.found,
      maxTasksPerChild,
      resourceLimits: resourceLimits,
    });
    // Bound, as Python's methods are (`const { map } = pool`, `items.map(...)` with `pool.apply`): a method that
    // returns a promise then never throws for want of its pool (API.md 7).
    this.apply = this.apply.bind(this);
    this.map = this.map.bind(this);
    this.starmap = this.starmap.bind(this);
    this.imap = this.imap.bind(this);
    this.imapUnordered = this.imapUnordered.bind(this);
    this.close = this.close.bind(this);
    this.join = this.join.bind(this);
    this.terminate = this.terminate.bind(this);
  }

  #open(method: string): void {
    const state = this.#engine.state;
    if (state !== 'running') {
      throw new PoolClosedError(`pool.${method}() called after ${state === 'closed' ? 'close()' : 'terminate()'}; the pool takes no more work`);
    }
  }

  #fn(fn: unknown): FnRef {
    return this.#engine.fnRef(fn, specOfFn);
  }

  #common(options: unknown, allowed: string): { o: Record<string, unknown>; timeout: number | undefined; signal: AbortSignal | undefined } {
    if (options === undefined) return NO_OPTIONS;
    const o = checkOptions('options', options);
    for (const key of Object.keys(o)) {
      if (!allowed.includes(`,${key},`)) throw new TypeError(`options.${key} is not an option here; expected one of ${allowed.slice(1, -1).split(',').join(', ')}`);
    }
    const timeout = o.timeout === undefined ? undefined : checkTimeout('timeout', o.timeout);
    const signal = checkSignal('signal', o.signal) as AbortSignal | undefined;
    return { o, timeout, signal };
  }

  /**
   * Calls `fn(...args)` in a worker.
   *
   * @example
   * await pool.apply((a: number, b: number) => a + b, [1, 2]); // 3
   */
  apply<A extends unknown[], R>(fn: TaskFn<A, R>, args?: A, options?: ApplyOptions): Promise<Awaited<R>> {
    // A method that returns a promise never throws (API.md 7): every failure is a rejection.
    try {
      return this.#apply<Awaited<R>>(fn, args, options);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the error as it was raised
      return Promise.reject(error);
    }
  }

  #apply<R>(fn: unknown, args: unknown, options: unknown): Promise<R> {
    this.#open('apply');
    const ref = this.#fn(fn);
    const list = args ?? [];
    if (!Array.isArray(list)) throw new TypeError(`args must be an array, got ${show(list)}`);
    checkArgsShallow(list, 'args');
    const { o, timeout, signal } = this.#common(options, ',signal,timeout,transfer,');
    let transfer: TransferItem[] | undefined;
    if (o.transfer !== undefined) {
      if (!Array.isArray(o.transfer)) throw new TypeError(`transfer must be an array, got ${show(o.transfer)}`);
      transfer = [...(o.transfer as TransferItem[])];
    }
    const data = new Array<unknown>(list.length);
    let objects = false;
    for (let i = 0; i < list.length; i++) {
      const a: unknown = list[i];
      if (typeof a === 'object' && a !== null) {
        objects = true;
        const found: TransferItem[] = [];
        data[i] = unwrapTransfer(a, found);
        if (found.length > 0) (transfer ??= []).push(...found);
      } else data[i] = a;
    }
    // Only objects can be or hold shared objects: the common case of plain values skips the walk.
    const sharing = { found: false };
    const sent = objects ? (encodeShared(data, this.#to, 'args', sharing) as unknown[]) : data;
    return new ApplyCall<R>(this.#engine, { fn: ref, timeout, signal }, sent, transfer, sharing.found).promise;
  }

  /** `map`/`starmap`: every failure, from bad arguments to an input that throws, is a rejection. */
  #mapCall<R>(method: string, fn: unknown, iterable: unknown, options: unknown, star: boolean): Promise<R[]> {
    try {
      this.#open(method);
      if (!isIterable(iterable) && isAsyncIterable(iterable)) return this.#mapAsyncInput<R>(method, fn, iterable, options, star);
      return this.#mapList<R>(method, fn, iterable, options, star);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the error as it was raised
      return Promise.reject(error);
    }
  }

  /**
   * `map` over an async iterable: its items are read first (the call's signal stops the reading), then mapped as a
   * list. The call is the pool's work from the start: `close()` lets it finish and `join()` waits for it, as for a
   * list given to `map`; `terminate()` (or a pool that breaks) ends the reading and rejects it.
   */
  async #mapAsyncInput<R>(method: string, fn: unknown, iterable: AsyncIterable<unknown>, options: unknown, star: boolean): Promise<R[]> {
    this.#fn(fn);
    const { signal } = this.#common(options, MAP_OPTIONS);
    const items: unknown[] = [];
    const it = iterable[Symbol.asyncIterator]();
    // An abort or the pool's end settles the call at once, even while the input is still waiting to yield.
    let stop!: (error: unknown) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    stopped.catch(() => undefined); // raced below while reading; a stop after that has nobody to tell
    const onAbort = (): void => stop(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let reading = true;
    const doneReading = this.#engine.beginReading((error) => stop(error));
    try {
      for (;;) {
        signal?.throwIfAborted();
        const r = await Promise.race([it.next(), stopped]);
        if (r.done) break;
        items.push(r.value);
      }
      reading = false;
      // Accepted before any close(): it goes on as the list it read, whatever the pool's state is now.
      return this.#mapList<R>(method, fn, items, options, star, true);
    } catch (error) {
      // Stop a source that is still open (an abort, the pool's end); one that threw has ended itself.
      if (reading && (signal?.aborted || this.#engine.state !== 'running')) void Promise.resolve(it.return?.()).catch(() => undefined);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      doneReading();
    }
  }

  #mapList<R>(method: string, fn: unknown, iterable: unknown, options: unknown, star: boolean, accepted = false): Promise<R[]> {
    if (!accepted) this.#open(method);
    const ref = this.#fn(fn);
    if (!isIterable(iterable)) {
      throw new TypeError(`iterable must be an iterable or async iterable (an array, a Set, a generator…), got ${show(iterable)}`);
    }
    const { o, timeout, signal } = this.#common(options, MAP_OPTIONS);
    let items: unknown[] = Array.isArray(iterable) ? iterable : [...iterable];
    let copied = !Array.isArray(iterable);
    const sharing = { found: false };
    let plain = true;
    // Without star, only objects, functions and symbols need a look; a small loop finds them fast.
    const next = (from: number): number => (!star ? firstNonPrimitive(items, from) : from < items.length ? from : -1);
    for (let i = next(0); i >= 0; i = next(i + 1)) {
      const item: unknown = items[i];
      if (star) checkStarItem(item, i);
      const t = typeof item;
      if (t === 'function' || t === 'symbol') throw new TypeError(`iterable[${i}] could not be cloned (${t})`);
      if (t !== 'object' || item === null) continue;
      plain = false;
      if (star) checkArgsShallow(item as unknown[], `iterable[${i}]`);
      const sent = encodeShared(item, this.#to, `iterable[${i}]`, sharing);
      if (sent !== item) {
        if (!copied) {
          items = items.slice();
          copied = true;
        }
        items[i] = sent;
      }
    }
    let chunksize: number;
    if (o.chunksize === undefined) {
      chunksize = Math.max(1, Math.ceil(items.length / (this.#processes * 4)));
    } else chunksize = checkInteger('chunksize', o.chunksize, 1);
    const onProgress = checkFunctionOption('onProgress', o.onProgress) as ((d: number, t: number) => void) | undefined;
    // A chunk travels as tasks of at most MAP_PART_ITEMS items, so workers start on it while the rest is still
    // being copied, and results come back as they are made. Not when maxTasksPerChild counts chunks or a
    // timeout times them: there a task is exactly one chunk, as in Python.
    if (this.#splitChunks && timeout === undefined) chunksize = Math.min(chunksize, MAP_PART_ITEMS);
    const settings = { fn: ref, timeout, signal, chunksize, onProgress, shared: sharing.found, plain };
    return new MapCall<R>(this.#engine, settings, items, star ? 'star' : 'map').promise;
  }

  /**
   * Calls `fn(item)` for every item, in parallel; resolves to the results in input order.
   * Rejects on the first error and hands out none of the rest of the call's work. The input may be
   * an iterable or an async iterable (read to its end first; use `imap` to read lazily).
   *
   * @example
   * await pool.map((n: number) => n ** 2, [1, 2, 3]); // [1, 4, 9]
   */
  map<A, R>(fn: TaskFn<[A], R>, iterable: Items<A>, options?: MapOptions): Promise<Awaited<R>[]> {
    return this.#mapCall<Awaited<R>>('map', fn, iterable, options, false);
  }

  /**
   * Like `map`, with each item an argument list: `fn(...item)`.
   *
   * @example
   * await pool.starmap((a: number, b: number) => a * b, [[1, 2], [3, 4]]); // [2, 12]
   */
  starmap<A extends unknown[], R>(fn: TaskFn<A, R>, iterable: Items<A>, options?: MapOptions): Promise<Awaited<R>[]> {
    return this.#mapCall<Awaited<R>>('starmap', fn, iterable, options, true);
  }

  /** `imap`/`imapUnordered`: a failure at the call (bad arguments, a closed pool) is the iteration's first result. */
  #iter<R>(method: string, fn: unknown, iterable: unknown, options: unknown, ordered: boolean): AsyncIterableIterator<R> {
    try {
      return this.#iterCall<R>(method, fn, iterable, options, ordered);
    } catch (error) {
      return failedIteration<R>(error);
    }
  }

  #iterCall<R>(method: string, fn: unknown, iterable: unknown, options: unknown, ordered: boolean): AsyncIterableIterator<R> {
    this.#open(method);
    const ref = this.#fn(fn);
    if (!isIterable(iterable) && !isAsyncIterable(iterable)) {
      throw new TypeError(`iterable must be an iterable or async iterable, got ${show(iterable)}`);
    }
    const { o, timeout, signal } = this.#common(options, ITER_OPTIONS);
    const chunksize = o.chunksize === undefined ? 1 : checkInteger('chunksize', o.chunksize, 1);
    const window = Math.max(4, this.#processes * 4);
    const settings = { fn: ref, timeout, signal, chunksize, window, ordered, to: this.#to };
    return new IterCall<R>(this.#engine, settings, iterable as Items<unknown>, 'map');
  }

  /**
   * Lazily maps `fn` over `iterable` (which may be endless or async), yielding results in input order.
   * Input is read only a bounded distance ahead of the consumer.
   *
   * @example
   * for await (const sq of pool.imap((n: number) => n * n, naturals())) if (sq > 100) break;
   */
  imap<A, R>(fn: TaskFn<[A], R>, iterable: Items<A>, options?: IMapOptions): AsyncIterableIterator<Awaited<R>> {
    return this.#iter<Awaited<R>>('imap', fn, iterable, options, true);
  }

  /** Like `imap`, yielding results as they complete. */
  imapUnordered<A, R>(fn: TaskFn<[A], R>, iterable: Items<A>, options?: IMapOptions): AsyncIterableIterator<Awaited<R>> {
    return this.#iter<Awaited<R>>('imapUnordered', fn, iterable, options, false);
  }

  /** Takes no more work; running and queued work finishes, then the workers end. */
  close(): void {
    this.#engine.close();
  }

  /** Resolves once a closed pool has finished its work and its workers have ended. Rejects on a pool still open. */
  join(): Promise<void> {
    if (this.#engine.state === 'running') {
      return Promise.reject(new MpError('pool.join() called on a pool that is still open; call close() or terminate() first'));
    }
    return this.#engine.join();
  }

  /** Stops every worker now; every pending call rejects with `PoolClosedError`. */
  terminate(): Promise<void> {
    return this.#engine.terminate();
  }

  /** `await using pool = new Pool()` terminates the pool at the end of the block, as Python's `with Pool() as p:`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /**
   * The pool's `maxTasksPerChild` option: after how many tasks a worker is replaced (`undefined`: never). Whoever
   * runs work on a pool it was handed (a cluster host) reads it to keep each task counted as one.
   */
  get maxTasksPerChild(): number | undefined {
    return this.#maxTasksPerChild;
  }

  /** @internal A new pool like this one with some options replaced (internal/pool-like.ts: for a cluster host). */
  [POOL_LIKE](overrides: PoolLikeOverrides): Pool {
    return new Pool({ ...this.#made.options, ...overrides }, this.#made.adapter);
  }

  /** A snapshot of the pool's workers, queue and timings. */
  stats(): PoolStats {
    const e = this.#engine;
    return {
      workers: e.workers,
      busy: e.busy,
      queued: e.queued(),
      completed: e.stats.completed,
      failed: e.stats.failed,
      runTime: timing(e.stats.run),
      waitTime: timing(e.stats.wait),
      ...(this.#runtime.hosts ? { hosts: this.#runtime.hosts() } : {}),
    };
  }
}

/**
 * The index of the first item at or after `from` that is an object, a function or a symbol,
 * or -1. Kept small on purpose: V8 compiles a small loop at once, while the loop inside a big
 * function ran unoptimized for a 1,000,000-item map (about 20 ms against 2).
 */
function firstNonPrimitive(items: readonly unknown[], from: number): number {
  for (let i = from; i < items.length; i++) {
    const item = items[i];
    const t = typeof item;
    if (t === 'object' ? item !== null : t === 'function' || t === 'symbol') return i;
  }
  return -1;
}

const MAP_OPTIONS = ',signal,timeout,chunksize,onProgress,';
const ITER_OPTIONS = ',signal,timeout,chunksize,';

/** An iteration whose first `next()` rejects with `error`, then ends: how `imap` reports a failure at the call. */
function failedIteration<R>(error: unknown): AsyncIterableIterator<R> {
  let failure: { error: unknown } | undefined = { error };
  const it: AsyncIterableIterator<R> = {
    next() {
      const f = failure;
      failure = undefined;
      // The error is passed through exactly as it was raised.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      return f ? Promise.reject(f.error) : Promise.resolve({ done: true, value: undefined });
    },
    return() {
      failure = undefined;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

/** The most items one map task carries when a chunk may be split (see #mapCall). */
const MAP_PART_ITEMS = 8192;

/** What `#common` returns for a call without options: shared, so the hot path allocates nothing for it. */
const NO_OPTIONS = Object.freeze({ o: Object.freeze({}), timeout: undefined, signal: undefined });

/** A function's spec, for the engine to call only the first time it sees the function (no closure per call). */
function specOfFn(fn: unknown): FnSpec {
  return toFnSpec(fn, 'fn');
}
