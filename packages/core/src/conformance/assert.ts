/**
 * The few assertions the conformance suite needs, so it runs under any test
 * runner (vitest, `deno test`, `bun test`, the browser) without its `expect`.
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function fmt(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return Object.is(v, -0) ? '-0' : String(v);
      if (v === undefined) return 'undefined';
      if (v instanceof Map) return { Map: [...v] };
      if (v instanceof Set) return { Set: [...v] };
      if (v instanceof RegExp) return String(v);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<unknown>) };
      return v;
    });
    return text ?? String(value);
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(`${message} (got ${fmt(value)})`);
}

export function equal(actual: unknown, expected: unknown, message = ''): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${fmt(expected)}, got ${fmt(actual)}`);
  }
}

/**
 * Structural equality of what a worker can send back: plain objects and arrays (holes included),
 * Map, Set, Date, RegExp, boxed primitives, errors, ArrayBuffer, typed arrays and DataView, by
 * prototype and content; cycles are followed once. Map keys and Set members match by identity or,
 * failing that, by deep equality.
 */
function deepEq(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  const eq = (x: unknown, y: unknown): boolean => deepEq(x, y, seen);
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt) {
    return Object.is(a.valueOf(), (b as typeof a).valueOf());
  }
  if (a instanceof ArrayBuffer || ArrayBuffer.isView(a)) {
    const bytes = (v: ArrayBuffer | ArrayBufferView): Uint8Array =>
      v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    const x = bytes(a);
    const y = bytes(b as ArrayBuffer | ArrayBufferView);
    return x.length === y.length && x.every((byte, i) => byte === y[i]);
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    const unmatched = [...m.keys()].filter((k) => !a.has(k));
    for (const [k, v] of a) {
      if (m.has(k)) {
        if (!eq(v, m.get(k))) return false;
        continue;
      }
      const i = unmatched.findIndex((u) => eq(k, u) && eq(v, m.get(u)));
      if (i < 0) return false;
      unmatched.splice(i, 1);
    }
    return true;
  }
  if (a instanceof Set) {
    const t = b as Set<unknown>;
    if (a.size !== t.size) return false;
    const unmatched = [...t].filter((x) => !a.has(x));
    for (const x of a) {
      if (t.has(x)) continue;
      const i = unmatched.findIndex((u) => eq(x, u));
      if (i < 0) return false;
      unmatched.splice(i, 1);
    }
    return true;
  }
  if (a instanceof Error && (a.name !== (b as Error).name || a.message !== (b as Error).message || !eq(a.cause, (b as Error).cause))) return false;
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && eq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  if (!deepEq(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${fmt(expected)}, got ${fmt(actual)}`);
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

function check(error: unknown, Cls: ErrorClass | undefined, pattern: RegExp | undefined, what: string): Error {
  if (!(error instanceof Error)) throw new AssertionError(`${what}: expected an Error, got ${fmt(error)}`);
  if (Cls && !(error instanceof Cls)) {
    const e: Error = error;
    throw new AssertionError(`${what}: expected ${Cls.name}, got ${e.name}: ${e.message}`);
  }
  if (pattern && !pattern.test(error.message)) {
    throw new AssertionError(`${what}: expected a message matching ${String(pattern)}, got ${JSON.stringify(error.message)}`);
  }
  return error;
}

export function throws(fn: () => unknown, Cls?: ErrorClass, pattern?: RegExp): Error {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    return check(error, Cls, pattern, 'throws');
  }
  if (result instanceof Promise) result.catch(() => {});
  throw new AssertionError(`expected a synchronous throw${Cls ? ` of ${Cls.name}` : ''}, but it returned`);
}

export async function rejects(promise: Promise<unknown>, Cls?: ErrorClass, pattern?: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return check(error, Cls, pattern, 'rejects');
  }
  throw new AssertionError(`expected a rejection${Cls ? ` with ${Cls.name}` : ''}, but it resolved`);
}

/**
 * Calls `fn`, a method that returns a promise or an async iteration, and checks that it did not throw
 * but reported the failure through what it returned (API.md section 7): the promise, or the
 * iteration's first `next()`, rejects.
 */
export async function rejectsAtCall(fn: () => unknown, Cls?: ErrorClass, pattern?: RegExp): Promise<Error> {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    throw new AssertionError(`expected a rejection, but the call threw synchronously: ${String(error)}`);
  }
  if (result instanceof Promise) return rejects(result, Cls, pattern);
  const iterator = result as Partial<AsyncIterableIterator<unknown>> | null;
  if (typeof iterator?.[Symbol.asyncIterator] === 'function' && typeof iterator.next === 'function') {
    return rejects(iterator.next(), Cls, pattern);
  }
  throw new AssertionError(`expected a promise or an async iteration, got ${typeof result}`);
}

/** Resolves to what `promise` settled with, or throws if it has not settled within `ms`. */
export async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<PromiseSettledResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `condition()` holds, checking it again every few milliseconds (a handshake with work
 * in a worker, not a guess at how long it takes); throws if it has not held within `ms`.
 */
export async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new AssertionError(`${what}: not so within ${ms} ms`);
    await delay(5);
  }
}
