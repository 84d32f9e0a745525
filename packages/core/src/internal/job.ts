/**
 * A job is the unit the scheduler hands to one worker: one `apply`, or one chunk
 * of a `map`. A call (apply, map, imap) produces jobs and consumes their results.
 */
import type { TransferItem } from '../runtime.js';
import type { FnSpec, JobMode } from './protocol.js';
import type { LongTimeout } from './long-timer.js';

/** A function known to the pool: its wire id, and its spec (sent once per worker). */
export interface FnRef {
  id: number;
  spec: FnSpec;
  /** Measured milliseconds per item (a moving average); negative until first measured. */
  cost: number;
}

export interface Job {
  id: number;
  call: Call;
  mode: JobMode;
  data: unknown;
  /** Position of the job's first item in its call's output. */
  start: number;
  /** How many items (1 for apply). */
  count: number;
  /** Bytes of buffers and strings at the top level of its data: big payloads are not batched together. */
  weight: number;
  transfer: TransferItem[] | undefined;
  /** Whether `data` holds descriptions of shared objects. */
  shared: boolean;
  /** Run alone on an otherwise idle worker: jobs with a timeout, and jobs suspected of crashing one. */
  isolate: boolean;
  queuedAt: number;
  startedAt: number;
  timer: LongTimeout | undefined;
}

/** What the scheduler needs from a call. */
export interface Call {
  readonly fn: FnRef;
  /** Per-task timeout in ms, counted from when the task is handed to its worker. */
  readonly timeout: number | undefined;
  /** True once the call has settled; its remaining jobs and late results are dropped. */
  readonly done: boolean;
  /** True when the call will never produce another job. */
  readonly exhausted: boolean;
  /** A lazy call (imap) may leave the scheduler's queue while it still has work to produce. */
  readonly lazy?: boolean;
  /** The next job, if the call can produce one now; if not (and not exhausted) it re-enqueues itself later. */
  take(): Job | undefined;
  /** How many jobs are known to be waiting in this call. */
  queued(): number;
  resolveJob(job: Job, value: unknown): void;
  rejectJob(job: Job, error: Error): void;
  /** Ends the call with `error` (abort, terminate). */
  fail(error: unknown): void;
  /** Makes `job`'s data again before it is sent again, where sending moved it (a packed map part). */
  refill?(job: Job): void;
}

let nextJobId = 1;

/** Bytes of the buffers and strings among `data`'s items (one level down), without walking deeper. */
function weigh(data: unknown): number {
  if (!Array.isArray(data)) return 0;
  let bytes = 0;
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v === 'string') bytes += v.length;
    else if (typeof v === 'object' && v !== null) {
      if (v instanceof ArrayBuffer) bytes += v.byteLength;
      else if (ArrayBuffer.isView(v)) bytes += v.byteLength;
      else if (Array.isArray(v)) for (const w of v as unknown[]) if (w instanceof ArrayBuffer || ArrayBuffer.isView(w)) bytes += w.byteLength;
    }
  }
  return bytes;
}

export function makeJob(
  call: Call,
  mode: JobMode,
  data: unknown,
  start: number,
  count: number,
  transfer: TransferItem[] | undefined,
  shared = false,
  plain = false,
): Job {
  return {
    id: nextJobId++,
    call,
    mode,
    data,
    start,
    count,
    // Moved buffers cost nothing to send; a chunk of primitives has no buffers to weigh.
    weight: plain || transfer !== undefined ? 0 : weigh(data),
    transfer,
    shared,
    isolate: call.timeout !== undefined,
    queuedAt: 0,
    startedAt: 0,
    timer: undefined,
  };
}
