/**
 * The few assertions the conformance suite needs, so it runs under any test
 * runner (vitest, `deno test`, `bun test`, the browser) without its `expect`.
 */

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function fmt(value: unknown): string {
  try {
    return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
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

function deepEq(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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
