/**
 * The caller's side of a cluster: a `ContextProvider` whose runtime starts *virtual* workers. Each one speaks
 * mp's worker protocol to core's pool engine exactly as a thread would, but a `run` batch (or a Process
 * target) becomes one message on the cluster's JetStream work queue, and the host that ran it answers on this
 * caller's result subject. Scheduling, chunking, ordering, timeouts, cancellation and errors stay in core.
 *
 * Delivery is JetStream's (at least once); this side keeps the first answer to each batch and drops repeats,
 * answers hosts that ask whether a batch is still wanted, and tells hosts when it no longer is.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import { jetstream, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { PoolClosedError, type ContextProvider, type Runtime, type SpawnRequest, type WorkerEvents, type WorkerHandle } from '@mp/core';
import { checkKnownOptions, serializeError, type FnSpec, type FromWorker, type SerializedError, type ToWorker, type WireJob, type WireResult } from '@mp/core/wire';
import { checkName, ensureStream, LAST_DELIVERY, MAX_REPLICAS, namesOf, randomId, type Names } from './names.js';
import { integerOption } from './check.js';
import { decodeOutput, decodeResult, encode, type JobEnvelope, type ResultEnvelope } from './envelope.js';

/** Options of `cluster()`. */
export interface ClusterOptions {
  /** The cluster's name, as its hosts serve it (`host(nc, { name })`, `mp-host --name`). */
  name: string;
  /**
   * How many virtual workers a `Pool` on this cluster keeps (each holds at most two batches in flight, or map
   * parts of a quick function up to 16, while they add up to at most 6 ms of its measured cost), when the
   * Pool's `processes` is not given: this bounds the work in flight across the cluster.
   * @default 16
   */
  processes?: number;
  /**
   * Stream replicas when this caller is the first to create the cluster's stream (a clustered NATS: 3).
   * @default 1
   */
  replicas?: number;
}

/** What `cluster()` returns: pass it as `context` to `new Pool()` or `new Process()`. */
export interface ClusterContext extends ContextProvider {
  /** The cluster's name. */
  readonly name: string;
  /** The hosts that have answered this caller so far. */
  hosts(): string[];
  /**
   * Stops listening for results and tells hosts to drop this caller's work. Calls still waiting for hosts, and any
   * later call on a pool or Process of this context, reject with a `PoolClosedError`; terminate its pools first.
   */
  close(): Promise<void>;
}

interface Pending {
  worker: VirtualWorker;
  /** The job ids of a batch (empty for a Process target). */
  ids: number[];
  envelope: JobEnvelope;
  /** The encoded envelope, kept to queue it again after a reconnect. */
  data: Uint8Array;
  /** The JetStream sequence of each copy queued (one, or more after reconnects). */
  seqs: number[];
}

let virtualPids = 0;

/**
 * A lone batch (nothing else of this caller in flight) of functions measured at most this many ms per call goes
 * to a host by request/reply first, past the work queue: an awaited `apply` then skips JetStream's store, ack
 * and pull.
 */
const DIRECT_MAX_MS = 5;
/** How long a direct request waits for its answer before the batch is queued on JetStream as well. */
const DIRECT_WAIT_MS = 1000;
/** After a direct request found no host listening (hosts of an older version), none is tried for this long. */
const DIRECT_OFF_MS = 10_000;

/** How long a batch is offered to JetStream again while the stream is briefly unreachable. */
const PUBLISH_RETRY_MS = 30_000;
const TRANSIENT = /no responders|timeout|temporarily unavailable|jetstream is not enabled|disconnect|reconnect/i;

function exitCodeOf(e: SerializedError): number | null {
  const code = e.props?.exitCode;
  return typeof code === 'number' ? code : e.props?.signal ? null : 1;
}

function signalOf(e: SerializedError): string | null {
  const signal = e.props?.signal;
  return typeof signal === 'string' ? signal : null;
}

/** Writes what a remote Process target printed to this program's own stdout or stderr (a browser: its console). */
function writeOutput(stream: 1 | 2, text: string): void {
  const proc = (globalThis as { process?: { stdout?: { write?: unknown }; stderr?: { write?: unknown } } }).process;
  const target = stream === 2 ? proc?.stderr : proc?.stdout;
  if (typeof target?.write === 'function') {
    (target.write as (s: string) => unknown).call(target, text);
    return;
  }
  const deno = (globalThis as { Deno?: { stdout: { writeSync(b: Uint8Array): number }; stderr: { writeSync(b: Uint8Array): number } } }).Deno;
  if (deno) {
    const out = stream === 2 ? deno.stderr : deno.stdout;
    let bytes = new TextEncoder().encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(out.writeSync(bytes));
    return;
  }
  // A console: one call per line, as a browser adapter shows a worker's lines.
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  for (const line of lines) {
    if (stream === 2) console.error(line);
    else console.log(line);
  }
}

/** A batch that does not fit in one NATS message. */
function payloadError(bytes: number, max: number): RangeError {
  return new RangeError(`the task's data is ${bytes} bytes, more than the NATS server's max_payload (${max}); send smaller chunks, or raise max_payload in the server's config`);
}

/** One caller's connection to a cluster, shared by every pool and process on it. */
class ClusterState {
  readonly caller = randomId();
  readonly names: Names;
  readonly js: JetStreamClient;
  readonly pending = new Map<number, Pending>();
  readonly seen = new Set<string>();
  readonly subs: Subscription[] = [];
  /** JetStream sequence of each batch's message, to match "delivered too often" advisories. */
  readonly bySeq = new Map<number, number>();
  /** A key per caller pool with an initializer (its initializer and initargs, as every virtual worker gets them). */
  readonly #initKeys = new WeakMap<object, WeakMap<object, string>>();
  #inits = 0;
  ready: Promise<void>;
  failure: Error | undefined;
  closed = false;
  #batch = 0;

  /** `closed`: the context was closed before its first pool, so this state never listens or queues anything. */
  constructor(
    readonly nc: NatsConnection,
    readonly name: string,
    replicas: number,
    closed?: Error,
  ) {
    this.names = namesOf(name);
    this.js = jetstream(nc);
    if (closed) {
      this.closed = true;
      this.failure = closed;
      this.ready = Promise.resolve();
      return;
    }
    // A subscription the server refuses (permissions) calls its callback once with the error and no message.
    const listen = (subject: string, take: (m: Msg) => void): void => {
      this.subs.push(nc.subscribe(subject, { callback: (e, m) => (e ? this.#refused(e) : take(m)) }));
    };
    listen(this.names.results(this.caller), (m) => void this.#onResult(m.data));
    listen(this.names.alive(this.caller), (m) => {
      const batch = Number(new TextDecoder().decode(m.data));
      const wanted = this.pending.has(batch);
      m.respond(new TextEncoder().encode(wanted ? '1' : '0'));
      const last = m.headers?.get(LAST_DELIVERY);
      if (wanted && last) this.#lastDelivery(batch, Number(last));
    });
    listen(this.names.output(this.caller, '*'), (m) => this.#onOutput(m.data));
    listen(this.names.directReply(this.caller, '*'), (m) => this.#onDirectReply(m.subject, m.data, m.headers?.code));
    // JetStream's advisory only hastens a failure the last-delivery check also finds (#lastDelivery): a user who
    // may not read $JS.EVENT subjects still works.
    this.subs.push(nc.subscribe(this.names.maxDeliveries, { callback: (e, m) => void (e ? undefined : this.#onMaxDeliveries(m.data)) }));
    this.ready = ensureStream(nc, this.names, replicas).catch((error: unknown) => {
      this.failure ??= new Error(`cluster '${name}': could not reach its JetStream stream ${this.names.stream}: ${String(error)}`, { cause: error });
    });
    void nc.closed().then(() => this.#connectionClosed());
    void this.#watch();
  }

  /**
   * The server refused one of this caller's subscriptions (a permissions violation): answers cannot reach it, so
   * every batch pending fails with that error, as every later one does (publish).
   */
  #refused(error: Error): void {
    this.failure ??= new Error(`cluster '${this.name}': the NATS server refused this caller a subscription mp needs: ${error.message}`, { cause: error });
    for (const batch of [...this.pending.keys()]) this.fail(batch, this.failure);
  }

  nextBatch(): number {
    return ++this.#batch;
  }

  /** The same key for every virtual worker of one pool: core hands each the pool's own initializer and initargs. */
  initKey(initializer: object, initargs: object): string {
    let byArgs = this.#initKeys.get(initializer);
    if (!byArgs) this.#initKeys.set(initializer, (byArgs = new WeakMap()));
    let key = byArgs.get(initargs);
    if (!key) byArgs.set(initargs, (key = `${this.caller}.${++this.#inits}`));
    return key;
  }

  /** On reconnect, results published while we were away are lost (core NATS): queue every pending batch again. */
  async #watch(): Promise<void> {
    try {
      for await (const s of this.nc.status()) {
        if (s.type === 'reconnect') for (const [batch, p] of this.pending) this.publish(batch, p, true);
      }
    } catch {
      // the connection ended
    }
  }

  /**
   * The context was closed: hosts are told to drop what they hold for this caller (it will not take their answers),
   * and every batch still pending fails with `error`, as every later one does (VirtualWorker #send).
   */
  close(error: Error): void {
    if (this.closed) return;
    const pending = [...this.pending];
    this.cancel(pending.map(([batch]) => batch));
    this.closed = true;
    this.failure = error;
    for (const sub of this.subs) sub.unsubscribe();
    for (const [, p] of pending) p.worker.answer(p, undefined, error);
  }

  #connectionClosed(): void {
    this.closed = true;
    this.failure ??= new Error(`cluster '${this.name}': the NATS connection is closed`);
    for (const p of [...this.pending.values()]) p.worker.lost(this.failure);
  }

  /** What each function has cost per call on hosts (the host's measure), by function, to pick the direct path. */
  readonly #costs = new Map<string, number>();
  #directOffUntil = 0;

  #fnKey(spec: FnSpec | undefined): string {
    return spec === undefined ? '' : spec.kind === 'module' ? `m ${spec.url}#${spec.name}` : `s ${spec.source}`;
  }

  /** Remembers what an answered batch cost per item, when its jobs are of one function. */
  #learn(p: Pending, m: ResultEnvelope): void {
    const jobs = p.envelope.jobs;
    if (!jobs || jobs.length === 0 || typeof m.ms !== 'number') return;
    const key = this.#fnKey(jobs[0]!.spec);
    let items = 0;
    for (const job of jobs) {
      if (this.#fnKey(job.spec) !== key) return;
      items += job.mode === 'apply' ? 1 : (job.data as unknown[]).length;
    }
    if (this.#costs.size >= 1000) this.#costs.clear();
    const cost = m.ms / Math.max(1, items);
    const before = this.#costs.get(key);
    // Smoothed as core smooths its own measure, so one slow call (a busy host) does not change the path at once.
    this.#costs.set(key, before === undefined ? cost : before * 0.7 + cost * 0.3);
  }

  /** Whether a batch goes by request/reply first: it is this caller's only one in flight, of applies known to be quick. */
  #direct(p: Pending): boolean {
    const jobs = p.envelope.jobs;
    if (!jobs || this.pending.size !== 1 || this.closed || Date.now() < this.#directOffUntil) return false;
    let ms = 0;
    for (const job of jobs) {
      // Only applies: a map's first chunk is also alone for a moment, until core sends the next ones.
      const cost = job.mode === 'apply' ? this.#costs.get(this.#fnKey(job.spec)) : undefined;
      if (cost === undefined) return false;
      ms += cost;
    }
    return ms <= DIRECT_MAX_MS;
  }

  /**
   * Direct requests waiting for their reply: the timer that queues the batch on JetStream if none comes, and
   * the host's direct id when the request went to one host (#via) rather than to the queue group.
   */
  readonly #directs = new Map<number, { timer: ReturnType<typeof setTimeout>; to: string | undefined }>();
  /**
   * The host that answered this caller's last direct request (its direct id): the next goes to it, not to a
   * host of the queue group at random. A host that has just run one is ready for the next (its worker waiting,
   * its code compiled): with two hosts, awaited applies sent at random took 0.6 ms each where one host took 0.45.
   * Forgotten when that host is busy, gone or silent; the request then goes as it would have.
   */
  #via: string | undefined;

  /**
   * Sends a lone batch to one host (a queue group) by request/reply. The host runs it at once and answers in the
   * reply, or answers empty when it is busy; no host, no answer within DIRECT_WAIT_MS (a host that died or
   * stalled) or any error queues the batch on JetStream as every other batch is, so at least once still holds
   * while this caller lives. If a slow host answers after all, the first answer counts and the other is dropped.
   *
   * The reply comes on this caller's own subscription (#onDirectReply), one subject per batch, rather than through
   * `nc.request()`: that makes three Error objects (with their stack traces) and a timer of its own per request,
   * a tenth of an awaited apply's time on this side.
   */
  #sendDirect(batch: number, p: Pending): void {
    const to = this.#via;
    this.nc.publish(to === undefined ? this.names.direct : this.names.directTo(to), p.data, { reply: this.names.directReply(this.caller, batch) });
    this.#directs.set(batch, { timer: setTimeout(() => this.#directFailed(batch), DIRECT_WAIT_MS), to });
  }

  /**
   * Ends a direct request's wait (its entry and timer). The host it went to is busy, gone or silent: it is
   * forgotten, so the next request goes to the queue group.
   */
  #forgetDirect(batch: number): void {
    const direct = this.#directs.get(batch);
    if (direct === undefined) return;
    clearTimeout(direct.timer);
    this.#directs.delete(batch);
    if (direct.to !== undefined && this.#via === direct.to) this.#via = undefined;
  }

  /** A direct request got no answer it could use: queue its batch on JetStream, if it is still pending. */
  #directFailed(batch: number): void {
    this.#forgetDirect(batch);
    const p = this.pending.get(batch);
    if (p) this.publish(batch, p, false, true);
  }

  /** A host's reply to a direct request: the answer, empty ("busy"), or the server's "no responders" status. */
  #onDirectReply(subject: string, data: Uint8Array, status: number | undefined): void {
    const batch = Number(subject.slice(subject.lastIndexOf('.') + 1));
    const direct = this.#directs.get(batch);
    if (direct === undefined) {
      // A late answer, after the batch was queued: the first answer counts.
      if (data.length > 0) this.#onResult(data);
      return;
    }
    if (data.length > 0) {
      const via = this.#onResult(data)?.via;
      // Answered in time: the next direct request goes to the same host.
      if (via !== undefined) {
        this.#via = via;
        return;
      }
    } else if (status === 503 && direct.to !== undefined) {
      // The host it went to has gone (or closed): ask the queue group at once.
      this.#forgetDirect(batch);
      const p = this.pending.get(batch);
      try {
        if (p) this.#sendDirect(batch, p);
        return;
      } catch {
        // the connection is closing: the work queue path reports it
      }
    }
    // No responders: no host serves the direct path (hosts of an older version); the queue for a while.
    else if (status === 503) this.#directOffUntil = Date.now() + DIRECT_OFF_MS;
    this.#directFailed(batch);
  }

  publish(batch: number, p: Pending, again = false, queued = false): void {
    const bytes = p.data;
    const max = this.nc.info?.max_payload;
    if (max !== undefined && bytes.length > max) {
      this.fail(batch, payloadError(bytes.length, max));
      return;
    }
    if (!again && !queued && this.#direct(p)) {
      try {
        this.#sendDirect(batch, p);
        return;
      } catch {
        // the connection is closing: the work queue path reports it
      }
    }
    const attempt = again ? `.${randomId()}` : '';
    const msgID = `${this.caller}.${batch}${attempt}`;
    const until = Date.now() + PUBLISH_RETRY_MS;
    // While a clustered stream elects a new leader (a server died) or the connection is re-established, a
    // publish gets "no responders" or times out: try again for a while; the same msgID keeps it from being
    // stored twice.
    const send = async (): Promise<PubAck> => {
      for (;;) {
        if (this.failure) throw this.failure;
        if (!this.pending.has(batch)) throw new Error('no longer pending');
        try {
          return await this.js.publish(this.names.jobs, bytes, { msgID });
        } catch (error) {
          if (!TRANSIENT.test(`${String(error)} ${String((error as Error)?.cause)}`) || Date.now() > until || this.closed) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    };
    void this.ready
      .then(send)
      .then(
        (ack) => {
          const still = this.pending.get(batch);
          if (still) {
            still.seqs.push(ack.seq);
            this.bySeq.set(ack.seq, batch);
          }
        },
        (error: unknown) => this.fail(batch, new Error(`cluster '${this.name}': could not queue the task: ${String(error)}`, { cause: error })),
      );
  }

  /** Batches on their last delivery, each failed if its host goes silent (see #lastDelivery). */
  readonly #silence = new Map<number, ReturnType<typeof setTimeout>>();

  /**
   * A host runs `batch` for the last time JetStream will deliver it, holding it `claimMs` at a time and asking
   * about it every third of that while it runs. If it stops asking for longer than a claim and a half, it died
   * or stalled and nothing will redeliver the batch: its call fails as JetStream's max-deliveries advisory would
   * fail it, which a 2.9 server sends only once some host pulls again.
   */
  #lastDelivery(batch: number, claimMs: number): void {
    if (!Number.isFinite(claimMs) || claimMs <= 0) return;
    clearTimeout(this.#silence.get(batch));
    const timer = setTimeout(() => {
      this.#silence.delete(batch);
      this.fail(batch, this.#maxDeliverError());
    }, Math.min(claimMs * 1.5 + 1000, 2 ** 31 - 1));
    this.#silence.set(batch, timer);
  }

  #maxDeliverError(): Error {
    return new Error(`cluster '${this.name}': the task was delivered to hosts as often as the consumer allows (max_deliver) and none finished it; a host may crash on it`);
  }

  /** Forgets a batch: answered, failed or no longer wanted. */
  settle(batch: number): void {
    const p = this.pending.get(batch);
    if (!p) return;
    this.pending.delete(batch);
    const direct = this.#directs.get(batch);
    if (direct !== undefined) {
      clearTimeout(direct.timer);
      this.#directs.delete(batch);
    }
    const timer = this.#silence.get(batch);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#silence.delete(batch);
    }
    for (const seq of p.seqs) this.bySeq.delete(seq);
  }

  /** Fails every job of a batch that could not be queued. */
  fail(batch: number, error: unknown): void {
    const p = this.pending.get(batch);
    if (!p) return;
    this.settle(batch);
    p.worker.answer(p, undefined, error);
  }

  cancel(batches: number[]): void {
    if (batches.length === 0 || this.closed) return;
    for (const b of batches) this.settle(b);
    try {
      this.nc.publish(this.names.cancel, encode({ v: 1, caller: this.caller, batches }));
    } catch {
      // closed: hosts will find this caller gone
    }
  }

  /** A host's answer: settles its batch, if it answers one pending here (then it is returned). */
  #onResult(data: Uint8Array): ResultEnvelope | undefined {
    const m = decodeResult(data);
    if (!m) return undefined;
    const p = this.pending.get(m.batch);
    if (!p) return undefined; // a repeat (redelivered work), or work we no longer want
    if (m.results) {
      // Only an answer to exactly this batch's jobs settles it; anything else is not for us.
      if (m.results.length !== p.ids.length || !m.results.every((r, i) => r.id === p.ids[i])) return undefined;
    } else if (m.target) {
      if (p.envelope.target === undefined) return undefined;
    } else if (!m.init || p.envelope.jobs !== undefined || p.envelope.target !== undefined) return undefined;
    this.settle(m.batch);
    this.seen.add(m.host);
    this.#learn(p, m);
    p.worker.answer(p, m);
    return m;
  }

  /** What a remote Process target printed: written out before its answer arrives (the host sends it first). */
  #onOutput(data: Uint8Array): void {
    const m = decodeOutput(data);
    if (!m) return;
    const p = this.pending.get(m.batch);
    if (!p || p.envelope.target === undefined) return;
    for (const [stream, text] of m.out) {
      try {
        writeOutput(stream, text);
      } catch {
        // our own output is closed: nothing to do about it
      }
    }
  }

  #onMaxDeliveries(data: Uint8Array): void {
    let seq: unknown;
    try {
      seq = (JSON.parse(new TextDecoder().decode(data)) as { stream_seq?: unknown }).stream_seq;
    } catch {
      return;
    }
    const batch = typeof seq === 'number' ? this.bySeq.get(seq) : undefined;
    if (batch === undefined) return;
    this.bySeq.delete(seq as number);
    this.fail(batch, this.#maxDeliverError());
  }
}

/** A worker whose work runs on the cluster's hosts. */
class VirtualWorker implements WorkerHandle {
  readonly pid = -++virtualPids;
  readonly #batches = new Set<number>();
  readonly #specs = new Map<number, FnSpec>();
  /** The caller pool's initializer, sent with every batch. */
  #init: JobEnvelope['init'];
  /** Batches the pool sent before the initializer ran on a host: sent once it has (core starts their timers then). */
  #held: WireJob[][] | undefined;
  #ended = false;

  constructor(
    readonly state: ClusterState,
    readonly request: SpawnRequest,
    readonly events: WorkerEvents,
  ) {}

  #emit(message: FromWorker): void {
    queueMicrotask(() => {
      if (!this.#ended || message.type === 'targetDone') this.events.onMessage(message);
    });
  }

  postMessage(message: unknown): void {
    if (this.#ended) return;
    const m = message as ToWorker;
    switch (m.type) {
      case 'init':
        // On a closed context there is nothing to run it on: the worker is ready, and its jobs fail saying why.
        if (!m.initializer || this.state.closed) {
          this.#emit({ type: 'ready' });
          return;
        }
        if (m.shared) {
          this.#emit({ type: 'initFailed', error: serializeError(this.#sharedError()) });
          return;
        }
        // The initializer runs in each host worker that takes this pool's jobs, before the first of them there
        // (runRemote). This virtual worker starts by running it once on a host: ready when it returned there,
        // and the pool breaks, as a local one does, when it threw.
        this.#init = { key: this.state.initKey(m.initializer, m.initargs ?? []), spec: m.initializer, args: m.initargs ?? [] };
        this.#held = [];
        this.#send({ v: 1, caller: this.state.caller, batch: 0, init: this.#init }, []);
        return;
      case 'run':
        if (this.#held) this.#held.push(m.jobs);
        else this.#run(m.jobs, true);
        return;
      case 'target':
        if (m.shared) {
          this.#emit({ type: 'targetDone', error: serializeError(this.#sharedError()) });
          queueMicrotask(() => this.#exit(1, null));
          return;
        }
        this.#send({ v: 1, caller: this.state.caller, batch: 0, target: { spec: m.spec, args: m.args } }, []);
        return;
      case 'rpc':
        return;
    }
  }

  #sharedError(): TypeError {
    return new TypeError(`manager proxies and shared objects cannot reach the hosts of cluster '${this.state.name}': pass plain data`);
  }

  /** `posted`: called from postMessage, which may throw (see #send). */
  #run(jobs: WireJob[], posted: boolean): void {
    const sent: WireJob[] = [];
    const refused: WireResult[] = [];
    for (const job of jobs) {
      if (job.spec) this.#specs.set(job.fn, job.spec);
      if (job.shared) {
        refused.push({ id: job.id, ok: false, error: serializeError(this.#sharedError()) });
        continue;
      }
      const spec = job.spec ?? this.#specs.get(job.fn);
      if (!spec) {
        refused.push({ id: job.id, ok: false, error: serializeError(new Error(`unknown function id ${job.fn}`)) });
        continue;
      }
      // A packed map part (numbers in a Float64Array, WireJob.packed) travels as the plain list hosts take.
      const data = job.packed ? Array.from(job.data as Float64Array) : job.data;
      const one: WireJob = { id: job.id, fn: job.fn, spec, mode: job.mode, data };
      // The host times the task from when it starts there (Runtime.timesTasks): here it may wait in the queue.
      if (job.timeout !== undefined) one.timeout = job.timeout;
      sent.push(one);
    }
    if (refused.length > 0 && sent.length === 0) {
      this.#emit({ type: 'done', results: refused, ms: 0 });
      return;
    }
    // Refused jobs are answered with the rest of their batch, so the batch still gets exactly one `done`.
    const envelope: JobEnvelope = { v: 1, caller: this.state.caller, batch: 0, jobs: sent };
    if (this.#init) envelope.init = this.#init;
    // The caller pool replaces this virtual worker after that many tasks; hosts replace the workers that run them.
    if (this.request.maxTasksPerChild !== undefined) envelope.tasksPerChild = this.request.maxTasksPerChild;
    this.#send(envelope, refused, posted);
  }

  #refused = new Map<number, WireResult[]>();

  /**
   * Queues a batch. `posted`: called from postMessage, so a batch that cannot be sent throws here, as a local
   * worker's postMessage does, and core fails its jobs at the caller; otherwise its failure is the batch's answer.
   */
  #send(envelope: JobEnvelope, refused: WireResult[], posted = false): void {
    const batch = this.state.nextBatch();
    envelope.batch = batch;
    // Encoded now, so a value that cannot be sent throws here, as a local worker's postMessage does: core then
    // fails just the job that holds it, naming where the value sits.
    const data = encode(envelope);
    // Too big for one NATS message: refused here, before it is pending, rather than answered as if by a host.
    const max = this.state.nc.info?.max_payload;
    if (posted && max !== undefined && data.length > max) throw payloadError(data.length, max);
    const p: Pending = { worker: this, ids: envelope.jobs?.map((j) => j.id) ?? [], envelope, data, seqs: [] };
    this.#batches.add(batch);
    if (refused.length > 0) this.#refused.set(batch, refused);
    this.state.pending.set(batch, p);
    if (this.state.closed) {
      this.state.fail(batch, this.state.failure ?? new Error(`cluster '${this.state.name}' is closed`));
      return;
    }
    this.state.publish(batch, p);
  }

  /** The batch's answer (or `error` for each of its jobs, when it could not be run). */
  answer(p: Pending, m: ResultEnvelope | undefined, error?: unknown): void {
    const batch = p.envelope.batch;
    this.#batches.delete(batch);
    const refused = this.#refused.get(batch) ?? [];
    this.#refused.delete(batch);
    if (this.#ended) return;
    if (!p.envelope.jobs && !p.envelope.target) {
      // This worker's start: the initializer ran on a host, or threw there (or could not be sent).
      const failure = m ? m.init?.error : serializeError(error);
      const held = this.#held ?? [];
      this.#held = undefined;
      // Not the initializer's failure: the context was closed under it. Its jobs fail with that error instead.
      if (failure && !(m === undefined && this.state.closed)) {
        this.#emit({ type: 'initFailed', error: { ...failure, message: m ? `on host ${m.host}: ${failure.message}` : failure.message } });
        return;
      }
      this.#emit({ type: 'ready' });
      for (const jobs of held) this.#run(jobs, false);
      return;
    }
    if (p.envelope.target) {
      const failure = m ? m.target?.error : serializeError(error);
      if (failure?.name === 'WorkerExitError') {
        // The host's worker ended (exit(n), a crash): this child ends the same way, with the same code.
        if (failure.cause) this.#emit({ type: 'targetDone', error: failure.cause });
        queueMicrotask(() => this.#exit(exitCodeOf(failure), signalOf(failure)));
        return;
      }
      this.#emit({ type: 'targetDone', error: failure });
      queueMicrotask(() => this.#exit(failure ? 1 : 0, null));
      return;
    }
    // A failure made here (not on a host) is this side's own: an mp error (PoolClosedError) arrives as itself.
    let results: WireResult[] = m?.results ?? p.ids.map((id) => ({ id, ok: false as const, error: serializeError(error), own: true as const }));
    const died = results.filter((r): r is Extract<WireResult, { ok: false }> => !r.ok && r.error.name === 'WorkerExitError');
    if (died.length > 0) results = results.filter((r) => r.ok || r.error.name !== 'WorkerExitError');
    this.#emit({ type: 'done', results: refused.length > 0 ? [...results, ...refused] : results, ms: m?.ms ?? 0 });
    if (died.length > 0) {
      // The host's worker died running these jobs. This worker ends the same way, holding them, so core treats
      // them as it treats a local worker's death: one culprit fails with WorkerExitError, several run again alone.
      const first = died[0]!.error;
      queueMicrotask(() => {
        if (this.#ended) return;
        this.events.onError(new Error(`on host ${m?.host ?? '?'}: ${first.message}`));
        this.state.cancel([...this.#batches]);
        this.#batches.clear();
        this.#exit(exitCodeOf(first), signalOf(first));
      });
    }
  }

  /** The connection is gone: end as a worker that died would, so core fails or retries what it held. */
  lost(error: Error): void {
    if (this.#ended) return;
    this.events.onError(error);
    this.#batches.clear();
    this.#exit(null, null);
  }

  terminate(signal: 'SIGTERM' | 'SIGKILL'): void {
    if (this.#ended) return;
    // Tell hosts to stop what they run for us, and not to start what is still queued.
    this.state.cancel([...this.#batches]);
    this.#batches.clear();
    queueMicrotask(() => this.#exit(null, signal));
  }

  #exit(code: number | null, signal: string | null): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const b of this.#batches) this.state.settle(b);
    this.events.onExit(code, signal);
  }

  setRef(): void {
    // The NATS connection keeps the program alive while it is open; a virtual worker holds nothing of its own.
  }
}

/**
 * A context whose workers are the hosts serving cluster `name` over NATS JetStream: pass it as `context` to
 * `new Pool()` or `new Process()` of any adapter. The connection stays the caller's to configure (servers,
 * credentials, TLS) and to close.
 *
 * @example
 * const nc = await connect({ servers: 'nats://10.0.0.5:4222' });
 * await using pool = new Pool({ context: cluster(nc, { name: 'render' }) });
 * await pool.map(task('file:///srv/app/render.js', 'frame'), frames, { chunksize: 10 });
 */
export function cluster(nc: NatsConnection, options: ClusterOptions): ClusterContext {
  if (typeof nc !== 'object' || nc === null || typeof (nc as Partial<NatsConnection>).subscribe !== 'function') {
    throw new TypeError(`nc must be a NatsConnection (from connect() of @nats-io/transport-node, wsconnect, …), got ${nc === null ? 'null' : typeof nc}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object with a name, got ${String(options)}`);
  checkKnownOptions('cluster()', options, ['name', 'processes', 'replicas']);
  const name = checkName(options.name);
  const processes = integerOption('processes', options.processes, 16);
  const replicas = integerOption('replicas', options.replicas, 1, MAX_REPLICAS);
  let state: ClusterState | undefined;
  let closedWith: PoolClosedError | undefined;
  const shared = (): ClusterState => (state ??= new ClusterState(nc, name, replicas, closedWith));
  return {
    name,
    hosts: () => [...(state?.seen ?? [])].sort(),
    runtimeFor(adapter: Runtime): Runtime {
      const s = shared();
      return {
        name: 'NATS',
        contexts: [`cluster:${name}`],
        spawn: (request, events) => new VirtualWorker(s, request, events),
        cpuCount: () => processes,
        pid: () => adapter.pid(),
        sharesMemory: () => false,
        timesTasks: true,
        hosts: () => [...s.seen].sort(),
      };
    },
    async close() {
      closedWith ??= new PoolClosedError(`cluster '${name}' was closed (ClusterContext.close()): its pools and processes take no more work`);
      state ??= new ClusterState(nc, name, replicas, closedWith);
      state.close(closedWith);
      await Promise.resolve();
    },
  };
}
