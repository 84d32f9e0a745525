/**
 * The scheduler behind `Pool`: it owns the workers, hands jobs to them in
 * batches (all the jobs given to one worker in one tick travel in one message),
 * and turns every way a worker can end into the right outcome for the jobs it
 * held. Calls (apply, map, imap) only produce jobs and consume results.
 */
import { endGently } from './signals.js';
import { setLongTimeout } from './long-timer.js';
import type { ResourceLimits, Runtime, TransferItem, WorkerHandle } from '../runtime.js';
import type { FnSpec, FromWorker, ToWorker, WireJob, WireResult } from './protocol.js';
import type { Call, FnRef, Job } from './job.js';
import { PoolClosedError, RemoteError, TimeoutError, WorkerExitError } from '../errors.js';
import { ownError, serializeError, toRemoteError } from './error-wire.js';
import { findUncloneable } from './validate.js';
import { currentProcess } from '../identity.js';
import { serveWorker, type WorkerService } from './rpc.js';
import { checkFromWorker } from './wire-check.js';
import { AnswerWaitChooser, BLOCK, LOOP, type AnswerWait } from './answer-wait.js';
import { canLane, createLane, laneCodecReady, ParentLane } from './lane.js';
import { markStopped, newStopCell } from './wait.js';
import { addDaemon } from './daemons.js';

const RESOLVED = Promise.resolve();
/** Most items one batch message carries; bigger jobs (map chunks) travel alone. */
const BATCH_ITEMS = 256;
/** Most work (by measured cost) one batch carries, so batching never starves an idle worker. */
const BATCH_MS = 2;
/** Most bytes (of buffers and strings) one batch carries: big payloads travel one per message. */
const BATCH_BYTES = 1 << 20;
/** A job expected to take this long goes only to an idle worker: Python's pull model, best for uneven tasks. */
const LONG_JOB_MS = 1;
/** Most batch messages outstanding per worker, so a worker never waits for a round trip. */
const MAX_BATCHES = 2;
/**
 * Jobs too big to share a batch (map parts) may have more outstanding, up to AHEAD_BATCHES, while what a worker
 * has waiting is known to take at most AHEAD_MS: two quick parts (8,192 items of `x => x + 1`, under a
 * millisecond each) were done before the parent, busy copying the other worker's, had sent the next, and the
 * workers waited. Bun, a 1M-item map (4 fresh processes each): 2 outstanding 6.0M items/s, 4: 6.35M, 8: 6.7M,
 * 16: 6.8M, against 6.75M for a raw `Worker` baseline sent everything at once.
 */
const AHEAD_MS = 6;
const AHEAD_BATCHES = 16;
/** Workers that die before becoming ready this many times in a row break the pool. */
const MAX_EARLY_DEATHS = 3;
/**
 * The parent waits for a batch's answer blocking (WorkerHandle.pollSync) only when the batch is expected
 * back within this long: an awaited task's result is then taken the moment the worker posts it, instead of
 * when the event loop wakes for it (Node: about 20 µs). A function not measured yet gets the same wait.
 */
const SPIN_MS = 0.2;
/** Most time the answers taken that way may hold this thread before its event loop turns (timers, I/O). */
const SPIN_TURN_MS = 2;

export interface EngineOptions {
  processes: number;
  context: string;
  initializer: FnSpec | undefined;
  initargs: unknown[];
  /** Whether `initargs` holds descriptions of shared objects. */
  initShared: boolean;
  maxTasksPerChild: number | undefined;
  resourceLimits: ResourceLimits | undefined;
}

interface Slot {
  handle: WorkerHandle;
  name: string;
  inflight: Map<number, Job>;
  batches: number;
  outgoing: Job[];
  outgoingItems: number;
  outgoingBytes: number;
  known: Set<number>;
  assigned: number;
  ready: boolean;
  stopping: boolean;
  exclusive: boolean;
  /** Whether the pool needs this worker to keep the program alive (it has work, or is ending). */
  ref: boolean;
  /** What its handle was last told (setRef): `ref`, or held by a pending wait (#held). */
  referenced: boolean;
  lastError: unknown;
  /** It sent a malformed message: nothing more it sends is trusted, and it is being ended. */
  condemned: boolean;
  /** Serves this worker's manager calls, once it makes one; ended with the worker. */
  rpc?: WorkerService;
  /** Set before the worker is stopped, where it shares memory (wait.ts: a blocked wait it wakes from takes nothing). */
  stop?: Int32Array | undefined;
  /** Batches sent and not yet answered, oldest first, to learn what their functions cost. */
  sent: SentBatch[];
  /** Kills it if it has not ended in time after it was asked to (endGently, signals.ts). */
  killLater?: ReturnType<typeof setTimeout>;
}

interface SentBatch {
  items: number;
  fns: FnRef[];
  /** When it was posted (performance.now()). */
  at: number;
  /** How its answer was awaited, when it was a lone batch (answer-wait.ts): its round trip is measured. */
  way?: AnswerWait;
}

export interface Timing {
  count: number;
  total: number;
  max: number;
}

export class PoolEngine {
  readonly #runtime: Runtime;
  /** The workers time tasks themselves (Runtime.timesTasks): jobs carry their timeout and no timer runs here. */
  readonly #timesTasks: boolean;
  /** The workers share memory with this side (a stop cell each, Slot.stop). */
  readonly #sharesMemory: boolean;
  readonly #o: EngineOptions;
  /**
   * The live workers. A list, replaced (never changed in place) when one starts or ends, so a loop over it is
   * never disturbed; the loops of every task index it, cheaper than an iterator before V8 optimizes them.
   */
  #slots: Slot[] = [];
  readonly #retry: Job[] = [];
  #sources: Call[] = [];
  /**
   * Calls that were enqueued and may still produce work: a lazy call (imap) leaves the queue while it
   * waits for its input or its consumer, and must still keep a closed pool's workers and fail on terminate.
   * Only lazy calls are kept here (apply and map are always in the queue or in a worker while they have work).
   */
  readonly #lazy = new Set<Call>();
  /**
   * Calls still reading their async input before they have jobs (`map` over an async iterable): `join()` waits
   * for them, as for any work accepted before `close()`, and `terminate()` fails them (each entry fails its call).
   */
  readonly #readers = new Set<(error: Error) => void>();
  #head = 0;
  #scheduled = false;
  #state: 'running' | 'closed' | 'terminated' = 'running';
  #broken: Error | undefined;
  #earlyDeaths = 0;
  #workerCounter = 0;
  #ended: Promise<void> | undefined;
  #markEnded: (() => void) | undefined;
  readonly #fnByKey = new Map<string, FnRef>();
  readonly #fnByFunction = new WeakMap<object, FnRef>();
  #nextFnId = 1;
  readonly #cores: number;
  /** Whether workers get a lane (lane.ts): they share memory, and the runtime allows the fast path. */
  readonly #lanes: boolean;
  readonly stats = { completed: 0, failed: 0, run: { count: 0, total: 0, max: 0 }, wait: { count: 0, total: 0, max: 0 } };
  /**
   * Whether an awaitable wait with no timeout is pending on this thread (daemons.ts): then every live worker
   * keeps the program alive, idle or not, since what the wait needs may come from one (a task left a timer
   * that puts on a queue later), as Python's main process blocks in `q.get()` while its pool lives.
   */
  #held = false;
  /** Ends that, once every worker has ended. */
  #removeHold: (() => void) | undefined;

  constructor(runtime: Runtime, options: EngineOptions) {
    this.#runtime = runtime;
    this.#timesTasks = runtime.timesTasks === true;
    this.#o = options;
    this.#cores = runtime.cpuCount();
    this.#sharesMemory = runtime.sharesMemory?.(options.context) ?? true;
    this.#lanes = runtime.fastPath !== false && this.#cores >= 2 && this.#sharesMemory && canLane();
    for (let i = 0; i < options.processes; i++) this.#spawn();
    this.#removeHold = addDaemon({ hold: () => this.#hold(true), release: () => this.#hold(false) });
  }

  #hold(held: boolean): void {
    this.#held = held;
    for (const slot of this.#slots) this.#setRef(slot, slot.ref);
  }

  get state(): 'running' | 'closed' | 'terminated' {
    return this.#state;
  }

  get workers(): number {
    return this.#slots.length;
  }

  get busy(): number {
    let n = 0;
    for (const s of this.#slots) if (s.inflight.size > 0) n++;
    return n;
  }

  queued(): number {
    let n = this.#retry.length;
    for (let i = this.#head; i < this.#sources.length; i++) n += this.#sources[i]!.queued();
    return n;
  }

  /** The pool-wide id of a function, so its spec crosses to each worker once. */
  fnRef(fn: unknown, spec: (fn: unknown) => FnSpec): FnRef {
    const isObj = (typeof fn === 'function' || typeof fn === 'object') && fn !== null;
    if (isObj) {
      const hit = this.#fnByFunction.get(fn);
      if (hit) return hit;
    }
    const s = spec(fn);
    const key = s.kind === 'source' ? `s:${s.source}` : `m:${s.url}#${s.name}`;
    let ref = this.#fnByKey.get(key);
    if (!ref) this.#fnByKey.set(key, (ref = { id: this.#nextFnId++, spec: s, cost: -1 }));
    if (isObj) this.#fnByFunction.set(fn, ref);
    return ref;
  }

  /**
   * A call begins reading its input (see #readers): `fail` ends it if the pool is terminated or breaks first.
   * The returned function says the reading is over (the call has enqueued its jobs, or failed).
   */
  beginReading(fail: (error: Error) => void): () => void {
    this.#readers.add(fail);
    return () => {
      if (this.#readers.delete(fail)) this.#maybeFinish();
    };
  }

  /** Adds a call that has (or will have) jobs to hand out. */
  enqueue(call: Call): void {
    if (this.#broken) {
      call.fail(this.#broken);
      return;
    }
    if (this.#state === 'terminated') {
      // A lazy call that comes back for more after terminate() (its async input yielded late) ends here.
      call.fail(new PoolClosedError('the pool was terminated before this work finished'));
      return;
    }
    this.#sources.push(call);
    if (call.lazy) this.#lazy.add(call);
    this.schedule();
  }

  /** Runs the dispatcher at the end of this tick, so calls made together batch together. */
  readonly #pumpNow = (): void => this.#pump();

  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A resolved promise's reaction, not queueMicrotask: Node makes an AsyncResource for each of those
    // (measured on Node 20, unoptimized: 1.6 µs of a pool task's 10 µs of JavaScript; 0.17 µs against 0.03 optimized).
    void RESOLVED.then(this.#pumpNow);
  }

  /** The next job to run again (after its worker died or was stopped), skipping those whose call has settled. */
  #takeRetry(): Job | undefined {
    while (this.#retry.length > 0) {
      const job = this.#retry.shift()!;
      if (!job.call.done) return job;
    }
    return undefined;
  }

  /** A job taken from its call that no worker could take yet; it goes first next time. */
  #pending: Job | undefined;

  #pump(): void {
    this.#scheduled = false;
    if (this.#state === 'terminated') return;
    let flushed: Slot | undefined;
    let flushes = 0;
    // Fill the batches, send them, and go on while a worker may still take another batch
    // (up to MAX_BATCHES each): a worker then finds its next batch waiting when it ends one.
    for (let sent = true; sent; ) {
      for (;;) {
        const job = this.#pending ?? this.#take();
        if (!job) break;
        if (job.call.done) {
          // Its call settled (aborted, timed out, failed) while the job waited for a worker: drop it, never run it.
          this.#pending = undefined;
          continue;
        }
        const slot = this.#slotFor(job);
        if (!slot) {
          if (job.queuedAt < 0) job.queuedAt = performance.now();
          this.#pending = job;
          break;
        }
        this.#pending = undefined;
        this.#assign(job, slot);
      }
      sent = false;
      const slots = this.#slots;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (slot.outgoing.length === 0) continue;
        this.#flush(slot);
        flushed = slot;
        flushes++;
        sent = true;
      }
      if (!this.#pending) break;
    }
    this.#maybeFinish();
    if (flushes === 1) this.#awaitAnswer(flushed!);
  }

  /** When the current event-loop turn began taking answers by pollSync (see SPIN_TURN_MS). */
  #spinTurn: number | undefined;
  /** How lone batches' answers are awaited: measured, see answer-wait.ts. */
  readonly #answerWait = new AnswerWaitChooser();

  /**
   * Whether a batch to `slot` (`items` items of `fns`; `batches` it holds with it) is small, its worker idle, nothing else
   * running, and a second core there for this thread's wait: the caller is then most likely awaiting its answer (`await
   * pool.apply(...)` in a loop), and the answer may be taken synchronously, the moment it is posted.
   */
  #lone(slot: Slot, items: number, fns: FnRef[], batches: number): boolean {
    if (!slot.handle.pollSync || !slot.ready || slot.batches !== batches || slot.stopping) return false;
    for (let i = 0; i < fns.length; i++) if (fns[i]!.cost * items >= SPIN_MS) return false;
    // Nothing else running, and a core for this thread beside the worker's.
    if (this.#cores < 2) return false;
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== slot && slots[i]!.inflight.size > 0) return false;
    return true;
  }

  /**
   * The one batch just sent is lone (#lone, still so now that every batch of this turn has gone): wait for
   * its answer the way the chooser says, and measure it. Waiting by pollSync is bounded, so a slow answer
   * still comes through the event loop, and so a long run of awaited tasks lets the event loop turn every
   * SPIN_TURN_MS.
   */
  #awaitAnswer(slot: Slot): void {
    const batch = slot.sent[0];
    if (!batch || slot.sent.length !== 1 || !this.#lone(slot, batch.items, batch.fns, 1)) return;
    const way = this.#answerWait.way;
    if (way === LOOP) {
      batch.way = way;
      return;
    }
    const start = performance.now();
    if (this.#spinTurn === undefined) {
      this.#spinTurn = start;
      setTimeout(() => (this.#spinTurn = undefined), 0);
    } else if (start - this.#spinTurn > SPIN_TURN_MS) {
      return;
    }
    batch.way = way;
    // Other messages (a manager call, 'ready') may come first: deliver them and go on waiting.
    const handle = slot.handle;
    for (let left = SPIN_MS; slot.sent[0] === batch && !slot.stopping; left = SPIN_MS - (performance.now() - start)) {
      if (left <= 0 || !handle.pollSync!(left)) return;
    }
  }

  #take(): Job | undefined {
    const retried = this.#takeRetry();
    if (retried) return retried;
    while (this.#head < this.#sources.length) {
      const call = this.#sources[this.#head]!;
      const job = call.done ? undefined : call.take();
      if (job) {
        if (call.exhausted) this.#advance();
        // Its wait starts now; the clock is read only if it has to wait (#pump), else its flush's time is used.
        job.queuedAt = -1;
        return job;
      }
      // Exhausted, done, or waiting (it re-enqueues itself when it can go on).
      this.#advance();
    }
    return undefined;
  }

  /**
   * Moves past the call at the head. Calls behind the head are dropped once they are half the list (amortized
   * O(1) a call), and soon: each holds its promise and settled value, and `await pool.apply(...)` in a loop adds
   * one a task. Kept for 1,024 calls, they outlived young-generation collections, each of which then copied and
   * promoted them (Node 20: the parent's heap grew by 2 MB over 5,000 awaited applies, and its scavenges took
   * 1–3 ms each instead of 0.2).
   */
  #advance(): void {
    this.#head++;
    if (this.#head > 32 && this.#head * 2 > this.#sources.length) {
      this.#sources = this.#sources.slice(this.#head);
      this.#head = 0;
    }
  }

  #slotFor(job: Job): Slot | undefined {
    let best: Slot | undefined;
    let bestLoad = Infinity;
    const max = this.#o.maxTasksPerChild;
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.stopping || slot.exclusive) continue;
      if (max !== undefined && slot.assigned >= max) continue;
      if (job.isolate) {
        if (slot.inflight.size === 0 && slot.outgoing.length === 0) return slot;
        continue;
      }
      if (!this.#fits(job, slot)) continue;
      const load = slot.inflight.size + slot.outgoingItems + slot.batches * BATCH_ITEMS;
      if (load < bestLoad) {
        best = slot;
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * Whether `slot` may take `job` now. Cheap work is batched and pipelined for
   * throughput; work that is long, or not yet measured, goes only to an idle
   * worker, so uneven tasks spread as they would over Python's shared queue.
   */
  #fits(job: Job, slot: Slot): boolean {
    const idle = slot.inflight.size === 0 && slot.outgoing.length === 0;
    const cost = job.call.fn.cost;
    if (cost < 0 || cost * job.count >= LONG_JOB_MS) {
      if (idle || job.isolate) return idle;
      // One long job may wait in a busy worker, so the next one's copy overlaps this one's run;
      // not near the end of the queue, where it could wait behind a long job while a worker idles.
      return slot.inflight.size === 1 && slot.outgoing.length === 0 && this.#queuedMoreThan(this.#slots.length);
    }
    // A big copied payload goes only to a worker with nothing in flight: with two 8 MiB copies in flight per
    // worker, 64 cloned tasks took 103 ms (84–141) against 80 ms (71–87) one at a time, fewer buffers alive at once.
    if (slot.outgoing.length === 0) {
      if (job.weight >= BATCH_BYTES) return slot.batches < 1;
      if (slot.batches < MAX_BATCHES) return true;
      return job.count > BATCH_ITEMS && slot.batches < AHEAD_BATCHES && this.#aheadMs(slot) + cost * job.count <= AHEAD_MS;
    }
    const items = slot.outgoingItems + job.count;
    return items <= BATCH_ITEMS && items * cost <= BATCH_MS && slot.outgoingBytes + job.weight <= BATCH_BYTES;
  }

  /** What the batches a worker has been sent and not answered are expected to take, by their functions' measured cost. */
  #aheadMs(slot: Slot): number {
    let ms = 0;
    for (let i = 0; i < slot.sent.length; i++) {
      const batch = slot.sent[i]!;
      for (let k = 0; k < batch.fns.length; k++) {
        const cost = batch.fns[k]!.cost;
        if (cost < 0) return Infinity;
        ms += cost * batch.items;
      }
    }
    return ms;
  }

  /** Whether more than `n` jobs wait, counting only as far as needed. */
  #queuedMoreThan(n: number): boolean {
    let count = this.#retry.length;
    for (let i = this.#head; count <= n && i < this.#sources.length; i++) count += this.#sources[i]!.queued();
    return count > n;
  }

  #assign(job: Job, slot: Slot): void {
    slot.outgoing.push(job);
    slot.outgoingItems += job.count;
    slot.outgoingBytes += job.weight;
    slot.assigned++;
    if (job.isolate) slot.exclusive = true;
  }

  #flush(slot: Slot): void {
    const jobs = slot.outgoing;
    slot.outgoing = [];
    slot.outgoingItems = 0;
    slot.outgoingBytes = 0;
    const wire: WireJob[] = new Array<WireJob>(jobs.length);
    let transfer: TransferItem[] | undefined;
    let introduced: number[] | undefined;
    let items = 0;
    const fns: FnRef[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      const fn = job.call.fn;
      const w: WireJob = { id: job.id, fn: fn.id, mode: job.mode, data: job.data };
      if (job.start > 0 && job.mode !== 'apply') w.at = job.start;
      if (this.#timesTasks && job.call.timeout !== undefined) w.timeout = job.call.timeout;
      if (job.shared) w.shared = true;
      else if (job.data instanceof Float64Array) w.packed = true;
      if (!slot.known.has(fn.id) && !introduced?.includes(fn.id)) {
        w.spec = fn.spec;
        (introduced ??= []).push(fn.id);
      }
      wire[i] = w;
      if (job.transfer) (transfer ??= []).push(...job.transfer);
      items += job.count;
      if (!fns.includes(fn)) fns.push(fn);
    }
    const message: ToWorker = { type: 'run', jobs: wire };
    // After a lone batch whose answer is awaited blocking, the worker waits a moment for its next batch
    // (linger), the other half of that way (answer-wait.ts): the awaiting caller sends it at once.
    if (this.#answerWait.way === BLOCK && this.#lone(slot, items, fns, 0)) message.linger = true;
    try {
      slot.handle.postMessage(message, transfer);
    } catch (error) {
      this.#cloneFailed(slot, jobs, error);
      return;
    }
    if (introduced) for (const id of introduced) slot.known.add(id);
    slot.batches++;
    const now = performance.now();
    slot.sent.push({ items, fns, at: now });
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      job.startedAt = now;
      if (job.queuedAt < 0) job.queuedAt = now;
      slot.inflight.set(job.id, job);
      if (slot.ready) this.#startTimer(slot, job);
    }
    this.#setRef(slot, true);
  }

  /**
   * A task's timeout counts from when it can start running (API.md 3): not while its worker is still
   * starting, which on a loaded machine can take longer than the timeout — every task sent to a fresh
   * worker would then time out, and its replacement start just as slowly.
   */
  #startTimer(slot: Slot, job: Job): void {
    const ms = job.call.timeout;
    if (ms === undefined || job.timer !== undefined || this.#timesTasks) return;
    // Any finite timeout, however long: setTimeout alone fires at once past 2^31-1 ms (long-timer.ts).
    job.timer = setLongTimeout(() => this.#timedOut(slot, job, ms), ms);
  }

  /** A batch could not be cloned: fail the jobs that hold the uncloneable value, send the rest again. */
  #cloneFailed(slot: Slot, jobs: Job[], error: unknown): void {
    const good: Job[] = [];
    for (const job of jobs) {
      slot.assigned--;
      const found = describeUncloneable(job);
      if (found) this.#failJob(job, new TypeError(found, { cause: error }));
      else good.push(job);
    }
    if (good.length === jobs.length) {
      // A RangeError is the handle's own refusal of the batch's size (a cluster's max_payload): said as it was.
      const failure = error instanceof RangeError ? error : new TypeError(`the task's data could not be sent to a worker: ${String(error)}`, { cause: error });
      for (const job of good) this.#failJob(job, failure);
      slot.exclusive = false;
      return;
    }
    slot.exclusive = false;
    for (const job of good) this.#assign(job, slot);
    if (good.length > 0) this.#flush(slot);
  }

  #failJob(job: Job, error: Error): void {
    this.stats.failed++;
    if (!job.call.done) job.call.rejectJob(job, error);
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (slot.condemned) return;
    const problem = checkFromWorker(message);
    if (problem === 'foreign') return; // a task's own message on the same port: not mp's business
    if (problem !== undefined) return this.#violation(slot, problem);
    if (message.type === 'initFailed' && slot.ready) return this.#violation(slot, `'initFailed' message after the worker was ready`);
    switch (message.type) {
      case 'done':
        this.#onDone(slot, message.results, message.ms);
        return;
      case 'ready':
        slot.ready = true;
        this.#earlyDeaths = 0;
        for (const job of slot.inflight.values()) this.#startTimer(slot, job);
        return;
      case 'initFailed': {
        const error = toRemoteError(message.error);
        const broken = new RemoteError(`the pool's initializer failed: ${error.message}`, {
          remoteName: error.remoteName,
          remoteStack: error.remoteStack,
          cause: error.cause,
        });
        this.#break(broken);
        return;
      }
      case 'targetDone':
        return;
      case 'uncaught':
        slot.lastError = toRemoteError(message.error);
        return;
      case 'rpc':
        (slot.rpc ??= serveWorker((data) => slot.handle.postMessage({ type: 'rpc', data }))).take(message.data);
        return;
    }
  }

  /**
   * The worker sent something that claims to be mp's and is not well formed (a task posting to the
   * port mp uses): its state cannot be trusted. It is ended as if it had crashed, so the task it ran
   * fails with a `WorkerExitError` that names the message, and a replacement starts.
   */
  #violation(slot: Slot, problem: string): void {
    if (slot.stopping || slot.condemned) return;
    slot.condemned = true;
    slot.lastError ??= new TypeError(`worker ${slot.name} sent a malformed ${problem}`);
    markStopped(slot.stop);
    slot.handle.terminate('SIGKILL');
  }

  #onDone(slot: Slot, results: WireResult[], ms: number): void {
    slot.batches--;
    const now = performance.now();
    const batch = slot.sent.shift();
    if (batch?.way !== undefined) this.#answerWait.record(batch.way, now - batch.at);
    if (batch) {
      // The worker's own measure: message latency and load elsewhere do not count.
      const perItem = ms / Math.max(1, batch.items);
      for (let i = 0; i < batch.fns.length; i++) {
        const fn = batch.fns[i]!;
        fn.cost = fn.cost < 0 ? perItem : fn.cost * 0.7 + perItem * 0.3;
      }
    }
    const { run, wait } = this.stats;
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      const job = slot.inflight.get(r.id);
      if (!job) continue;
      slot.inflight.delete(r.id);
      job.timer?.clear();
      if (job.isolate) slot.exclusive = false;
      const ran = now - job.startedAt;
      const waited = job.startedAt - job.queuedAt;
      run.count++;
      run.total += ran;
      if (ran > run.max) run.max = ran;
      wait.count++;
      wait.total += waited;
      if (waited > wait.max) wait.max = waited;
      if (r.ok) {
        this.stats.completed += job.count;
        if (!job.call.done) job.call.resolveJob(job, r.value);
      } else {
        this.#failJob(job, r.own ? ownError(r.error) : toRemoteError(r.error));
      }
    }
    const max = this.#o.maxTasksPerChild;
    if (slot.inflight.size === 0 && !slot.stopping) {
      this.#setRef(slot, false);
      if (max !== undefined && slot.assigned >= max) this.#stop(slot, 'SIGTERM');
    }
    this.schedule();
  }

  #timedOut(slot: Slot, job: Job, ms: number): void {
    job.timer = undefined;
    if (!slot.inflight.has(job.id)) return;
    slot.inflight.delete(job.id);
    this.#failJob(job, new TimeoutError(`the task timed out after ${ms} ms; its worker was stopped and replaced`));
    this.#stop(slot, 'SIGKILL');
  }

  /** Stops a worker on purpose. Jobs it still holds (other than the culprit, already removed) are queued again. */
  #stop(slot: Slot, signal: 'SIGTERM' | 'SIGKILL'): void {
    if (slot.stopping) return;
    slot.stopping = true;
    this.#requeue(slot, false);
    this.#setRef(slot, true); // keep the parent alive until the end is seen
    this.#end(slot, signal);
  }

  /** Ends a worker: at once (SIGKILL), or asked (SIGTERM) and killed if it stays (endGently). */
  #end(slot: Slot, signal: 'SIGTERM' | 'SIGKILL'): void {
    markStopped(slot.stop);
    if (signal === 'SIGKILL') {
      // Killed, it takes nothing more from a manager: what it waited for goes to others from now on.
      slot.rpc?.end();
      slot.handle.terminate(signal);
    } else {
      slot.killLater ??= endGently(slot.handle);
    }
  }

  #requeue(slot: Slot, suspect: boolean): void {
    const jobs = [...slot.inflight.values()].filter((j) => !j.call.done);
    slot.inflight.clear();
    for (const job of jobs) {
      job.timer?.clear();
      job.timer = undefined;
      if (suspect) job.isolate = true;
      job.call.refill?.(job);
    }
    this.#retry.unshift(...jobs);
  }

  /** Stops every worker running a job of `call` (abort), and requeues the other jobs they held. */
  stopCall(call: Call): void {
    for (const slot of this.#slots) {
      let hit = false;
      for (const job of slot.inflight.values()) if (job.call === call) hit = true;
      if (hit) this.#stop(slot, 'SIGKILL');
    }
    this.schedule();
  }

  #spawn(): void {
    const name = `PoolWorker-${++this.#workerCounter}`;
    const slot: Slot = {
      handle: undefined as unknown as WorkerHandle,
      name,
      inflight: new Map(),
      batches: 0,
      outgoing: [],
      outgoingItems: 0,
      outgoingBytes: 0,
      known: new Set(),
      assigned: 0,
      ready: false,
      stopping: false,
      exclusive: false,
      ref: true,
      referenced: true,
      lastError: undefined,
      condemned: false,
      sent: [],
      stop: newStopCell(this.#sharesMemory),
    };
    const deliver = (m: unknown): void => this.#onMessage(slot, m as FromWorker);
    // The shared-memory fast path, where the worker shares memory and its handle cannot poll by itself (lane.ts).
    let lane: ParentLane | undefined;
    const handle = this.#runtime.spawn(
      { context: this.#o.context, name, resourceLimits: this.#o.resourceLimits, maxTasksPerChild: this.#o.maxTasksPerChild },
      {
        onMessage: (m) => (lane ? lane.tookFromPort(m) : deliver(m)),
        onError: (e) => {
          slot.lastError = e;
        },
        onExit: (code, signal) => this.#onExit(slot, code, signal),
      },
    );
    // Its encoding is loaded here, by the first worker that needs a lane (Node's threads poll by themselves).
    if (this.#lanes && !handle.pollSync && laneCodecReady()) lane = new ParentLane(createLane(), deliver);
    slot.handle = lane ? lane.wrap(handle) : handle;
    this.#slots = [...this.#slots, slot];
    const init: ToWorker = {
      type: 'init',
      self: { name, pid: slot.handle.pid },
      parent: currentProcess(this.#runtime),
      initializer: this.#o.initializer,
      initargs: this.#o.initargs,
      shared: this.#o.initShared,
    };
    if (lane) init.lane = lane.memory;
    if (slot.stop) init.stop = slot.stop;
    slot.handle.postMessage(init);
    this.#setRef(slot, false);
  }

  #onExit(slot: Slot, code: number | null, signal: string | null): void {
    if (slot.killLater !== undefined) clearTimeout(slot.killLater);
    slot.rpc?.end();
    this.#slots = this.#slots.filter((s) => s !== slot);
    if (!slot.stopping && this.#state !== 'terminated') {
      if (!slot.ready && ++this.#earlyDeaths >= MAX_EARLY_DEATHS) {
        this.#break(exitError(slot, code, signal, 'before it was ready, several times in a row'));
        return;
      }
      const jobs = [...slot.inflight.values()].filter((j) => !j.call.done);
      if (jobs.length === 1) {
        slot.inflight.clear();
        const job = jobs[0]!;
        job.timer?.clear();
        this.#failJob(job, exitError(slot, code, signal, 'while running this task'));
      } else {
        // Several jobs were in the worker; which one ended it is unknown. Retry each alone.
        this.#requeue(slot, true);
      }
    }
    if (this.#state === 'running' || (this.#state === 'closed' && this.#hasWork())) {
      if (this.#slots.length < this.#o.processes && !this.#broken) this.#spawn();
    }
    this.schedule();
    this.#maybeFinish();
  }

  #hasWork(): boolean {
    if (this.#pending || this.#retry.length > 0 || this.#readers.size > 0) return true;
    for (const call of this.#lazy) {
      if (!call.done && !call.exhausted) return true;
      this.#lazy.delete(call);
    }
    for (let i = this.#head; i < this.#sources.length; i++) if (!this.#sources[i]!.exhausted) return true;
    for (const s of this.#slots) if (s.inflight.size > 0 || s.outgoing.length > 0) return true;
    return false;
  }

  #setRef(slot: Slot, ref: boolean): void {
    slot.ref = ref;
    const referenced = ref || this.#held;
    if (slot.referenced === referenced) return;
    slot.referenced = referenced;
    slot.handle.setRef(referenced);
  }

  /** Fails every call and ends every worker: the initializer failed, or workers cannot start. */
  #break(error: Error): void {
    if (this.#broken) return;
    this.#broken = error;
    this.#failAll(error);
    this.#killAll();
  }

  #failAll(error: unknown): void {
    const calls = new Set<Call>();
    if (this.#pending) calls.add(this.#pending.call);
    this.#pending = undefined;
    for (const job of this.#retry) calls.add(job.call);
    this.#retry.length = 0;
    for (let i = this.#head; i < this.#sources.length; i++) calls.add(this.#sources[i]!);
    this.#sources = [];
    for (const call of this.#lazy) calls.add(call);
    this.#lazy.clear();
    this.#head = 0;
    for (const slot of this.#slots) {
      for (const job of slot.inflight.values()) {
        job.timer?.clear();
        calls.add(job.call);
      }
      for (const job of slot.outgoing) calls.add(job.call);
      slot.inflight.clear();
      slot.outgoing = [];
    }
    for (const call of calls) if (!call.done) call.fail(error);
    const readers = [...this.#readers];
    this.#readers.clear();
    for (const fail of readers) fail(error as Error);
  }

  #killAll(): void {
    for (const slot of this.#slots) {
      slot.stopping = true;
      this.#setRef(slot, true);
      markStopped(slot.stop);
      slot.handle.terminate('SIGKILL');
    }
  }

  close(): void {
    if (this.#state === 'running') this.#state = 'closed';
    this.#maybeFinish();
  }

  terminate(): Promise<void> {
    if (this.#state !== 'terminated') {
      this.#state = 'terminated';
      this.#failAll(new PoolClosedError('the pool was terminated before this work finished'));
      this.#killAll();
    }
    return this.#whenEnded();
  }

  /** Resolves once the pool is closed, its work is done, and every worker has ended. */
  join(): Promise<void> {
    return this.#whenEnded();
  }

  #whenEnded(): Promise<void> {
    this.#ended ??= new Promise((resolve) => (this.#markEnded = resolve));
    this.#maybeFinish();
    return this.#ended;
  }

  #maybeFinish(): void {
    if (this.#state === 'running' && !this.#broken) return;
    if (this.#state === 'closed' && this.#hasWork()) return;
    for (const slot of this.#slots) {
      if (!slot.stopping) {
        slot.stopping = true;
        this.#setRef(slot, true);
        this.#end(slot, 'SIGTERM');
      }
    }
    if (this.#slots.length === 0) {
      this.#removeHold?.();
      this.#removeHold = undefined;
      this.#markEnded?.();
    }
  }
}

function exitError(slot: Slot, code: number | null, signal: string | null, when: string): WorkerExitError {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const cause = slot.lastError === undefined ? undefined : toRemoteError(serializeError(slot.lastError));
  const detail = cause ? ` (${cause.remoteName}: ${cause.message})` : '';
  return new WorkerExitError(`worker ${slot.name} ${how} ${when}${detail}`, { exitCode: code, signal, cause });
}

function describeUncloneable(job: Job): string | undefined {
  if (job.mode === 'apply') return findUncloneable(job.data, 'args');
  const items = job.data as unknown[];
  for (let i = 0; i < items.length; i++) {
    const found = findUncloneable(items[i], `iterable[${job.start + i}]`);
    if (found) return found;
  }
  return undefined;
}
