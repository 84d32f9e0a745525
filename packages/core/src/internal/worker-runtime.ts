/**
 * The code that runs inside every worker, whatever the runtime: it receives
 * `ToWorker` messages through a `WorkerPort`, runs jobs strictly in order, and
 * answers each `run` batch with exactly one `done` message. Synchronous work
 * never touches a promise, so a batch of small tasks costs one message each way.
 */
import type { WorkerPort, TransferItem } from '../runtime.js';
import type { FnSpec, FromWorker, ToWorker, WireJob, WireResult } from './protocol.js';
import { serializeError } from './error-wire.js';
import { explainCapture, resolveFn, useImportSync } from './compile.js';
import { endChildren, liveChildren, setWorkerIdentity } from './process-info.js';
import { findUncloneable } from './validate.js';
import { unwrapTransfer } from '../task.js';
import { decodeShared } from './shared.js';
import type { Revivers } from './shared.js';

// The shared-object classes load on first use, so a worker that never receives one starts faster.
let revivers: Revivers | undefined;
let loadingRevivers: Promise<Revivers> | undefined;
function loadRevivers(): Promise<Revivers> {
  return (loadingRevivers ??= import('../sync/revivers.js').then((m) => (revivers = m.revivers)));
}
import { connectWorker } from './rpc.js';
import { watchStop } from './wait.js';
import { setLaneCodec, WorkerLane } from './lane.js';
import { deserialize, encode } from './serialize.js';

setLaneCodec(() => ({ encode, deserialize }));

type Fn = (...args: unknown[]) => unknown;

/** How long an idle worker waits for the next message before it returns to its event loop (see WorkerPort.receiveSync). */
const LINGER_MS = 0.1;

interface Defined {
  spec: FnSpec;
  /** Unset until resolved, and again after resolving failed: the parent sends a spec to a worker once, so a later task retries from it. */
  fn: Fn | Promise<Fn> | undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Starts serving the parent on `port`. Call once, from the adapter's worker entry. */
export function runWorker(adapterPort: WorkerPort): void {
  // esbuild's keepNames (tsx, vitest) wraps inner functions in `__name(fn, 'name')`;
  // a function sent by value from such code needs the helper here too.
  const g = globalThis as { __name?: unknown };
  g.__name ??= <T>(fn: T): T => fn;
  // mp's messages go through the lane (lane.ts): the port itself until the parent's `init` brings shared memory.
  const port = new WorkerLane(adapterPort);
  const now = adapterPort.now ? adapterPort.now.bind(adapterPort) : () => performance.now();
  useImportSync(adapterPort.importSync?.bind(adapterPort));
  adapterPort.onUncaught?.((error) => {
    try {
      port.postMessage({ type: 'uncaught', error: serializeError(error) } satisfies FromWorker);
    } catch {
      // The channel is gone: the exit code still tells the parent.
    }
  });
  // An orphan: its answers and output have nowhere to go (WorkerPort.onParentGone).
  adapterPort.onParentGone?.(() => adapterPort.exit(1));
  const defined = new Map<number, Defined>();
  // Time spent compiling or importing functions: not part of what a task costs.
  let setup = 0;
  const inbox: ToWorker[] = [];
  let draining = false;
  let linger = false;

  // Manager replies bypass the inbox: a task may be waiting for one.
  const rpc = connectWorker((data) => port.postMessage({ type: 'rpc', data }));
  port.onMessage(accept);
  // What the parent sent while this worker was starting is already waiting: take it now, not after
  // the event loop's first turn (about 0.8 ms later in a fresh Node worker thread).
  if (adapterPort.receiveSync) for (let m = port.receive(0); m !== undefined; m = port.receive(0)) accept(m);

  function accept(message: unknown): void {
    if ((message as ToWorker).type === 'rpc') {
      rpc((message as { data: unknown }).data);
      return;
    }
    inbox.push(message as ToWorker);
    if (!draining) drain();
  }

  function drain(): void {
    draining = true;
    for (;;) {
      while (inbox.length > 0) {
        const message = inbox.shift()!;
        const pending = handle(message);
        if (pending) {
          void pending.then(drain, drain);
          return;
        }
      }
      // Idle. When the parent said so (it awaits this answer blocking), a port that can receive synchronously waits a
      // moment for the next message, so a parent that answers each result with the next task does
      // not wait for this worker's event loop to wake up.
      if (!linger || !port.canReceive) break;
      linger = false;
      const next = port.receive(LINGER_MS);
      if (next === undefined) break;
      accept(next);
    }
    draining = false;
  }

  function handle(message: ToWorker): Promise<void> | undefined {
    switch (message.type) {
      case 'init':
        return init(message);
      case 'run':
        linger = message.linger === true;
        return runBatch(message.jobs);
      case 'target':
        return runTarget(message.spec, message.args, message.shared === true);
      case 'rpc':
        return undefined;
    }
  }

  function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> | undefined {
    if (message.stop instanceof Int32Array) watchStop(message.stop);
    setWorkerIdentity({ self: message.self, parent: message.parent });
    if (message.lane) port.attach(message.lane);
    if (!message.initializer) {
      port.postMessage({ type: 'ready' });
      return undefined;
    }
    const spec = message.initializer;
    return (async () => {
      try {
        const fn = await resolveFn(spec);
        const initargs = message.initargs ?? [];
        if (message.shared) decodeShared(initargs, await loadRevivers());
        await fn(...initargs);
        port.postMessage({ type: 'ready' });
      } catch (error) {
        port.postMessage({ type: 'initFailed', error: serializeError(explainCapture(error, spec)) });
      }
    })();
  }

  function runBatch(jobs: WireJob[]): Promise<void> | undefined {
    const started = now() - setup;
    const results: WireResult[] = [];
    const transfer: TransferItem[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const pending = runJob(jobs[i]!, results, transfer);
      if (pending) return finishAsync(pending, jobs, i + 1, results, transfer, started);
    }
    const ms = now() - setup - started;
    const flushing = adapterPort.flushOutput?.();
    if (flushing) {
      // Answered either way: a port whose output failed must not lose the results.
      const answer = (): void => send(results, transfer, ms, jobs);
      return flushing.then(answer, answer);
    }
    send(results, transfer, ms, jobs);
    return undefined;
  }

  async function finishAsync(
    first: Promise<void>,
    jobs: WireJob[],
    next: number,
    results: WireResult[],
    transfer: TransferItem[],
    started: number,
  ): Promise<void> {
    await first;
    for (let i = next; i < jobs.length; i++) {
      const pending = runJob(jobs[i]!, results, transfer);
      if (pending) await pending;
    }
    const ms = now() - setup - started;
    await adapterPort.flushOutput?.()?.catch(() => undefined);
    send(results, transfer, ms, jobs);
  }

  /** Runs one job, appending its result; returns a promise only if the job went asynchronous. */
  function runJob(job: WireJob, results: WireResult[], transfer: TransferItem[]): Promise<void> | undefined {
    let entry = defined.get(job.fn);
    if (!entry) {
      if (!job.spec) {
        results.push({ id: job.id, ok: false, error: serializeError(new Error(`unknown function id ${job.fn}`)) });
        return undefined;
      }
      entry = { spec: job.spec, fn: undefined };
      defined.set(job.fn, entry);
    }
    if (entry.fn === undefined) {
      const t0 = now();
      try {
        const fn = resolveFn(entry.spec);
        if (isThenable(fn)) void fn.then(() => (setup += now() - t0), () => undefined);
        else setup += now() - t0;
        entry.fn = fn;
      } catch (error) {
        results.push({ id: job.id, ok: false, error: serializeError(error) });
        return undefined;
      }
    }
    const { spec } = entry;
    const fail = (error: unknown): void => {
      results.push({ id: job.id, ok: false, error: serializeError(explainCapture(error, spec)) });
    };
    const succeed = (value: unknown): void => {
      // A packed part's results are this worker's own array: moved, not copied.
      if (job.packed && value instanceof Float64Array) transfer.push(value.buffer);
      results.push({ id: job.id, ok: true, value: unwrapTransfer(value, transfer) });
    };
    if (isThenable(entry.fn)) {
      const e = entry;
      return entry.fn.then(
        (fn) => {
          e.fn = fn;
          return runWith(fn, job, succeed, fail);
        },
        (error: unknown) => {
          e.fn = undefined;
          fail(error);
        },
      );
    }
    return runWith(entry.fn, job, succeed, fail);
  }

  function runWith(fn: Fn, job: WireJob, succeed: (v: unknown) => void, fail: (e: unknown) => void): Promise<void> | undefined {
    try {
      if (job.shared) {
        if (!revivers) return loadRevivers().then(() => runWith(fn, job, succeed, fail));
        decodeShared(job.data, revivers);
      }
      if (job.mode === 'apply') {
        const value = fn(...(job.data as unknown[]));
        if (isThenable(value)) return Promise.resolve(value).then(succeed, fail);
        succeed(value);
        return undefined;
      }
      if (job.packed) return runPacked(fn, job.data as Float64Array, succeed, fail);
      const items = job.data as unknown[];
      return fill(fn, items, job.mode === 'star', new Array<unknown>(items.length), 0, succeed, fail);
    } catch (error) {
      fail(error);
      return undefined;
    }
  }

  /** A packed map part (WireJob.packed): results packed while they are numbers, else an array from there on. */
  function runPacked(fn: Fn, items: Float64Array, succeed: (v: unknown) => void, fail: (e: unknown) => void): Promise<void> | undefined {
    const n = items.length;
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const value = fn(items[i]);
      if (typeof value === 'number') {
        packed[i] = value;
        continue;
      }
      const out = new Array<unknown>(n);
      for (let k = 0; k < i; k++) out[k] = packed[k];
      if (isThenable(value)) return continueAsync(fn, items, false, out, i, value).then(succeed, fail);
      out[i] = value;
      return fill(fn, items, false, out, i + 1, succeed, fail);
    }
    succeed(packed);
    return undefined;
  }

  /** Runs `fn` over `items` from `from` on into `out`, then succeeds with it; from the first promise on, in order, awaiting each. */
  function fill(
    fn: Fn,
    items: ArrayLike<unknown>,
    star: boolean,
    out: unknown[],
    from: number,
    succeed: (v: unknown) => void,
    fail: (e: unknown) => void,
  ): Promise<void> | undefined {
    for (let i = from; i < items.length; i++) {
      const value = star ? fn(...(items[i] as unknown[])) : fn(items[i]);
      if (isThenable(value)) return continueAsync(fn, items, star, out, i, value).then(succeed, fail);
      out[i] = value;
    }
    succeed(out);
    return undefined;
  }

  async function continueAsync(
    fn: Fn,
    items: ArrayLike<unknown>,
    star: boolean,
    out: unknown[],
    at: number,
    first: PromiseLike<unknown>,
  ): Promise<unknown[]> {
    out[at] = await first;
    for (let i = at + 1; i < items.length; i++) {
      out[i] = await (star ? fn(...(items[i] as unknown[])) : fn(items[i]));
    }
    return out;
  }

  /** `jobs`: the batch the results answer, to name a result that cannot be cloned by its input's index. */
  function send(results: WireResult[], transfer: TransferItem[], ms: number, jobs: WireJob[]): void {
    try {
      port.postMessage({ type: 'done', results, ms }, transfer);
    } catch (error) {
      // A result that cannot be cloned fails its own job, not the batch.
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if (!r.ok) continue;
        const found = uncloneableResult(r.value, jobs.find((j) => j.id === r.id));
        if (found) {
          results[i] = { id: r.id, ok: false, error: serializeError(new TypeError(`${found}: a task must return structured-cloneable data`)) };
        }
      }
      try {
        port.postMessage({ type: 'done', results, ms }, transfer);
      } catch {
        port.postMessage({
          type: 'done',
          results: results.map((r) => ({ id: r.id, ok: false, error: serializeError(error) })),
          ms,
        });
      }
    }
  }

  /** Where a job's result cannot be cloned: a map or starmap result by its item's index in the call's input. */
  function uncloneableResult(value: unknown, job: WireJob | undefined): string | undefined {
    if (!job || job.mode === 'apply' || !Array.isArray(value)) return findUncloneable(value, 'the result');
    const at = job.at ?? 0;
    for (let k = 0; k < value.length; k++) {
      const found = findUncloneable(value[k], `the result[${at + k}]`);
      if (found) return found;
    }
    return undefined;
  }

  function runTarget(spec: FnSpec, args: unknown[], shared: boolean): Promise<void> {
    return (async () => {
      let code = 0;
      const before = new Set(liveChildren());
      try {
        if (shared) decodeShared(args, await loadRevivers());
        const fn = await resolveFn(spec);
        await fn(...args);
        await endChildren(before);
        port.postMessage({ type: 'targetDone' });
      } catch (error) {
        code = 1;
        await endChildren(before);
        port.postMessage({ type: 'targetDone', error: serializeError(explainCapture(error, spec)) });
      }
      adapterPort.exit(code);
    })();
  }
}
