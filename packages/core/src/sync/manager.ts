/**
 * `Manager`: shared objects without shared memory, as Python's
 * `multiprocessing.Manager()`. The manager holds dicts, lists, queues, locks,
 * values — every object of Python's `SyncManager` — and objects of the
 * program's own registered types, in the program that started it, and hands
 * out proxies whose every operation is a message. They work where shared
 * memory cannot: the `'process'` context and pages that are not cross-origin
 * isolated.
 */
import { baseKinds, ManagerServer, type ObjectKind } from '../internal/manager-server.js';
import { syncKinds, type BarrierInit } from '../internal/manager-sync-kinds.js';
import { dataKinds, type ArrayInit } from '../internal/manager-data-kinds.js';
import { checkExposed, publicMethods, registeredKind, type RegisteredObject } from '../internal/manager-registered.js';
import { registerManager, unregisterManager } from '../internal/rpc.js';
import { checkElement, elementType, type TypeSpec, type ValueOf } from '../internal/typecodes.js';
import { checkFunctionOption, checkInteger, checkKnownOptions, checkOptions, checkTimeout, findUncloneable, isIterable, show } from '../internal/validate.js';
import { DictProxy, ListProxy, LockProxy, QueueProxy, ValueProxy, type ProxyRef } from './manager-proxies.js';
import { BarrierProxy, BoundedSemaphoreProxy, ConditionProxy, EventProxy, RLockProxy, SemaphoreProxy } from './manager-sync-proxies.js';
import { ArrayProxy, JoinableQueueProxy, NamespaceProxy } from './manager-data-proxies.js';
import { makeRegisteredProxy, type PublicMethods, type RegisteredProxy } from './registered-proxy.js';
import { MpError } from '../errors.js';
import { rejecting } from '../internal/rejecting.js';

export type { PublicMethods, RegisteredProxy } from './registered-proxy.js';

let counter = 0;

/** Options of `manager.register()`. */
export interface RegisterOptions<E extends string = string> {
  /**
   * The only methods a proxy may call, as Python's `exposed=`.
   * @default every public method of the object (a name not starting with `_`)
   */
  exposed?: readonly E[];
}

/** A class, or a function (possibly async) that makes the object. */
export type Factory<T = unknown, A extends unknown[] = never[]> = (new (...args: A) => T) | ((...args: A) => T | Promise<T>);
type InstanceOf<F> = F extends new (...args: never[]) => infer T ? T : F extends (...args: never[]) => infer R ? Awaited<R> : never;
type ArgsOf<F> = F extends new (...args: infer A) => unknown ? A : F extends (...args: infer A) => unknown ? A : never;

/** Throws a `TypeError` naming the part of `value` a worker could not receive. */
function cloneable(value: unknown, label: string): void {
  const found = findUncloneable(value, label);
  if (found) throw new TypeError(found);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/** Python's `dict(x)`: a mapping (a `Map` or a plain object) or an iterable of pairs (each exactly 2 items). */
function dictEntries(entries: unknown): [unknown, unknown][] {
  if (entries === undefined) return [];
  let pairs: unknown[];
  if (isIterable(entries)) {
    pairs = Array.from(entries);
  } else if (isPlainObject(entries)) {
    pairs = Object.entries(entries);
  } else {
    throw new TypeError(`entries must be a mapping (a Map or a plain object) or an iterable of [key, value] pairs, got ${show(entries)}`);
  }
  return pairs.map((item, i) => {
    const pair = isIterable(item) ? Array.from(item) : undefined;
    if (pair?.length !== 2) throw new TypeError(`entries[${i}] must be a [key, value] pair, got ${show(item)}`);
    cloneable(pair, `entries[${i}]`);
    return pair as [unknown, unknown];
  });
}

/** Python's `list(x)`: any iterable. */
function listItems(items: unknown): unknown[] {
  if (items === undefined) return [];
  if (!isIterable(items)) throw new TypeError(`items must be an iterable, got ${show(items)}`);
  const list = Array.from(items);
  cloneable(list, 'items');
  return list;
}

/** The names `register()` may not take: the manager's own members. */
const RESERVED = new Set(['register', 'shutdown', 'then', 'constructor', '__proto__', 'prototype', 'toString', 'valueOf']);

function isClass(fn: object): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * @example
 * await using manager = await Manager.start();
 * const results = await manager.dict<string, number>();
 * await pool.map(async ({ d, i }) => d.set(`k${i}`, i * i), [0, 1, 2].map((i) => ({ d: results, i })));
 * await results.entries(); // [['k0', 0], ['k1', 1], ['k2', 4]]
 */
export class Manager {
  readonly #id: string;
  #server: ManagerServer | undefined;

  private constructor() {
    this.#id = `m${++counter}-${Math.random().toString(36).slice(2, 10)}`;
    this.#server = new ManagerServer({ ...baseKinds, ...syncKinds, ...dataKinds, registered: registeredKind });
    registerManager(this.#id, this.#server);
  }

  /** Starts a manager in this program. */
  static start(): Promise<Manager> {
    return Promise.resolve(new Manager());
  }

  #ref(kind: ObjectKind, init: unknown): ProxyRef {
    if (!this.#server) throw new MpError('the manager was shut down');
    return { manager: this.#id, object: this.#server.create(kind, init), kind };
  }

  /**
   * A dictionary, optionally filled from `entries`: what Python's `dict()` takes, a mapping (a `Map` or a
   * plain object) or an iterable of `[key, value]` pairs.
   */
  dict<K = unknown, V = unknown>(entries?: Iterable<readonly [K, V]> | { readonly [key: string]: V }): Promise<DictProxy<K, V>> {
    return rejecting(() => Promise.resolve(new DictProxy<K, V>(this.#ref('dict', dictEntries(entries)))));
  }

  /** A list, optionally filled from `items`: any iterable, as Python's `list()` takes. */
  list<T = unknown>(items?: Iterable<T>): Promise<ListProxy<T>> {
    return rejecting(() => Promise.resolve(new ListProxy<T>(this.#ref('list', listItems(items)))));
  }

  /** A FIFO queue; `maxsize` 0 means unbounded. */
  Queue<T = unknown>(options?: { maxsize?: number }): Promise<QueueProxy<T>> {
    return rejecting(() => {
      const o = checkKnownOptions('manager.Queue', options, ['maxsize']);
      const maxsize = o.maxsize === undefined ? 0 : checkInteger('maxsize', o.maxsize, 0);
      return Promise.resolve(new QueueProxy<T>(this.#ref('Queue', maxsize)));
    });
  }

  /** A FIFO queue with `taskDone()` and `join()`, as Python's `manager.JoinableQueue()`. */
  JoinableQueue<T = unknown>(options?: { maxsize?: number }): Promise<JoinableQueueProxy<T>> {
    return rejecting(() => {
      const o = checkKnownOptions('manager.JoinableQueue', options, ['maxsize']);
      const maxsize = o.maxsize === undefined ? 0 : checkInteger('maxsize', o.maxsize, 0);
      return Promise.resolve(new JoinableQueueProxy<T>(this.#ref('JoinableQueue', maxsize)));
    });
  }

  /** A lock. */
  Lock(): Promise<LockProxy> {
    return rejecting(() => Promise.resolve(new LockProxy(this.#ref('Lock', undefined))));
  }

  /** A re-entrant lock, owned by the thread that acquires it. */
  RLock(): Promise<RLockProxy> {
    return rejecting(() => Promise.resolve(new RLockProxy(this.#ref('RLock', undefined))));
  }

  /** A condition variable with a re-entrant lock of its own. */
  Condition(): Promise<ConditionProxy> {
    return rejecting(() => Promise.resolve(new ConditionProxy(this.#ref('Condition', undefined))));
  }

  /** A flag that workers wait on. */
  Event(): Promise<EventProxy> {
    return rejecting(() => Promise.resolve(new EventProxy(this.#ref('Event', undefined))));
  }

  /** A counting semaphore starting at `value`. @default 1 */
  Semaphore(value = 1): Promise<SemaphoreProxy> {
    return rejecting(() => Promise.resolve(new SemaphoreProxy(this.#ref('Semaphore', checkInteger('value', value, 0)))));
  }

  /** A semaphore that refuses to be released above `value`. @default 1 */
  BoundedSemaphore(value = 1): Promise<BoundedSemaphoreProxy> {
    return rejecting(() => Promise.resolve(new BoundedSemaphoreProxy(this.#ref('BoundedSemaphore', checkInteger('value', value, 0)))));
  }

  /**
   * A barrier for `parties` workers; `action` runs here, in the manager's program, when the last arrives.
   * `timeout` is the default of `wait()`, in ms.
   */
  Barrier(parties: number, options?: { action?: () => unknown; timeout?: number }): Promise<BarrierProxy> {
    return rejecting(() => {
      const o = checkKnownOptions('manager.Barrier', options, ['action', 'timeout']);
      const init: BarrierInit = {
        parties: checkInteger('parties', parties, 1),
        action: checkFunctionOption('action', o.action),
        timeout: o.timeout === undefined ? undefined : checkTimeout('timeout', o.timeout),
      };
      return Promise.resolve(new BarrierProxy(this.#ref('Barrier', init)));
    });
  }

  /** A number (or a bigint for 64-bit types). */
  Value<T extends TypeSpec>(type: T, initial?: ValueOf<T>): Promise<ValueProxy<T>> {
    return rejecting(() => {
      const t = elementType(type);
      const value = initial === undefined ? (t.big ? 0n : 0) : checkElement(t, initial, 'initial');
      return Promise.resolve(new ValueProxy<T>(this.#ref('Value', { type, initial: value })));
    });
  }

  /** A fixed-length array of `type`, zero-filled from a size or filled from values, as Python's `manager.Array`. */
  Array<T extends TypeSpec>(type: T, sizeOrValues: number | Iterable<ValueOf<T>>): Promise<ArrayProxy<T>> {
    return rejecting(() => {
      const t = elementType(type);
      let init: ArrayInit;
      if (typeof sizeOrValues === 'number') {
        init = { type, values: undefined, length: checkInteger('sizeOrValues', sizeOrValues, 0) };
      } else if (sizeOrValues != null && typeof (sizeOrValues as Iterable<unknown>)[Symbol.iterator] === 'function') {
        const values = [...sizeOrValues].map((v, i) => checkElement(t, v, `sizeOrValues[${i}]`));
        init = { type, values, length: values.length };
      } else {
        throw new TypeError(`sizeOrValues must be a size or an iterable of values, got ${show(sizeOrValues)}`);
      }
      return Promise.resolve(new ArrayProxy<T>(this.#ref('Array', init)));
    });
  }

  /** Named values, read with `await ns.get('x')` and written with `await ns.set('x', v)`; optionally filled from `initial`. */
  Namespace<T extends Record<string, unknown> = Record<string, unknown>>(initial?: Partial<T>): Promise<NamespaceProxy<T>> {
    return rejecting(() => {
      const values = { ...checkOptions('initial', initial) };
      cloneable(values, 'initial');
      return Promise.resolve(new NamespaceProxy<T>(this.#ref('Namespace', values)));
    });
  }

  /**
   * Serves objects of the program's own type, as Python's `BaseManager.register`: after it,
   * `await manager[name](...args)` makes one here (with `new` for a class, else by calling
   * `factory`) and returns a proxy whose exposed methods are awaitable in any worker. Results
   * come back as copies; errors as `RemoteError`. Nothing but the exposed methods is reachable.
   * Returns the manager, typed with the new method (TypeScript cannot widen `manager` in place).
   *
   * @example
   * class Counter { n = 0; constructor(start = 0) { this.n = start; } inc(by = 1) { return (this.n += by); } }
   * const m = manager.register('Counter', Counter, { exposed: ['inc'] }); // in JavaScript, manager.Counter works as well
   * const c = await m.Counter(5);
   * await c.inc(2); // 7, here or in any worker the proxy is passed to
   */
  register<N extends string, F extends Factory, E extends PublicMethods<InstanceOf<F>> = PublicMethods<InstanceOf<F>>>(
    name: N,
    factory: F,
    options?: RegisterOptions<E>,
  ): this & { readonly [K in N]: (...args: ArgsOf<F>) => Promise<RegisteredProxy<InstanceOf<F>, E>> } {
    if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new TypeError(`name must be an identifier (letters, digits, _ or $), got ${show(name)}`);
    }
    if (RESERVED.has(name) || (name in this && !Object.prototype.hasOwnProperty.call(this, name))) {
      throw new TypeError(`name ${JSON.stringify(name)} is taken by the Manager itself; register the type under another name`);
    }
    if (typeof factory !== 'function') throw new TypeError(`factory must be a class or a function, got ${show(factory)}`);
    const exposed = checkExposed(checkKnownOptions('manager.register', options, ['exposed']).exposed);
    const construct = isClass(factory);
    const make = async (...args: unknown[]): Promise<object> => {
      if (!this.#server) throw new MpError('the manager was shut down');
      const instance: unknown = construct
        ? new (factory as new (...a: unknown[]) => unknown)(...args)
        : await (factory as (...a: unknown[]) => unknown)(...args);
      if (typeof instance !== 'object' || instance === null) {
        throw new TypeError(`factory ${JSON.stringify(name)} must make an object, it returned ${show(instance)}`);
      }
      const held: RegisteredObject = { typeid: name, instance, exposed: exposed ?? publicMethods(instance), running: [] };
      const ref: ProxyRef = { ...this.#ref('registered', held), typeid: name, exposed: held.exposed };
      return makeRegisteredProxy(ref);
    };
    Object.defineProperty(this, name, { value: make, configurable: true, enumerable: false, writable: false });
    return this as this & { readonly [K in N]: (...args: ArgsOf<F>) => Promise<RegisteredProxy<InstanceOf<F>, E>> };
  }

  /** Stops the manager: its proxies reject from now on, and calls waiting in it reject. */
  shutdown(): Promise<void> {
    if (this.#server) {
      this.#server.shutdown();
      unregisterManager(this.#id);
      this.#server = undefined;
    }
    return Promise.resolve();
  }

  /** `await using manager = await Manager.start()` shuts it down at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}
