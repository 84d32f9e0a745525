/**
 * Getting code into a worker. A function goes by value (its source, compiled
 * once per worker and cached by its text) or by reference (`task(url, name)`:
 * each worker imports the module once). Both become an `FnSpec` on the wire.
 */
import type { FnSpec } from './internal/protocol.js';
import { show } from './internal/validate.js';

const TASK = Symbol.for('mp.task');

/**
 * A handle to an exported function of a module, which each worker imports.
 * The type parameters carry the function's signature so `pool.map(t.squ, [1])`
 * is typed.
 */
export interface TaskHandle<A extends unknown[] = unknown[], R = unknown> {
  /** Marks a task handle (see `isTaskHandle`). */
  readonly [TASK]: true;
  /** The module's absolute URL. */
  readonly module: string;
  /** The export's name. */
  readonly exportName: string;
  /** @internal Phantom member carrying the signature; never set. */
  readonly __signature?: (...args: A) => R;
}

/** A function to run in a worker: a self-contained function, or a `TaskHandle`. */
export type TaskFn<A extends unknown[], R> = ((...args: A) => R) | TaskHandle<A, R>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** The handles `tasks()` makes from a module's type: one per exported function. */
export type TaskHandles<M> = {
  readonly [K in keyof M as M[K] extends AnyFn ? K : never]: M[K] extends AnyFn
    ? TaskHandle<Parameters<M[K]>, Awaited<ReturnType<M[K]>>>
    : never;
};

function moduleHref(moduleUrl: unknown): string {
  if (typeof moduleUrl === 'object' && moduleUrl !== null && typeof (moduleUrl as URL).href === 'string') {
    return (moduleUrl as URL).href;
  }
  if (typeof moduleUrl === 'string') {
    try {
      return new URL(moduleUrl).href;
    } catch {
      // fall through to the error below
    }
  }
  throw new TypeError(
    `moduleUrl must be an absolute URL such as new URL('./tasks.js', import.meta.url), got ${show(moduleUrl)}`,
  );
}

/**
 * A handle to `exportName` of the module at `moduleUrl`, to pass wherever a
 * function is accepted. Each worker imports the module once.
 *
 * @typeParam F - the exported function's type, so that calls through the handle are typed.
 * @example
 * const squ = task<typeof import('./tasks.js').squ>(new URL('./tasks.js', import.meta.url), 'squ');
 * await pool.map(squ, [1, 2, 3]);
 */
export function task<F extends AnyFn = (...args: unknown[]) => unknown>(
  moduleUrl: string | URL,
  exportName: string,
): TaskHandle<Parameters<F>, Awaited<ReturnType<F>>> {
  const module = moduleHref(moduleUrl);
  if (typeof exportName !== 'string' || exportName === '') {
    throw new TypeError(`exportName must be a non-empty string, got ${show(exportName)}`);
  }
  return Object.freeze({ [TASK]: true as const, module, exportName });
}

/**
 * Typed handles to every exported function of a module.
 *
 * @example
 * const t = tasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const squares = await pool.map(t.squ, [1, 2, 3]); // number[]
 */
export function tasks<M>(moduleUrl: string | URL): TaskHandles<M> {
  const module = moduleHref(moduleUrl);
  const cache = new Map<string, TaskHandle>();
  return new Proxy({} as TaskHandles<M>, {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then') return undefined;
      let handle = cache.get(key);
      if (!handle) cache.set(key, (handle = task(module, key)));
      return handle;
    },
  });
}

/** True when `value` is a handle made by `task()` or `tasks()` (of any copy of mp). */
export function isTaskHandle(value: unknown): value is TaskHandle {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TASK] === true;
}

const SPEC = Symbol.for('mp.spec');

/**
 * A task made from a function's wire spec, for a program that passes on work it received as data (a cluster
 * host hands it to its local pool): the spec travels on as it came, source included, without being compiled here.
 */
export function fnFromSpec(spec: FnSpec): TaskFn<unknown[], unknown> {
  const copy: FnSpec = spec.kind === 'source' ? { kind: 'source', source: spec.source, name: spec.name } : { kind: 'module', url: spec.url, name: spec.name };
  return Object.freeze({ [SPEC]: copy }) as unknown as TaskFn<unknown[], unknown>;
}

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * Checks `fn` where a task function is expected and returns its wire spec.
 * Bound, native and class functions are refused here, at the call site.
 */
export function toFnSpec(fn: unknown, argName: string): FnSpec {
  if (isTaskHandle(fn)) return { kind: 'module', url: fn.module, name: fn.exportName };
  if (typeof fn === 'object' && fn !== null && SPEC in fn) return (fn as { [SPEC]: FnSpec })[SPEC];
  if (typeof fn !== 'function') {
    throw new TypeError(`${argName} must be a function or a task() handle, got ${show(fn)}`);
  }
  const source = Function.prototype.toString.call(fn);
  if (NATIVE.test(source)) {
    throw new TypeError(
      `${argName} is a bound or native function (${show(fn)}), which has no source to send to a worker; ` +
        `pass a self-contained function, or task(moduleUrl, exportName) to send it by reference`,
    );
  }
  if (/^class[\s{]/.test(source)) {
    throw new TypeError(`${argName} must be a function, got a class (${show(fn)})`);
  }
  return { kind: 'source', source, name: fn.name };
}

const TRANSFER = Symbol.for('mp.transfer');

interface Transferred {
  readonly [TRANSFER]: true;
  readonly value: unknown;
  readonly list: readonly object[];
}

/**
 * Marks `value` to travel with `list` moved rather than copied (ArrayBuffers,
 * ports…), as an argument, an item, or a task's return value. After the move the
 * sender's buffers are detached.
 *
 * @example
 * const buf = new ArrayBuffer(8 << 20);
 * await pool.apply(sum, [transfer(buf, [buf])]);
 */
export function transfer<T>(value: T, list: readonly object[]): T {
  if (!Array.isArray(list)) throw new TypeError(`transfer list must be an array, got ${show(list)}`);
  return { [TRANSFER]: true, value, list } as unknown as T;
}

/** Splits a possibly `transfer()`-marked value into the value and its transfer list. */
export function unwrapTransfer(value: unknown, into: object[]): unknown {
  if (typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TRANSFER] === true) {
    const t = value as Transferred;
    for (const item of t.list) into.push(item);
    return t.value;
  }
  return value;
}
