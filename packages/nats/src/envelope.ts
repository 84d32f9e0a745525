/**
 * What travels on a cluster's subjects, and the checks every received message passes before anything acts on
 * it. Messages are mp's own binary encoding of structured-cloneable data (`@mp/core/wire`), so Maps, Dates,
 * typed arrays, bigints and errors arrive as they left. Anything that does not decode, or has another shape, is
 * refused here as `undefined`: garbage on an mp subject is dropped, never run, and never crashes the reader.
 */
import { deserialize, serialize, type FnSpec, type SerializedError, type WireJob, type WireResult } from '@mp/core/wire';

/** A batch of jobs (a pool's `run` message) or a Process target, from caller `caller`. */
export interface JobEnvelope {
  v: 1;
  caller: string;
  batch: number;
  /** Every job carries its function's spec: any host may get it. */
  jobs?: WireJob[];
  target?: { spec: FnSpec; args: unknown[] };
  /**
   * The caller pool's initializer: with `jobs`, run once in each host worker (for `key`, the caller pool) before
   * them; alone, a virtual worker's start, which runs it in one host worker and answers whether it threw.
   */
  init?: { key: string; spec: FnSpec; args: unknown[] };
  /** With `jobs`: the caller pool's `maxTasksPerChild`, so the host runs them on workers replaced after that many. */
  tasksPerChild?: number;
}

/** A host's answer to one batch. */
export interface ResultEnvelope {
  v: 1;
  batch: number;
  host: string;
  results?: WireResult[];
  ms?: number;
  target?: { error?: SerializedError };
  /** The answer to an envelope holding only `init`. */
  init?: { error?: SerializedError };
  /** In the reply to a direct request: the answering host's direct id, where the caller sends its next one. */
  via?: string;
}

/** What a remote Process target printed, sent on its call's output subject before the answer. */
export interface OutputEnvelope {
  v: 1;
  batch: number;
  host: string;
  /** Chunks in the order printed: 1 for stdout, 2 for stderr. */
  out: [1 | 2, string][];
}

export interface CancelEnvelope {
  v: 1;
  caller: string;
  batches: number[];
}

export function encode(value: JobEnvelope | ResultEnvelope | OutputEnvelope | CancelEnvelope): Uint8Array {
  return serialize(value, 'message');
}

function decode(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    // NATS hands out Node Buffers, whose slice() is a view: core's reader would then take an ArrayBuffer's bytes
    // from the whole receive buffer. A plain Uint8Array over the same bytes slices (copies) as it should.
    const v = deserialize(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { v?: unknown }).v === 1 ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isStr = (v: unknown, max = 1 << 20): v is string => typeof v === 'string' && v.length <= max;
/** A caller's id or a host's direct id (names.ts randomId). */
const ID = /^[a-f0-9]{8,64}$/;

export function isSpec(v: unknown): v is FnSpec {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (!isStr(s.name, 1024)) return false;
  if (s.kind === 'source') return isStr(s.source);
  if (s.kind === 'module') return isStr(s.url, 8192);
  return false;
}

function isJob(v: unknown): v is WireJob {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  if (!isInt(j.id) || !isInt(j.fn) || !isSpec(j.spec) || !Array.isArray(j.data)) return false;
  if (j.mode !== 'apply' && j.mode !== 'map' && j.mode !== 'star') return false;
  if (j.timeout !== undefined && !(typeof j.timeout === 'number' && j.timeout >= 0)) return false;
  // Descriptions of shared objects never cross to a cluster (the caller refuses them): a message holding one is forged.
  return j.shared === undefined;
}

function isInit(v: unknown): v is JobEnvelope['init'] {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  return isStr(i.key, 128) && isSpec(i.spec) && Array.isArray(i.args);
}

export function decodeJob(bytes: Uint8Array): JobEnvelope | undefined {
  const m = decode(bytes);
  if (!m || !isStr(m.caller, 64) || !ID.test(m.caller) || !isInt(m.batch)) return undefined;
  if (m.init !== undefined && !isInit(m.init)) return undefined;
  if (m.tasksPerChild !== undefined && !(isInt(m.tasksPerChild) && m.tasksPerChild >= 1)) return undefined;
  if (m.init !== undefined && m.jobs === undefined && m.target === undefined) return m as unknown as JobEnvelope;
  if (m.jobs !== undefined) {
    if (!Array.isArray(m.jobs) || m.jobs.length === 0 || m.target !== undefined || !m.jobs.every(isJob)) return undefined;
    return m as unknown as JobEnvelope;
  }
  const t = m.target as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || !isSpec(t.spec) || !Array.isArray(t.args) || m.init !== undefined) return undefined;
  return m as unknown as JobEnvelope;
}

function isSerializedError(v: unknown): v is SerializedError {
  return typeof v === 'object' && v !== null && isStr((v as SerializedError).name, 1024) && isStr((v as SerializedError).message);
}

function isResult(v: unknown): v is WireResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (!isInt(r.id)) return false;
  return r.ok === true ? 'value' in r : r.ok === false && isSerializedError(r.error) && (r.own === undefined || r.own === true);
}

export function decodeResult(bytes: Uint8Array): ResultEnvelope | undefined {
  const m = decode(bytes);
  if (!m || !isInt(m.batch) || !isStr(m.host, 256)) return undefined;
  if (m.via !== undefined && !(isStr(m.via, 64) && ID.test(m.via))) return undefined;
  if (m.results !== undefined) {
    if (!Array.isArray(m.results) || !m.results.every(isResult) || typeof m.ms !== 'number') return undefined;
    return m as unknown as ResultEnvelope;
  }
  const t = (m.target ?? m.init) as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || (m.target !== undefined && m.init !== undefined) || (t.error !== undefined && !isSerializedError(t.error))) return undefined;
  return m as unknown as ResultEnvelope;
}

export function decodeOutput(bytes: Uint8Array): OutputEnvelope | undefined {
  const m = decode(bytes);
  if (!m || !isInt(m.batch) || !isStr(m.host, 256) || !Array.isArray(m.out)) return undefined;
  const ok = m.out.every((c: unknown) => Array.isArray(c) && c.length === 2 && (c[0] === 1 || c[0] === 2) && isStr(c[1]));
  return ok ? (m as unknown as OutputEnvelope) : undefined;
}

export function decodeCancel(bytes: Uint8Array): CancelEnvelope | undefined {
  const m = decode(bytes);
  if (!m || !isStr(m.caller, 64) || !Array.isArray(m.batches) || !m.batches.every(isInt)) return undefined;
  return m as unknown as CancelEnvelope;
}
