/**
 * The serving side of a cluster: pulls batches from the cluster's work queue (a durable pull consumer shared
 * by every host, so each batch goes to one host at a time), runs them on a local `Pool` of any adapter and
 * context, answers on the caller's result subject, then acks. A batch's claim is kept alive with in-progress
 * acks while it runs; a host that dies or stalls stops sending them, and JetStream gives its work to another
 * host after the ack wait. Work whose caller is gone, or that the caller cancelled, is dropped.
 */
import { hostname } from 'node:os';
import { headers, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { PoolClosedError, RemoteError, TimeoutError, type MapOptions, type Pool, type TaskFn } from '@mp/core';
import { checkKnownOptions, fnFromSpec, POOL_LIKE, serializeError, type FnSpec, type PoolLikeOverrides, type SerializedError, type WireJob, type WireResult } from '@mp/core/wire';
import { checkName, ensureConsumer, ensureStream, LAST_DELIVERY, MAX_REPLICAS, namesOf, randomId } from './names.js';
import { integerOption } from './check.js';
import { decodeCancel, decodeJob, encode, type JobEnvelope, type ResultEnvelope } from './envelope.js';
import { targetOutput } from './target-output.js';
import { allowRoots, refusal } from './allow.js';
import { ERROR_DATA, INIT_FAILED, OUTPUT, runRemote, type AppliesOutcome, type OutputChunk, type RemoteCall } from './remote.js';

/** Options of `host()`. */
export interface HostOptions {
  /** The cluster's name, as callers name it (`cluster(nc, { name })`). */
  name: string;
  /**
   * The local pool that runs the work (any adapter, any context), open. The host does not close it; if it is closed
   * or terminated while the host serves, the host takes no more work, and what it held goes back to the queue.
   */
  pool: Pool;
  /**
   * Absolute paths (or `file:` URLs) under which task modules may be imported.
   * @default [the working directory]
   */
  allow?: (string | URL)[];
  /**
   * Whether functions sent by value (as source) may run here.
   * @default false
   */
  allowSource?: boolean;
  /**
   * How this host is named in errors and in callers' `stats().hosts`.
   * @default `${hostname()}:${pid}`
   */
  hostName?: string;
  /**
   * Milliseconds a batch stays claimed without an ack or an in-progress ack before JetStream gives it to another
   * host. Running batches send in-progress acks three times per ack wait. Set on the cluster's consumer, shared
   * by all hosts: the last host to start sets it.
   * @default 30000
   */
  ackWait?: number;
  /**
   * How many batches this host runs at once (bounds what it takes from the queue).
   * @default 2 × the pool's workers
   */
  concurrency?: number;
  /**
   * How many times a batch is delivered before JetStream gives up on it (then its caller's call fails).
   * @default 10
   */
  maxDeliver?: number;
  /**
   * Stream replicas (1 to 5) when this host is the first to create the cluster's stream (a clustered NATS: 3).
   * @default 1
   */
  replicas?: number;
}

/** What `host.stats()` reports. */
export interface HostStats {
  /** Batches answered. */
  answered: number;
  /** Batches dropped: their caller was gone or had cancelled them. */
  dropped: number;
  /** Messages refused because they were not mp jobs (garbage, wrong shape). */
  malformed: number;
  /** Jobs refused by the allow rules. */
  refused: number;
  /** Batches running now. */
  running: number;
}

/** A running host; `await using h = await host(…)` closes it at the end of the block. */
export interface Host {
  /** The cluster name this host serves. */
  readonly name: string;
  /** This host's name, as errors and `pool.stats().hosts` show it. */
  readonly hostName: string;
  /** What this host has run so far. */
  stats(): HostStats;
  /** Takes no more work, lets running batches finish and answer, then resolves. Closes neither the pool nor the connection. */
  close(): Promise<void>;
  /** `await using` closes the host at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

const text = new TextDecoder();
/** How long a caller must stay silent ("no responders") before its work is dropped as the work of a caller that is gone. */
const GONE_AFTER_MS = 3000;
/** How long one pull waits for work before the host pulls again. */
const FETCH_EXPIRES_MS = 2000;
const bytes = new TextEncoder();
const EMPTY = new Uint8Array(0);
const RUN_REMOTE = Function.prototype.toString.call(runRemote);
/** runRemote for a run of several applies (its own copy, so this host's pool measures those runs apart). */
const RUN_APPLIES = fnFromSpec({ kind: 'source', name: 'runRemote', source: `${RUN_REMOTE}\n// applies` }) as TaskFn<[RemoteCall], AppliesOutcome[]>;

/** An error an `'applies'` run sent as data (runRemote), as an Error again, with its own properties and cause. */
function errorFromData(data: unknown, depth = 0): unknown {
  if (typeof data !== 'object' || data === null || (data as Record<string, unknown>)[ERROR_DATA] !== true || depth > 8) return data;
  const d = data as { name?: unknown; message?: unknown; stack?: unknown; props?: unknown; cause?: unknown };
  const error = new Error(String(d.message), 'cause' in d ? { cause: errorFromData(d.cause, depth + 1) } : undefined);
  if (typeof d.props === 'object' && d.props !== null) Object.assign(error, d.props);
  Object.defineProperty(error, 'name', { value: String(d.name), configurable: true, writable: true });
  if (typeof d.stack === 'string') Object.defineProperty(error, 'stack', { value: d.stack, configurable: true, writable: true });
  return error;
}

/**
 * One batch's cancel switch, and the signal its jobs' pool calls listen to: the part of `AbortSignal` a pool reads
 * (`aborted`, `reason`, `addEventListener`, `removeEventListener`), without Node's EventTarget. An AbortController
 * per batch (with its listener limit lifted: up to 256 jobs listen) cost about 6 µs of each awaited apply on
 * Node 20, here 0.2 µs.
 */
class BatchSignal {
  aborted = false;
  reason: unknown = undefined;
  #listeners: (() => void)[] = [];

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.#listeners.indexOf(listener);
    if (i !== -1) this.#listeners.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** As the pool's options take it. */
  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }
}

/** Each of `jobs` (or results) failed with `error`: a batch answered as a whole. */
function failEach(jobs: readonly { id: number }[], error: SerializedError): WireResult[] {
  return jobs.map((job) => ({ id: job.id, ok: false as const, error }));
}

/** A short hash of a function's key (FNV-1a), to tell the per-function copies of runRemote apart. */
function fingerprint(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16)}.${key.length}`;
}

function isNoResponders(error: unknown): boolean {
  const e = error as { isNoResponders?: () => boolean; name?: string; cause?: { name?: string } };
  return e?.isNoResponders?.() === true || e?.name === 'NoRespondersError' || e?.cause?.name === 'NoRespondersError';
}

/** What `pool.map(…, [])` rejects with: a `PoolClosedError` once the pool was closed or terminated (no work runs). */
function whyClosed(pool: Pool): Promise<unknown> {
  return pool.map(RUN_APPLIES, []).then(
    () => undefined,
    (error: unknown) => (PoolClosedError.isInstance(error) ? error : undefined),
  );
}

/**
 * Serves cluster `name` with `pool`: pulls work from the cluster's JetStream queue and runs it here.
 * Rejects when the connection cannot reach JetStream (or is refused by it).
 *
 * @example
 * await using h = await host(await connect({ servers }), {
 *   name: 'render', pool: new Pool({ processes: 8 }), allow: ['/srv/app'],
 * });
 */
export async function host(nc: NatsConnection, options: HostOptions): Promise<Host> {
  if (typeof nc !== 'object' || nc === null || typeof (nc as Partial<NatsConnection>).subscribe !== 'function') {
    throw new TypeError(`nc must be a NatsConnection, got ${nc === null ? 'null' : typeof nc}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object with name and pool, got ${String(options)}`);
  checkKnownOptions('host()', options, ['name', 'pool', 'allow', 'allowSource', 'hostName', 'ackWait', 'concurrency', 'maxDeliver', 'replicas']);
  const name = checkName(options.name);
  const pool = options.pool;
  if (typeof pool !== 'object' || pool === null || typeof (pool as Partial<Pool>).apply !== 'function' || typeof (pool as Partial<Pool>).map !== 'function') {
    throw new TypeError(`pool must be a Pool (new Pool() of any adapter), got ${pool === null ? 'null' : typeof pool}`);
  }
  const closedPool = await whyClosed(pool);
  if (closedPool) throw new TypeError(`pool must be an open Pool, got one that was closed or terminated (${(closedPool as Error).message})`);
  const proc = (globalThis as { process?: { pid?: number; cwd?: () => string } }).process;
  const roots = allowRoots(options.allow, proc?.cwd?.() ?? '/');
  if (options.allowSource !== undefined && typeof options.allowSource !== 'boolean') {
    throw new TypeError(`allowSource must be a boolean, got ${typeof options.allowSource}`);
  }
  const allowSource = options.allowSource ?? false;
  if (options.hostName !== undefined && (typeof options.hostName !== 'string' || options.hostName === '')) {
    throw new TypeError(`hostName must be a non-empty string, got ${typeof options.hostName}`);
  }
  const hostName = options.hostName ?? `${hostname()}:${proc?.pid ?? 0}`;
  const ackWait = integerOption('ackWait', options.ackWait, 30_000);
  const concurrency = integerOption('concurrency', options.concurrency, Math.max(2, pool.stats().workers * 2));
  const maxDeliver = integerOption('maxDeliver', options.maxDeliver, 10);
  const replicas = integerOption('replicas', options.replicas, 1, MAX_REPLICAS);

  const names = namesOf(name);
  await ensureStream(nc, names, replicas);
  await ensureConsumer(nc, names, ackWait, maxDeliver);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(names.stream, names.consumer);
  // The consumer's own settings (the last host to start set them): when a delivery is the last one, and its ack wait.
  const { config } = await consumer.info(true);
  const lastDelivery = config.max_deliver !== undefined && config.max_deliver > 0 ? config.max_deliver : maxDeliver;
  const claimMs = config.ack_wait ? Math.ceil(config.ack_wait / 1e6) : ackWait;

  const stats = { answered: 0, dropped: 0, malformed: 0, refused: 0 };
  const output = targetOutput(nc, names, hostName);
  const running = new Map<string, BatchSignal>();
  const timedTasks = new Map<string, TaskFn<[RemoteCall], [unknown, number]>>();
  const refusals = new Map<string, string>();
  /** Batches their callers cancelled, kept a while: a cancelled batch may still be queued. */
  const cancelled = new Map<string, number>();
  const aliveUntil = new Map<string, number>();
  const gone = new Set<string>();
  const silentSince = new Map<string, number>();
  let closing = false;
  /** Batches running here: taken from the work queue, or sent directly. */
  let inflight = 0;
  let current: ConsumerMessages | undefined;
  let slotFreed: (() => void) | undefined;

  /** The first subscription the server refused this host (permissions): host() rejects with it. */
  let refusedSub: Error | undefined;
  const cancelSub: Subscription = nc.subscribe(names.cancel, {
    callback: (e, m) => {
      // A refused subscription calls back once with the error and no message.
      if (e) {
        refusedSub ??= e;
        return;
      }
      const c = decodeCancel(m.data);
      if (!c) return;
      const now = Date.now();
      if (cancelled.size > 100_000) for (const [k, t] of cancelled) if (t < now - 600_000 || cancelled.size > 50_000) cancelled.delete(k);
      for (const b of c.batches) {
        const key = `${c.caller}.${b}`;
        cancelled.set(key, now);
        running.get(key)?.abort(new Error('the caller cancelled this work'));
      }
    },
  });

  /**
   * Whether the caller still wants `batch`: it answers while alive. No answer at all ("no responders") means it
   * is gone, but only once that has lasted GONE_AFTER_MS: a caller reconnecting after a server restart has no
   * subscription for a moment. Until then the answer is 'unsure'.
   */
  async function wanted(caller: string, batch: number, ask: boolean, last = false): Promise<'yes' | 'no' | 'unsure'> {
    if (cancelled.has(`${caller}.${batch}`) || gone.has(caller)) return 'no';
    if (!ask && !last && (aliveUntil.get(caller) ?? 0) > Date.now()) return 'yes';
    try {
      // On the batch's last delivery, the caller is told so (and the claim's length): if this host then dies or
      // stalls, nothing redelivers it, and the caller fails the call when it stops hearing about the batch.
      // (JetStream's max-deliveries advisory says the same, but a 2.9 server sends it only when some host pulls.)
      let options: { timeout: number; headers?: MsgHdrs } = { timeout: 2000 };
      if (last) {
        const h = headers();
        h.set(LAST_DELIVERY, String(claimMs));
        options = { ...options, headers: h };
      }
      const reply = await nc.request(names.alive(caller), bytes.encode(String(batch)), options);
      aliveUntil.set(caller, Date.now() + 1000);
      silentSince.delete(caller);
      if (aliveUntil.size > 10_000) aliveUntil.clear();
      return text.decode(reply.data) === '1' ? 'yes' : 'no';
    } catch (error) {
      // A timeout: the caller may be busy; the work goes on.
      if (!isNoResponders(error)) return 'yes';
      const since = silentSince.get(caller);
      if (since === undefined) {
        if (silentSince.size > 10_000) silentSince.clear();
        silentSince.set(caller, Date.now());
        return 'unsure';
      }
      if (Date.now() - since < GONE_AFTER_MS) return 'unsure';
      // Gone for good: a caller's id is never reused.
      if (gone.size > 10_000) gone.clear();
      gone.add(caller);
      return 'no';
    }
  }

  /** The error as data, naming this host; `extra` receives what runRemote attached to it (output, an initializer's failure). */
  function hostError(error: unknown, extra?: { out?: OutputChunk[]; init?: boolean }): SerializedError {
    let s: SerializedError;
    if (RemoteError.isInstance(error) && (error as RemoteError).cause !== undefined) {
      const remote = error as RemoteError;
      s = serializeError(remote.cause);
      if (remote.remoteStack !== undefined) s.stack = remote.remoteStack;
    } else s = serializeError(error);
    const props = { ...s.props };
    if (OUTPUT in props) {
      if (extra && Array.isArray(props[OUTPUT])) extra.out = props[OUTPUT] as OutputChunk[];
      delete props[OUTPUT];
    }
    if (INIT_FAILED in props) {
      if (extra) extra.init = props[INIT_FAILED] === true;
      delete props[INIT_FAILED];
    }
    s.props = { ...props, host: hostName };
    s.stack = `${s.stack ?? `${s.name}: ${s.message}`}\n    (on host ${hostName})`;
    return s;
  }

  /** The error of a caller pool whose initializer failed here (or was refused), as every one of its jobs gets it. */
  function initError(cause: SerializedError): SerializedError {
    return { ...cause, message: `the pool's initializer failed on host ${hostName}: ${cause.message}` };
  }

  /** Why this envelope's initializer may not run here, as its error; undefined when it may. */
  function initRefused(env: JobEnvelope): SerializedError | undefined {
    if (!env.init) return undefined;
    const why = refusal(env.init.spec, hostName, roots, allowSource);
    if (!why) return undefined;
    stats.refused++;
    return hostError(new Error(why));
  }

  /** Pools like this host's whose workers are replaced after n tasks, by n (poolFor). */
  const retiring = new Map<number, Pool>();

  /**
   * The pool a batch runs on: this host's, or, for a caller pool made with `maxTasksPerChild` n, one like it (same
   * context, size and initializer) whose workers are replaced after n tasks — made on first use and ended with the
   * host. At most four such at once: a fifth n closes the oldest (it finishes what it runs).
   */
  function poolFor(env: JobEnvelope): Pool {
    const n = env.tasksPerChild;
    const own = pool.maxTasksPerChild;
    if (n === undefined || (own !== undefined && own <= n)) return pool;
    let p = retiring.get(n);
    if (!p) {
      const like = (pool as Partial<Record<typeof POOL_LIKE, (o: PoolLikeOverrides) => Pool>>)[POOL_LIKE];
      if (typeof like !== 'function') {
        throw new TypeError(`the pool of host ${hostName} cannot make workers that are replaced after ${n} tasks (the caller pool's maxTasksPerChild): it is not a Pool of @mp/core`);
      }
      if (retiring.size >= 4) {
        const [oldest, old] = retiring.entries().next().value!;
        retiring.delete(oldest);
        old.close();
      }
      p = like.call(pool, { maxTasksPerChild: n });
      retiring.set(n, p);
    }
    return p;
  }

  function call(pool: Pool, remote: RemoteCall, signal: AbortSignal, timeout?: number): Promise<unknown> {
    try {
      return pool.apply(runRemote, [remote], timeout === undefined ? { signal } : { signal, timeout });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * runRemote for one caller function, answering with the time the function ran in the host worker. Its own copy
   * per function (told apart by a comment), so this host's pool measures and batches each function by its own cost.
   */
  function timedTask(spec: FnSpec): TaskFn<[RemoteCall], [unknown, number]> {
    const key = spec.kind === 'module' ? `m ${spec.url}#${spec.name}` : `s ${spec.source}`;
    let fn = timedTasks.get(key);
    if (!fn) {
      if (timedTasks.size >= 1000) timedTasks.clear();
      fn = fnFromSpec({ kind: 'source', name: 'runRemote', source: `${RUN_REMOTE}\n// ${fingerprint(key)}` }) as TaskFn<[RemoteCall], [unknown, number]>;
      timedTasks.set(key, fn);
    }
    return fn;
  }

  function runJob(pool: Pool, job: WireJob, env: JobEnvelope, refusedInit: SerializedError | undefined, signal: AbortSignal, spent: { ms: number; untimed: boolean }): Promise<WireResult> {
    if (refusedInit) return Promise.resolve({ id: job.id, ok: false, error: initError(refusedInit) });
    const why = jobRefusal(job.spec!);
    if (why) {
      stats.refused++;
      return Promise.resolve({ id: job.id, ok: false, error: hostError(new Error(why)) });
    }
    let run: Promise<unknown>;
    // The caller's timeout, counted here from when the task starts in this host's pool (it may have waited in
    // the work queue, and may wait here for a worker): this pool times it and stops the worker it ran in.
    const timeout = job.timeout;
    if (job.mode === 'apply') {
      // Timed in the worker: the wall time here would count this pool's own hand-off (about a millisecond on a
      // busy machine), and the caller's pool would take every cheap task for a long one and never batch them.
      const remote: RemoteCall = { init: env.init, mode: 'apply', fn: job.spec!, data: job.data, timed: true };
      try {
        run = pool.apply(timedTask(job.spec!), [remote], timeout === undefined ? { signal } : { signal, timeout }).then(([value, ms]) => {
          spent.ms += ms;
          return value;
        });
      } catch (error) {
        run = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    } else if (env.init) {
      spent.untimed = true;
      // The caller pool's initializer runs first, once in whichever worker of this host's pool takes the job.
      run = call(pool, { init: env.init, mode: job.mode, fn: job.spec!, data: job.data }, signal, timeout);
    } else {
      spent.untimed = true;
      const fn = fnFromSpec(job.spec!);
      const one = fn as TaskFn<[unknown], unknown>;
      // A chunk is one task of a pool that replaces its workers after so many (as the caller's pool counts it),
      // and of a timed call (the timeout covers the chunk, as in the caller's pool).
      const options: MapOptions = { signal };
      if (env.tasksPerChild !== undefined || timeout !== undefined) options.chunksize = Math.max(1, (job.data as unknown[]).length);
      if (timeout !== undefined) options.timeout = timeout;
      try {
        if (job.mode === 'map') run = pool.map(one, job.data as unknown[], options);
        else run = pool.starmap(fn, job.data as unknown[][], options);
      } catch (error) {
        // Today a Pool method may still throw at its call site; it is this job's failure either way.
        run = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return run.then(
      (value) => ({ id: job.id, ok: true as const, value }),
      (error: unknown): WireResult => {
        const extra: { init?: boolean } = {};
        const e = hostError(error, extra);
        // This pool's own timeout, not the task's error: the caller rebuilds it as a TimeoutError (WireResult.own).
        if (TimeoutError.isInstance(error)) return { id: job.id, ok: false, error: e, own: true };
        return { id: job.id, ok: false, error: extra.init ? initError(e) : e };
      },
    );
  }

  /** Runs a virtual worker's start: the caller pool's initializer, in one worker of this host's pool. */
  async function runInit(env: JobEnvelope, signal: AbortSignal): Promise<NonNullable<ResultEnvelope['init']>> {
    const refused = initRefused(env);
    if (refused) return { error: refused };
    try {
      await call(pool, { init: env.init, mode: 'init' }, signal);
      return {};
    } catch (error) {
      return { error: hostError(error) };
    }
  }

  /**
   * Runs a Process target; what it prints goes to the caller (on the call's output subject) before the answer.
   * While it runs, the worker sends what it printed every few milliseconds through this host's manager (a
   * proxy of one sink object, passed in the call: it works in a pool of any context), so the caller sees it
   * live; what is left when it settles comes with the end of the call.
   */
  async function runTarget(env: JobEnvelope, signal: AbortSignal): Promise<NonNullable<ResultEnvelope['target']>> {
    const spec = env.target!.spec;
    const why = refusal(spec, hostName, roots, allowSource);
    if (why) {
      stats.refused++;
      return { error: hostError(new Error(why)) };
    }
    try {
      const live = await output.begin(env, pool);
      const done = (await call(pool, { mode: 'target', fn: spec, data: env.target!.args, live }, signal)) as { out?: OutputChunk[] } | undefined;
      output.send(env, done?.out ?? []);
      return {};
    } catch (error) {
      const extra: { out?: OutputChunk[] } = {};
      const e = hostError(error, extra);
      output.send(env, extra.out ?? []);
      return { error: e };
    } finally {
      output.end(env);
    }
  }

  /** Sends a batch's answer: on the caller's result subject, or as the reply to a direct request. */
  function reply(env: JobEnvelope, answer: ResultEnvelope, subject = names.results(env.caller)): void {
    let data: Uint8Array | undefined;
    try {
      data = encode(answer);
      const max = nc.info?.max_payload;
      if (max !== undefined && data.length > max) throw new RangeError(`the results are ${data.length} bytes, more than the NATS server's max_payload (${max}); use a smaller chunksize`);
    } catch (error) {
      const e = hostError(error);
      data = encode(
        answer.results
          ? { ...answer, results: failEach(answer.results, e) }
          : answer.init
            ? { ...answer, init: { error: e } }
            : { ...answer, target: { error: e } },
      );
    }
    nc.publish(subject, data);
  }

  /** Why a job's function is refused here, or undefined: the same spec comes with every job, so checked once. */
  function jobRefusal(spec: FnSpec): string | undefined {
    const key = spec.kind === 'module' ? `m ${spec.url}#${spec.name}` : `s ${spec.source}`;
    const hit = refusals.get(key);
    if (hit !== undefined) return hit || undefined;
    const seen: { missing?: boolean } = {};
    const why = refusal(spec, hostName, roots, allowSource, seen);
    // A module not there yet is checked again when it is: it may come as a link that leads out of the roots.
    if (seen.missing) return why;
    if (refusals.size >= 1000) refusals.clear();
    refusals.set(key, why ?? '');
    return why;
  }

  /**
   * A batch's jobs. Its applies run in this host's pool as a few tasks of many applies each, one per worker (at
   * most), not one pool task each: a pool call per apply (its signal listener, scheduling, message) cost more
   * here than the applies themselves, which the caller's pool batched because each is quick. Each apply keeps
   * its own value or error and time. If such a run fails as a whole (its worker died, a value could not be sent
   * back), its applies run again one by one, as before, so each gets its own outcome. On a pool with
   * `maxTasksPerChild`, each apply stays one pool task, so its workers are replaced after that many applies.
   */
  async function runJobs(pool: Pool, env: JobEnvelope, refusedInit: SerializedError | undefined, signal: AbortSignal, spent: { ms: number; untimed: boolean }): Promise<WireResult[]> {
    const jobs = env.jobs!;
    const results = new Array<Promise<WireResult>>(jobs.length);
    const applies: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i]!;
      // A timed apply runs as a pool task of its own, so this pool times it alone.
      if (refusedInit || job.mode !== 'apply' || job.timeout !== undefined || jobRefusal(job.spec!)) results[i] = runJob(pool, job, env, refusedInit, signal, spent);
      else applies.push(i);
    }
    // A pool that replaces its workers after so many tasks counts each apply as one of them: one pool task each.
    if (applies.length === 1 || (applies.length > 1 && pool.maxTasksPerChild !== undefined)) {
      for (const i of applies) results[i] = runJob(pool, jobs[i]!, env, undefined, signal, spent);
    } else if (applies.length > 1) {
      const runs = Math.min(applies.length, Math.max(1, pool.stats().workers));
      for (let r = 0, at = 0; r < runs; r++) {
        const size = Math.floor(applies.length / runs) + (r < applies.length % runs ? 1 : 0);
        const part = applies.slice(at, (at += size));
        const done = runApplies(pool, part.map((i) => jobs[i]!), env, signal, spent);
        for (let k = 0; k < part.length; k++) results[part[k]!] = done.then((all) => all[k]!);
      }
    }
    return Promise.all(results);
  }

  /** Several applies as one task of this host's pool (see runJobs). */
  async function runApplies(pool: Pool, jobs: WireJob[], env: JobEnvelope, signal: AbortSignal, spent: { ms: number; untimed: boolean }): Promise<WireResult[]> {
    const remote: RemoteCall = { init: env.init, mode: 'applies', calls: jobs.map((job) => ({ fn: job.spec!, data: job.data as unknown[] })) };
    let outcomes: AppliesOutcome[];
    try {
      outcomes = await pool.apply(RUN_APPLIES, [remote], { signal });
    } catch (error) {
      if (signal.aborted) {
        return failEach(jobs, hostError(error));
      }
      return Promise.all(jobs.map((job) => runJob(pool, job, env, undefined, signal, spent)));
    }
    return jobs.map((job, k) => {
      const [ok, value, ms] = outcomes[k]!;
      spent.ms += ms;
      return ok === 1 ? { id: job.id, ok: true as const, value } : { id: job.id, ok: false as const, error: hostError(errorFromData(value)) };
    });
  }

  /** Runs a batch (jobs, a Process target, or a virtual worker's start) and makes its answer. */
  async function run(env: JobEnvelope, signal: AbortSignal): Promise<ResultEnvelope> {
    const started = performance.now();
    const answer: ResultEnvelope = { v: 1, batch: env.batch, host: hostName };
    if (env.jobs) {
      const refusedInit = initRefused(env);
      const spent = { ms: 0, untimed: false };
      let on: Pool;
      try {
        on = poolFor(env);
      } catch (error) {
        answer.results = failEach(env.jobs, hostError(error));
        return answer;
      }
      answer.results = await runJobs(on, env, refusedInit, signal, spent);
      // What the caller's pool learns a batch costs: the applies' time in the workers; with map chunks, the wall time.
      answer.ms = spent.untimed ? performance.now() - started : spent.ms;
    } else if (env.target) answer.target = await runTarget(env, signal);
    else answer.init = await runInit(env, signal);
    answer.ms ??= performance.now() - started;
    return answer;
  }

  /**
   * Whether `answer` failed because this host's pool was closed or terminated under it (not a task's own error, nor
   * one of the pools made for a caller's maxTasksPerChild). Then this host takes no more work, and the batch is not
   * answered: it goes back to the queue for another host rather than failing its caller's calls.
   */
  async function poolGone(answer: ResultEnvelope): Promise<boolean> {
    const named = (e: SerializedError | undefined): boolean => e?.name === 'PoolClosedError';
    const hit = answer.results?.some((r) => !r.ok && named(r.error)) || named(answer.target?.error) || named(answer.init?.error);
    if (!hit || !(await whyClosed(pool))) return false;
    stopTaking();
    return true;
  }

  /**
   * A caller's lone batch sent by request/reply, past the work queue (see cluster.ts): run at once when this host
   * has a free slot, answered as the reply; an empty reply says "busy" and the caller queues it on JetStream.
   * The caller is there (it asked), so it is not asked whether it still wants the batch.
   */
  function direct(m: Msg): void {
    if (!m.reply) return;
    const env = closing || inflight >= concurrency ? undefined : decodeJob(m.data);
    const key = env ? `${env.caller}.${env.batch}` : '';
    if (!env?.jobs || cancelled.has(key) || running.has(key)) {
      if (!closing && inflight < concurrency && !env?.jobs) stats.malformed++;
      try {
        m.respond(EMPTY);
      } catch {
        // closed
      }
      return;
    }
    const subject = m.reply;
    const controller = new BatchSignal();
    running.set(key, controller);
    inflight++;
    void run(env, controller.signal)
      .then(async (answer) => {
        if (controller.signal.aborted) {
          stats.dropped++;
          return;
        }
        if (await poolGone(answer)) {
          // "Busy": the caller queues the batch on JetStream, for another host.
          nc.publish(subject, EMPTY);
          return;
        }
        answer.via = directId;
        reply(env, answer, subject);
        stats.answered++;
      })
      .catch(() => {
        // Not answered: the caller queues the batch on JetStream when its wait ends.
      })
      .finally(() => {
        running.delete(key);
        inflight--;
        const f = slotFreed;
        slotFreed = undefined;
        f?.();
      });
  }

  async function handle(m: JsMsg): Promise<void> {
    const env = decodeJob(m.data);
    if (!env) {
      stats.malformed++;
      // Acked, not termed: in a work-queue stream only an ack removes a message, and garbage should not stay.
      m.ack();
      return;
    }
    const key = `${env.caller}.${env.batch}`;
    const last = m.info.deliveryCount >= lastDelivery;
    const want = await wanted(env.caller, env.batch, m.info.deliveryCount > 1, last);
    // The caller may have cancelled the batch while it was asked (a cancel that came then found nothing running).
    if (want === 'no' || cancelled.has(key)) {
      stats.dropped++;
      m.ack();
      return;
    }
    if (want === 'unsure') {
      // Ask again in a second: by then the caller has answered, or has been silent long enough to count as gone.
      m.nak(1000);
      return;
    }
    const controller = new BatchSignal();
    running.set(key, controller);
    // Keep the claim while the batch runs, and drop it once the caller is gone.
    const beat = setInterval(() => {
      m.working();
      void wanted(env.caller, env.batch, true, last).then((want) => {
        if (want === 'no') controller.abort(new Error('the caller is gone'));
      });
    }, Math.max(200, Math.floor(ackWait / 3)));
    try {
      const answer = await run(env, controller.signal);
      if (controller.signal.aborted) {
        stats.dropped++;
        m.ack();
        return;
      }
      if (await poolGone(answer)) {
        m.nak();
        return;
      }
      reply(env, answer);
      stats.answered++;
      m.ack();
    } finally {
      clearInterval(beat);
      running.delete(key);
    }
  }

  const start = (m: JsMsg): void => {
    if (closing) {
      m.nak();
      return;
    }
    const done = (): void => {
      const f = slotFreed;
      slotFreed = undefined;
      f?.();
    };
    inflight++;
    void handle(m)
      .catch(() => {
        // A message this host could not handle goes back to the queue for another.
        try {
          m.nak();
        } catch {
          // connection closed
        }
      })
      .finally(() => {
        inflight--;
        done();
      });
  };

  // Direct requests: to any host of the queue group, or to this one by its direct id (the caller's last was answered here).
  const directId = randomId();
  const onDirect = (e: Error | null, m: Msg): void => {
    if (e) refusedSub ??= e;
    else direct(m);
  };
  const directSubs: Subscription[] = [nc.subscribe(names.direct, { queue: names.consumer, callback: onDirect }), nc.subscribe(names.directTo(directId), { callback: onDirect })];
  // The server refuses a subscription (its permissions) before it answers this round trip.
  await nc.flush();
  if (refusedSub) {
    cancelSub.unsubscribe();
    for (const sub of directSubs) sub.unsubscribe();
    throw new Error(`host ${hostName} cannot serve cluster '${name}': the NATS server refused it a subscription mp needs: ${refusedSub.message}`, { cause: refusedSub });
  }

  const loop = (async () => {
    while (!closing) {
      const free = concurrency - inflight;
      if (free <= 0) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      try {
        const fetch = (current = await consumer.fetch({ max_messages: free, expires: FETCH_EXPIRES_MS }));
        // A pull whose request was lost (the connection dropped) may never end on its own: end it after a while.
        const watchdog = setTimeout(() => fetch.stop(), FETCH_EXPIRES_MS + 3000);
        try {
          for await (const m of fetch) start(m);
        } finally {
          clearTimeout(watchdog);
        }
      } catch {
        if (closing || nc.isClosed()) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      } finally {
        current = undefined;
      }
    }
  })();

  // After a reconnect, pull again at once: a pull made before it is gone with the old connection.
  void (async () => {
    try {
      for await (const status of nc.status()) if (status.type === 'reconnect') current?.stop();
    } catch {
      // the connection ended
    }
  })();


  /**
   * Takes no more work: no new pulls, no direct requests; what runs finishes (close() waits for it). A pull still
   * open runs out (within FETCH_EXPIRES_MS), what it brings going back to the queue at once (start): stopping it
   * would drop what the server is sending it, which JetStream redelivers only after the ack wait.
   */
  function stopTaking(): void {
    if (closing) return;
    closing = true;
    for (const sub of directSubs) sub.unsubscribe();
    slotFreed?.();
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      stopTaking();
      current?.stop();
      await loop;
      while (inflight > 0) await new Promise<void>((resolve) => (slotFreed = resolve));
      // Nothing runs on them now: the pools made for callers' maxTasksPerChild end with the host.
      await Promise.all([...retiring.values()].map((p) => p.terminate()));
      retiring.clear();
      cancelSub.unsubscribe();
      await output.close();
    })());

  return {
    name,
    hostName,
    stats: () => ({ ...stats, running: running.size }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
