/**
 * Proxies to a manager's `JoinableQueue`, `Array` and `Namespace` (Python's
 * `SyncManager.JoinableQueue`, `Array`, `Namespace`). Every method is awaitable.
 */
import type { BlockingOptions } from '../internal/blocking-options.js';
import type { TypeSpec, ValueOf } from '../internal/typecodes.js';
import { ManagedProxy } from './managed-proxy.js';
import { QueueProxy } from './manager-proxies.js';

/** A queue held by a manager that counts unfinished items, as Python's `manager.JoinableQueue()`. */
export class JoinableQueueProxy<T = unknown> extends QueueProxy<T> {
  /** Marks one item taken with `get` as processed; rejects if more were marked than were put. */
  taskDone(): Promise<void> {
    return this.call('taskDone');
  }
  /** Resolves `true` once every item put has been marked done, `false` after `timeout` ms. */
  async join(options?: Omit<BlockingOptions, 'blocking'>): Promise<boolean> {
    this.waitOptions('join', options, false);
    return this.callNamed('join', ['options'], options);
  }
}

/** A fixed-length typed array held by a manager, as Python's `manager.Array(typecode, sequence)`. Negative indexes count from the end. */
export class ArrayProxy<T extends TypeSpec = TypeSpec> extends ManagedProxy {
  /** The element at `index` (negative counts from the end). */
  get(index: number): Promise<ValueOf<T>> {
    return this.callNamed('get', ['index'], index);
  }
  /** Stores `value` at `index` (negative counts from the end). */
  set(index: number, value: ValueOf<T>): Promise<void> {
    return this.callNamed('set', ['index', 'value'], index, value);
  }
  /** How many elements. */
  length(): Promise<number> {
    return this.call('length');
  }
  /** A copy of every element. */
  toArray(): Promise<ValueOf<T>[]> {
    return this.call('toArray');
  }
}

/**
 * Named values held by a manager, as Python's `manager.Namespace()`: Python's `ns.x = 1` is
 * `await ns.set('x', 1)`, `ns.x` is `await ns.get('x')` (`undefined` for a name never set).
 */
export class NamespaceProxy<T extends Record<string, unknown> = Record<string, unknown>> extends ManagedProxy {
  /** The value of `name`, or `undefined` for a name never set. */
  get<K extends keyof T & string>(name: K): Promise<T[K] | undefined> {
    return this.callNamed('get', ['name'], name);
  }
  /** Sets `name` to `value`. */
  set<K extends keyof T & string>(name: K, value: T[K]): Promise<void> {
    return this.callNamed('set', ['name', 'value'], name, value);
  }
  /** Whether `name` was set. */
  has(name: keyof T & string): Promise<boolean> {
    return this.callNamed('has', ['name'], name);
  }
  /** Removes `name`; resolves whether it was set. */
  delete(name: keyof T & string): Promise<boolean> {
    return this.callNamed('delete', ['name'], name);
  }
  /** A copy of every name and value, as a plain object. */
  toObject(): Promise<Partial<T>> {
    return this.call('toObject');
  }
}
