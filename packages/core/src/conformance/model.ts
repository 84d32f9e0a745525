/**
 * The plain model behind model-suite.ts: what one pool call of a random
 * program is, how it is run, and which outcomes the model allows for it.
 * It knows nothing of workers or scheduling — only what API.md promises:
 * results in input order (`imap`, `map`), every result (`imapUnordered`),
 * the first error ends a call, an input that throws ends it with that error,
 * aborts reject with their reason, `terminate()` with `PoolClosedError`.
 */
import fc from 'fast-check';
import type { Pool } from '../pool.js';
import type { ModelItem } from './fixtures.js';
import { fx } from './harness.js';
import { PoolClosedError, RemoteError, TimeoutError, WorkerExitError } from '../errors.js';
import { settlesWithin } from './assert.js';

export interface CallSpec {
  method: 'map' | 'starmap' | 'imap' | 'imapUnordered' | 'apply';
  /** The input (for `apply`, its one item): `n` items, numbers but for `specials` ([position, item]). */
  items: ModelItem[];
  n: number;
  specials: [number, ModelItem][];
  shape: 'array' | 'gen' | 'agen';
  /** An endless generator of numbers (imap only, always with `breakAfter`). */
  endless: boolean;
  chunksize: number | undefined;
  /** The input throws (a generator) or rejects (an async generator) when asked for this item. */
  inputFailsAt: number | undefined;
  timeout: number | undefined;
  /** Abort the call's signal this many ms after the call (0: already aborted). */
  abortAfter: number | undefined;
  /** imap: stop iterating after this many results. */
  breakAfter: number | undefined;
  /** Wait before making the call. */
  gap: number;
}

export type Lifecycle = { kind: 'none' } | { kind: 'close' | 'terminate'; at: number; wait: number };

export interface Program {
  processes: number;
  calls: CallSpec[];
  /** close() or terminate() before call `at` (after `wait` ms), or neither. */
  lifecycle: Lifecycle;
}

type PoolState = 'running' | 'closed' | 'terminated';

export interface Outcome {
  kind: 'resolved' | 'rejected' | 'syncThrow';
  /** The results (map, apply) or what the iteration yielded before it ended. */
  values: unknown[];
  error?: unknown;
  /** The error came from a task (RemoteError, WorkerExitError, TimeoutError). */
  byItem: boolean;
  /** Good and failing items the input gave the pool. */
  okPulled: number;
  badPulled: number;
  /** An endless input was closed after the loop broke out. */
  sourceClosed: boolean;
  abortReason: Error;
  inputError: Error;
  stateBefore: PoolState;
  stateAfter: PoolState;
}

export const itemArb: fc.Arbitrary<ModelItem> = fc.oneof(
  fc.tuple(fc.constant('throw' as const), fc.integer({ min: 0, max: 99 })),
  fc.tuple(fc.constant('exit' as const), fc.integer({ min: 1, max: 9 })),
  fc.tuple(fc.constant('slow' as const), fc.integer({ min: 800, max: 1200 }), fc.integer({ min: 0, max: 99 })),
  fc.constant<['hang']>(['hang']),
);

const isBad = (item: ModelItem): boolean => Array.isArray(item) && item[0] !== 'slow';
const valueOf = (item: ModelItem, plus: number): number | undefined =>
  typeof item === 'number' ? item * 2 + 1 + plus : item[0] === 'slow' ? item[2] * 2 + 1 + plus : undefined;

/** Makes the call `spec` describes on `pool` and collects what it gives. Never rejects. */
export async function runCall(pool: Pool, spec: CallSpec, exitCodes: boolean): Promise<Omit<Outcome, 'stateBefore' | 'stateAfter'>> {
  void exitCodes;
  const counts = { ok: 0, bad: 0, closed: false };
  const inputError = new Error(`model input failed at ${spec.inputFailsAt}`);
  const abortReason = new Error('model abort');
  const star = spec.method === 'starmap';
  const wrap = (item: ModelItem): unknown => {
    if (isBad(item)) counts.bad++;
    else counts.ok++;
    return star ? [item, 1] : item;
  };
  let input: Iterable<unknown> | AsyncIterable<unknown>;
  const { items, inputFailsAt } = spec;
  if (spec.endless) {
    input =
      spec.shape === 'agen'
        ? (async function* () {
            try {
              for (let i = 0; ; i++) yield await Promise.resolve(wrap(i));
            } finally {
              counts.closed = true;
            }
          })()
        : (function* () {
            try {
              for (let i = 0; ; i++) yield wrap(i);
            } finally {
              counts.closed = true;
            }
          })();
  } else if (spec.shape === 'array') {
    input = items.map(wrap);
  } else if (spec.shape === 'gen') {
    input = (function* () {
      for (let i = 0; i < items.length || i === inputFailsAt; i++) {
        if (i === inputFailsAt) throw inputError;
        yield wrap(items[i]!);
      }
    })();
  } else {
    input = (async function* () {
      for (let i = 0; i < items.length || i === inputFailsAt; i++) {
        await Promise.resolve();
        if (i === inputFailsAt) throw inputError;
        yield wrap(items[i]!);
      }
    })();
  }
  const controller = spec.abortAfter === undefined ? undefined : new AbortController();
  if (spec.abortAfter === 0) controller!.abort(abortReason);
  const timer = spec.abortAfter ? setTimeout(() => controller!.abort(abortReason), spec.abortAfter) : undefined;
  const options: Record<string, unknown> = {};
  if (spec.chunksize !== undefined) options.chunksize = spec.chunksize;
  if (spec.timeout !== undefined) options.timeout = spec.timeout;
  if (controller) options.signal = controller.signal;
  const base = () => ({ okPulled: counts.ok, badPulled: counts.bad, sourceClosed: counts.closed, abortReason, inputError });
  const rejected = (error: unknown, values: unknown[] = []) => ({
    kind: 'rejected' as const,
    values,
    error,
    byItem: RemoteError.isInstance(error) || WorkerExitError.isInstance(error) || TimeoutError.isInstance(error),
    ...base(),
  });
  try {
    if (spec.method === 'imap' || spec.method === 'imapUnordered') {
      let it: AsyncIterableIterator<unknown>;
      try {
        it = pool[spec.method](fx.act, input as Iterable<ModelItem>, options);
      } catch (error) {
        return { kind: 'syncThrow', values: [], error, byItem: false, ...base() };
      }
      const values: unknown[] = [];
      try {
        for await (const v of it) {
          values.push(v);
          if (spec.breakAfter !== undefined && values.length >= spec.breakAfter) break;
        }
      } catch (error) {
        return rejected(error, values);
      }
      if (spec.endless) {
        // A sync generator closes at once; an async one after the read it may be in.
        const until = Date.now() + 5_000;
        while (!counts.closed && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      }
      return { kind: 'resolved', values, byItem: false, ...base() };
    }
    let promise: Promise<unknown>;
    try {
      if (spec.method === 'apply') promise = pool.apply(fx.act, input as [ModelItem], options);
      else if (spec.method === 'map') promise = pool.map(fx.act, input as Iterable<ModelItem>, options);
      else promise = pool.starmap(fx.actPlus, input as Iterable<[ModelItem, number]>, options);
    } catch (error) {
      return { kind: 'syncThrow', values: [], error, byItem: false, ...base() };
    }
    const r = await settlesWithin(promise, 120_000, 'a pool call');
    if (r.status === 'rejected') return rejected(r.reason);
    return { kind: 'resolved', values: spec.method === 'apply' ? [r.value] : (r.value as unknown[]), byItem: false, ...base() };
  } finally {
    clearTimeout(timer);
  }
}

function errorOf(item: ModelItem, exitCodes: boolean): (e: unknown) => boolean {
  if (!Array.isArray(item)) return () => false;
  switch (item[0]) {
    case 'throw':
      return (e) => RemoteError.isInstance(e) && e.message === `model ${item[1]}` && (e as RemoteError).remoteName === 'RangeError';
    case 'exit':
      return (e) => WorkerExitError.isInstance(e) && (e as WorkerExitError).exitCode === (exitCodes ? item[1] : 0);
    case 'hang':
      return (e) => TimeoutError.isInstance(e);
    default:
      return () => false;
  }
}

function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const s = JSON.stringify(value);
  return s !== undefined && s.length > 200 ? `${s.slice(0, 200)}…` : String(s);
}

const sameList = (a: unknown[], b: unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether `sub`, as a multiset, fits inside `all`. */
function within(sub: unknown[], all: unknown[]): boolean {
  const left = new Map<unknown, number>();
  for (const v of all) left.set(v, (left.get(v) ?? 0) + 1);
  for (const v of sub) {
    const n = left.get(v) ?? 0;
    if (n === 0) return false;
    left.set(v, n - 1);
  }
  return true;
}

/** What is wrong with `o` as the outcome of `spec`, or undefined when the model allows it. */
export function expectationFor(spec: CallSpec, o: Outcome, exitCodes: boolean): string | undefined {
  const e = o.error;
  const what = `${o.kind}${o.kind === 'resolved' ? ` ${show(o.values)}` : ` (${show(e)}) after ${show(o.values)}`}`;
  if (o.kind === 'syncThrow') return `threw synchronously instead of rejecting: ${show(e)}`;
  const isClosed = (x: unknown) => PoolClosedError.isInstance(x);
  const isAbort = (x: unknown) => x === o.abortReason;
  // A call made on a closed pool, or with an aborted signal, is refused and runs nothing.
  if (o.stateBefore !== 'running' || spec.abortAfter === 0) {
    // Which refusal wins when there are two (a closed pool, an aborted signal, an input that fails: map reads it first) is open.
    const okError =
      (o.stateBefore !== 'running' && isClosed(e)) || (spec.abortAfter === 0 && isAbort(e)) || (spec.inputFailsAt !== undefined && e === o.inputError);
    return o.kind === 'rejected' && okError && o.values.length === 0 ? undefined : `expected a refusal (closed pool or aborted signal), got ${what}`;
  }
  const terminated = o.stateAfter === 'terminated';
  const external = (x: unknown) => (terminated && isClosed(x)) || (spec.abortAfter !== undefined && isAbort(x));
  const plus = spec.method === 'starmap' ? 1 : 0;
  const iter = spec.method === 'imap' || spec.method === 'imapUnordered';

  if (spec.endless) {
    const b = spec.breakAfter!;
    if (o.kind === 'rejected') return external(e) && o.values.length < b ? undefined : `endless input: ${what}`;
    if (o.values.length !== b) return `endless input: expected ${b} results, got ${what}`;
    if (spec.method === 'imap' && !sameList(o.values, Array.from({ length: b }, (_, i) => i * 2 + 1))) return `endless imap: wrong results ${what}`;
    if (new Set(o.values).size !== b || !o.values.every((v) => typeof v === 'number' && v % 2 === 1 && v > 0)) return `endless imapUnordered: wrong results ${what}`;
    if (!o.sourceClosed) return 'endless input: the generator was not closed after the loop broke out';
    return undefined;
  }

  const n = spec.items.length;
  const p = spec.inputFailsAt;
  const read = p === undefined ? spec.items : spec.items.slice(0, p);
  const values = read.map((item) => valueOf(item, plus));
  const firstBad = read.findIndex(isBad);
  const badErrors = read.filter(isBad).map((item) => errorOf(item, exitCodes));
  const anyBad = (x: unknown) => badErrors.some((m) => m(x));
  const mustAbort =
    spec.abortAfter !== undefined && !terminated && firstBad < 0 && p === undefined && read.some((x) => Array.isArray(x) && x[0] === 'slow');

  if (!iter) {
    if (o.kind === 'resolved') {
      if (mustAbort) return `expected the abort to end the call, got ${what}`;
      if (firstBad >= 0 || p !== undefined) return `expected a rejection (a task fails or the input throws), got ${what}`;
      return sameList(o.values, values) ? undefined : `expected ${show(values)}, got ${what}`;
    }
    if (external(e)) return undefined;
    if (mustAbort) return `expected the abort to end the call, got ${what}`;
    if (p !== undefined && e === o.inputError) return undefined;
    if (anyBad(e)) return undefined;
    return `rejected with an error the model does not allow: ${what}`;
  }

  const c = spec.chunksize ?? 1;
  if (spec.method === 'imap') {
    // Ordered: a prefix of the results, then the end, or the error of the first failing chunk or of the input.
    if (!sameList(o.values, values.slice(0, o.values.length))) return `yielded results out of order or wrong: ${what}; expected a prefix of ${show(values)}`;
    if (o.kind === 'resolved') {
      if (mustAbort) return `expected the abort to end the iteration, got ${what}`;
      if (spec.breakAfter !== undefined && o.values.length === Math.min(spec.breakAfter, n)) return undefined;
      if (firstBad >= 0 || p !== undefined) return `expected the iteration to fail, got ${what}`;
      return o.values.length === n ? undefined : `ended early: ${what}`;
    }
    if (external(e)) return undefined;
    if (mustAbort) return `expected the abort to end the iteration, got ${what}`;
    const chunkStart = firstBad < 0 ? Infinity : Math.floor(firstBad / c) * c;
    if (p !== undefined && e === o.inputError) {
      // An async input's partly read chunk may be dropped with the error.
      const from = Math.floor(p / c) * c;
      const okLength = o.values.length >= from && o.values.length <= p;
      return okLength && (firstBad < 0 || chunkStart === from) ? undefined : `the input's error came at the wrong place: ${what}`;
    }
    const chunk = read.slice(chunkStart, chunkStart + c).filter(isBad).map((item) => errorOf(item, exitCodes));
    if (chunk.some((m) => m(e)) && o.values.length === chunkStart) return undefined;
    return `expected ${chunkStart} results then the error of the first failing chunk, got ${what}`;
  }

  // imapUnordered: any of the results, then the end or an error.
  const goodValues = values.filter((v) => v !== undefined);
  if (!within(o.values, goodValues)) return `yielded results that were not asked for: ${what}`;
  if (o.kind === 'resolved') {
    if (mustAbort) return `expected the abort to end the iteration, got ${what}`;
    if (spec.breakAfter !== undefined && o.values.length === Math.min(spec.breakAfter, n)) return undefined;
    if (firstBad >= 0 || p !== undefined) return `expected the iteration to fail, got ${what}`;
    return o.values.length === n ? undefined : `ended early: ${what}`;
  }
  if (external(e)) return undefined;
  if (mustAbort) return `expected the abort to end the iteration, got ${what}`;
  if (p !== undefined && e === o.inputError) return undefined;
  if (anyBad(e)) return undefined;
  return `rejected with an error the model does not allow: ${what}`;
}
