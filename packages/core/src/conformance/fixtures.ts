/**
 * Task functions the conformance suite sends by reference (`task(url, name)`).
 * Test code only: unlike the library, a few fixtures look at which runtime they
 * run in, to end or crash a worker the way each runtime allows.
 */
import { workerIdentity } from '../internal/process-info.js';
import { transfer } from '../task.js';
import { MpError } from '../errors.js';

type Env = {
  process?: { exit(code: number): never; memoryUsage?: () => { rss: number } };
  Deno?: { exit(code: number): never };
  close?: () => void;
};
const env = globalThis as unknown as Env;

export function squ(n: number): number {
  return n ** 2;
}

export function add(a: number, b: number): number {
  return a + b;
}

/** Waits `ms`, then returns `ms`. */
export async function sleep(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}

/** Waits `ms`, then returns `value`. */
export async function sleepThen(ms: number, value: unknown): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

export function fail(message: string, props: Record<string, unknown> = {}): never {
  throw Object.assign(new RangeError(message), props);
}

/** Ends the worker from inside, with `code`. */
export function exitWith(code: number): void {
  if (env.process?.exit) env.process.exit(code);
  else if (env.Deno) env.Deno.exit(code);
  else env.close?.();
}

/** Throws outside any task: an uncaught error that ends the worker. */
export function crashInTimer(): Promise<never> {
  setTimeout(() => {
    throw new Error('crashed in a timer');
  }, 1);
  return new Promise(() => {});
}

/** Allocates until the heap limit ends the worker. */
export function exhaustMemory(): number {
  const hold: unknown[] = [];
  for (;;) hold.push(new Array(1e5).fill({ a: hold.length }));
}

/** Never returns. */
export function spin(): never {
  for (;;) {
    // a runaway synchronous task
  }
}

export function whoami(): { self: unknown; parent: unknown } {
  const id = workerIdentity();
  return { self: id?.self ?? null, parent: id?.parent ?? null };
}

/**
 * A `Process` target: writes what `currentProcess()` and `parentProcess()` say inside the child (the
 * adapters' helpers return exactly this identity in a worker) into a managed dict.
 */
export async function whoamiInto(into: DictProxy<string, unknown>): Promise<void> {
  const id = workerIdentity();
  await into.set('self', id?.self ?? null);
  await into.set('parent', id?.parent ?? null);
}

/** Spins for `ms`, then adds 1 to `mark`: a runaway whose end leaves a trace, if it is ever reached. */
export async function spinThenMark(ms: number, mark: ValueProxy<'i32'>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a runaway synchronous task
  }
  await mark.add(1);
}

/** Adds 1 to `started`, waits `ms`, then adds 1 to `finished`. */
export async function markedSleep(started: ValueProxy<'i32'>, finished: ValueProxy<'i32'>, ms: number): Promise<void> {
  await started.add(1);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await finished.add(1);
}

let initValue: unknown;

export function init(value: unknown): void {
  initValue = value;
}

export function readInit(): unknown {
  return initValue;
}

export function byteSum(buffer: ArrayBuffer): { length: number; sum: number } {
  const view = new Uint8Array(buffer);
  let sum = 0;
  for (const b of view) sum += b;
  return { length: view.length, sum };
}

/** Returns a fresh buffer, moved (not copied) back to the parent. */
export function makeBuffer(size: number, fill: number): ArrayBuffer {
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(fill);
  return transfer(buffer, [buffer]);
}

export function returnsFunction(): () => void {
  return () => {};
}

export function echo<T>(value: T): T {
  return value;
}

/** A cyclic argument as the worker sees it: `o.self` is `o` and `o.list[0]` is `o.list`, as structured clone keeps them. */
export function cycleCheck(o: { n: number; self: unknown; list: unknown[] }): string {
  return `${o.self === o} ${o.list[0] === o.list} ${o.n}`;
}

/** Puts `o.n` on the queue found behind the cycle (`o.self.q`); true when the cycle came whole. */
export async function cyclePut(o: { n: number; self?: { q: Queue<number> } | undefined }): Promise<boolean> {
  await o.self!.q.put(o.n);
  return (o.self as unknown) === o;
}

// ---- shared state (sync-suite) ----
import type { Lock } from '../sync/lock.js';
import type { Barrier } from '../sync/barrier.js';
import type { Semaphore } from '../sync/semaphore.js';
import type { Event } from '../sync/event.js';
import type { Condition } from '../sync/condition.js';
import type { Value } from '../sync/value.js';
import type { SharedArray } from '../sync/shared-array.js';
import type { RLock } from '../sync/rlock.js';

/** Adds 1 to `value` `n` times, each under `lock` (or unguarded when `lock` is null). */
export function incrementLocked(value: Value<'i32'>, lock: Lock | RLock | null, n: number): number {
  for (let i = 0; i < n; i++) {
    if (lock) lock.acquireSync();
    value.value = value.value + 1;
    if (lock) lock.release();
  }
  return n;
}

/** Waits on `barrier` `rounds` times; returns how often this party got index 0. */
export function cycleBarrier(barrier: Barrier, rounds: number): number {
  let zeros = 0;
  for (let i = 0; i < rounds; i++) if (barrier.waitSync({ timeout: 30_000 }) === 0) zeros++;
  return zeros;
}

/** Enters `sem` `rounds` times, recording the most parties ever inside at once in `most`. */
export function crowd(sem: Semaphore, inside: Value<'i32'>, most: Value<'i32'>, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    sem.acquireSync();
    const now = inside.add(1) + 1;
    for (let seen = most.value; now > seen; seen = most.value) {
      if (most.compareExchange(seen, now) === seen) break;
    }
    const until = performance.now() + 0.2;
    while (performance.now() < until) {
      // stay inside a moment
    }
    inside.sub(1);
    sem.release();
  }
}

/** Adds 1 to `waiting` (when given) just before it waits on `event`. */
export async function awaitEvent(event: Event, timeout: number, waiting?: Value<'i32'>): Promise<boolean> {
  waiting?.add(1);
  return event.wait({ timeout });
}

export function awaitEventSync(event: Event, timeout: number, waiting?: Value<'i32'>): boolean {
  waiting?.add(1);
  return event.waitSync({ timeout });
}

/**
 * Waits on `cond` until `flag` is 1; returns the flag. Adds 1 to `waiting` (when given) while holding
 * the lock, before it waits: whoever takes the lock after that finds this worker inside the wait.
 */
export function awaitCondition(cond: Condition, flag: Value<'i32'>, waiting?: Value<'i32'>): number {
  cond.acquireSync();
  try {
    waiting?.add(1);
    cond.waitForSync(() => flag.value === 1, { timeout: 20_000 });
    return flag.value;
  } finally {
    cond.release();
  }
}

/**
 * Takes `cond`'s lock, adds 1 to `waiting`, then waits (`wait()`, the awaitable form) once for a
 * notify; adds 1 to `woken` when it returns. Resolves to what `wait()` gave.
 */
export async function conditionWaiter(cond: Condition, waiting: Value<'i32'>, woken: Value<'i32'>, timeout: number): Promise<boolean> {
  await cond.acquire();
  try {
    waiting.add(1);
    const notified = await cond.wait({ timeout });
    woken.add(1);
    return notified;
  } finally {
    cond.release();
  }
}

/** Holds `lock` for `ms`, then releases it. */
export async function holdLock(lock: Lock | RLock, ms: number, holding: Event): Promise<boolean> {
  lock.acquireSync();
  holding.set();
  await new Promise((r) => setTimeout(r, ms));
  lock.release();
  return true;
}

/** Writes `i * factor` into each element; returns the sum it wrote. */
export function fillArray(array: SharedArray<'f64'>, factor: number): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) {
    array.set(i, i * factor);
    sum += i * factor;
  }
  return sum;
}

export function bumpBig(value: Value<'i64'>): bigint {
  return value.add(1n);
}

export function waitBarrierOnce(barrier: Barrier): Promise<number> {
  return barrier.wait();
}

// ---- manager proxies (manager-suite) ----
import type { DictProxy, ListProxy, LockProxy, QueueProxy, ValueProxy } from '../sync/manager-proxies.js';
import type { EventProxy, SemaphoreProxy } from '../sync/manager-sync-proxies.js';

/** Writes `key → key²` into the dict found at `holder.results`. */
export async function recordSquare(holder: { results: DictProxy<number, number> }, key: number): Promise<number> {
  await holder.results.set(key, key * key);
  return key;
}

/** Adds 1 to `value` `n` times under `lock`. */
export async function managedIncrements(value: ValueProxy<'i32'>, lock: LockProxy, n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    await lock.withLock(async () => {
      await value.set((await value.get()) + 1);
    });
  }
  return n;
}

/** Puts `count` items `[producer, i]` on the queue. */
export async function produce(queue: QueueProxy<[number, number]>, producer: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await queue.put([producer, i]);
}

/** Takes `count` items off the queue and appends them to `seen`. */
export async function consume(queue: QueueProxy<[number, number]>, seen: ListProxy<string>, count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    const [p, n] = await queue.get({ timeout: 20_000 });
    await seen.append(`${p}:${n}`);
  }
  return count;
}

/**
 * Tries, in a worker, sending the manager a function and a symbol (both must be refused at the call), then
 * asks whether the dict got the key. Says how each call ended: `resolved …` or `Name: message`.
 */
export async function managedRefusals(d: DictProxy<string, unknown>, q: QueueProxy<unknown>): Promise<string[]> {
  const attempts: (() => Promise<unknown>)[] = [() => d.set('k', () => 1), () => q.put(Symbol('s')), () => d.has('k')];
  const out: string[] = [];
  for (const attempt of attempts) {
    try {
      out.push(`resolved ${String(await attempt())}`);
    } catch (error) {
      out.push(`${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** Calls `d.get('k')` and says how it ended: `resolved …` or the error's `name: message` and whether it is an MpError. */
export async function managedGetAfterShutdown(d: DictProxy<string, unknown>): Promise<string> {
  try {
    return `resolved ${String(await d.get('k'))}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message} (MpError: ${MpError.isInstance(error)})`;
  }
}

/** Waits on a managed queue, lock and semaphore at once; sets `ready` once the three calls are in the manager. */
export async function managedWaitAll(q: QueueProxy<unknown>, lock: LockProxy, sem: SemaphoreProxy, ready: EventProxy): Promise<void> {
  // A worker's calls reach the manager in the order they are made: `set` arrives after the three waits.
  const waits = Promise.all([q.get(), lock.acquire(), sem.acquire()]);
  await ready.set();
  await waits;
}

/**
 * As `managedWaitAll`, then keeps its thread busy for 30 s: what the manager gives the three waits arrives and is
 * never read (the worker is stopped first).
 */
export async function managedWaitAllThenBlock(q: QueueProxy<unknown>, lock: LockProxy, sem: SemaphoreProxy, ready: EventProxy): Promise<void> {
  void Promise.all([q.get(), lock.acquire(), sem.acquire()]);
  await ready.set();
  const end = Date.now() + 30_000;
  while (Date.now() < end);
}

// ---- queues and pipes (queue-suite) ----
import type { Connection } from '../sync/pipe.js';
import type { JoinableQueue } from '../sync/joinable-queue.js';
import type { Queue } from '../sync/queue.js';

/** Moves `count` items from one queue to another with the awaitable forms. */
export async function relayQueue(from: Queue, to: Queue, count: number): Promise<number> {
  for (let i = 0; i < count; i++) await to.put(await from.get({ timeout: 30_000 }), { timeout: 30_000 });
  return count;
}

/** Puts `producer * 1e6 + i` for i < count (blocking forms), then one `null` to say it is done. */
export function queueProducer(queue: Pick<Queue<number | null>, 'putSync'>, producer: number, count: number): number {
  for (let i = 0; i < count; i++) queue.putSync(producer * 1e6 + i, { timeout: 60_000 });
  queue.putSync(null, { timeout: 60_000 });
  return count;
}

/** Takes items (blocking forms) until a `null`, and returns them in the order taken. */
export function queueConsumer(queue: Queue<number | null>): number[] {
  const got: number[] = [];
  for (;;) {
    const item = queue.getSync({ timeout: 60_000 });
    if (item === null) return got;
    got.push(item);
  }
}

/**
 * Puts `producer * 1e6 + i` for i < count with `putNowait`, all at once beside other producers; returns how
 * many threw (`Full` on a queue with room is the fault this looks for).
 */
export function nowaitProducer(queue: Queue<number>, producer: number, count: number): { put: number; threw: string[] } {
  const threw: string[] = [];
  let put = 0;
  for (let i = 0; i < count; i++) {
    try {
      queue.putNowait(producer * 1e6 + i);
      put++;
    } catch (error) {
      if (threw.length < 5) threw.push(`${(error as Error).name} with ${queue.qsize()} items in`);
    }
  }
  return { put, threw };
}

/** Takes items with `getNowait` until one throws; returns them and how many items the queue still held then. */
export function nowaitConsumer(queue: Queue<number>): { got: number[]; leftAtEmpty: number; error: string } {
  const got: number[] = [];
  for (;;) {
    try {
      got.push(queue.getNowait());
    } catch (error) {
      return { got, leftAtEmpty: queue.qsize(), error: (error as Error).name };
    }
  }
}

/** Takes `count` items, marking each done; returns their sum. */
export function joinableConsumer(queue: JoinableQueue<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += queue.getSync({ timeout: 30_000 });
    queue.taskDone();
  }
  return sum;
}

/** Sends back each of the next `count` values received. */
export function pipeEcho(conn: Connection, count: number): number {
  for (let i = 0; i < count; i++) conn.sendSync(conn.recvSync({ timeout: 30_000 }), { timeout: 30_000 });
  return count;
}

/** Sends `values` (awaitable form), then closes this end if asked. */
export async function pipeSendAll(conn: Connection, values: unknown[], close: boolean): Promise<number> {
  for (const v of values) await conn.send(v);
  if (close) conn.close();
  return values.length;
}

/** Receives until `recv` rejects; returns what came and the error's message. */
export async function pipeDrain(conn: Connection): Promise<{ values: unknown[]; error: string }> {
  const values: unknown[] = [];
  for (;;) {
    try {
      values.push(await conn.recv({ timeout: 30_000 }));
    } catch (error) {
      return { values, error: (error as Error).message };
    }
  }
}

/** `pollSync(ms)` in the worker. */
export function pipePollSync(conn: Connection, ms: number): boolean {
  return conn.pollSync(ms);
}

/** Adds 1 to the `Value` the initializer stored (see `init`). */
export function bumpInitValue(): number {
  return (initValue as Value<'i32'>).add(1);
}

// ---- model-based tests (model-suite) ----

/**
 * What one item of a model program asks its task to do: a number `n` returns `2n + 1`; otherwise
 * `['throw', k]` throws `RangeError('model k')`, `['exit', code]` ends the worker, `['slow', ms, n]`
 * returns `2n + 1` after `ms`, `['hang']` waits a minute (only sent with a `timeout`).
 */
export type ModelItem = number | ['throw', number] | ['exit', number] | ['slow', number, number] | ['hang'];

export function act(item: ModelItem): number | Promise<number> {
  if (typeof item === 'number') return item * 2 + 1;
  switch (item[0]) {
    case 'throw':
      throw Object.assign(new RangeError(`model ${item[1]}`), { k: item[1] });
    case 'exit':
      exitWith(item[1]);
      return new Promise(() => {});
    case 'slow': {
      const n = item[2];
      return new Promise((resolve) => setTimeout(() => resolve(n * 2 + 1), item[1]));
    }
    case 'hang':
      return new Promise((resolve) => setTimeout(() => resolve(-1), 60_000));
  }
}

/** `act(item) + k`, for starmap. */
export async function actPlus(item: ModelItem, k: number): Promise<number> {
  return (await act(item)) + k;
}

// ---- the wire between worker and pool (wire-suite) ----

/**
 * Posts `messages` to the parent port as the worker runtime itself would: a task that forges
 * protocol messages. Test code only: it looks for the port each runtime has.
 */
export async function postRaw(messages: unknown[]): Promise<string> {
  const g = globalThis as unknown as {
    process?: { send?: (m: unknown) => void; versions?: { node?: string; bun?: string } };
    postMessage?: (m: unknown) => void;
    Deno?: unknown;
  };
  let post: (m: unknown) => void;
  let via: string;
  if (g.Deno !== undefined && typeof g.postMessage === 'function') {
    // Deno has a process.send that throws in workers.
    post = (m) => g.postMessage!(m);
    via = 'postMessage';
  } else if (typeof g.process?.send === 'function') {
    post = (m) => g.process!.send!(m);
    via = 'process.send';
  } else if (typeof g.postMessage === 'function' && (g.Deno !== undefined || g.process?.versions?.bun !== undefined || g.process === undefined)) {
    post = (m) => g.postMessage!(m);
    via = 'postMessage';
  } else {
    // A specifier in a variable: a bundler serving this module to a browser leaves it alone.
    const specifier = 'node:worker_threads';
    const wt = (await import(specifier)) as { parentPort: { postMessage(m: unknown): void } | null };
    post = (m) => wt.parentPort!.postMessage(m);
    via = 'parentPort';
  }
  for (const m of messages) post(m);
  // Give the messages time to arrive before this task's own result.
  await new Promise((r) => setTimeout(r, 20));
  return via;
}

/** Throws an error whose properties try `__proto__`, `constructor`, a getter and a throwing getter. */
export function throwHostile(): never {
  const e = new Error('hostile');
  Object.defineProperty(e, 'constructor', { value: { name: 'Evil' }, enumerable: true });
  Object.defineProperty(e, '__proto__', { value: { polluted: true }, enumerable: true });
  Object.defineProperty(e, 'prototype', { value: { polluted: true }, enumerable: true });
  Object.defineProperty(e, 'lazy', { get: () => 'computed', enumerable: true });
  Object.defineProperty(e, 'boom', { get: () => { throw new Error('getter threw'); }, enumerable: true });
  Object.defineProperty(e, 'name', { get: () => { throw new Error('name getter threw'); } });
  (e as Error & { remoteName?: unknown; exitCode?: unknown }).remoteName = { toString: null };
  (e as Error & { then?: unknown }).then = 'not a thenable';
  throw e;
}

/** Throws a value that is not an Error and cannot be cloned. */
export function throwUncloneable(): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw { message: 'not an error', name: 'Weird', fn: () => 1, sym: Symbol('s') };
}

/** Returns a value that cannot be cloned, deep inside. */
export function returnUncloneable(kind: string): unknown {
  if (kind === 'symbol') return { ok: [1, { s: Symbol('x') }] };
  if (kind === 'class') return { ok: new (class Custom { x = 1; m() {} })() };
  if (kind === 'weakmap') return [new WeakMap()];
  return { deep: { fn: () => 1 } };
}

// ---- chaos runs (tools/chaos-lib.mjs) ----

/** Waits `ms` (if any), then returns `[2n + 1, the OS process id it ran in]`. */
export async function chaosTask(n: number, ms: number): Promise<[number, number]> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  return [n * 2 + 1, (env.process as { pid?: number } | undefined)?.pid ?? 0];
}
