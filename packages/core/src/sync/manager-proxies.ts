/**
 * Proxies to the objects a `Manager` holds. Every operation is a message to the
 * manager and returns a promise, so a proxy works wherever messages reach: in
 * the main program, in worker threads and in child processes. A proxy passed to
 * a worker (anywhere inside the arguments) arrives as the same proxy.
 */
import type { TypeSpec, ValueOf } from '../internal/typecodes.js';
import type { BlockingOptions } from '../internal/blocking-options.js';
import { withHeld } from './with-lock.js';
import { ManagedProxy, type ProxyRef } from './managed-proxy.js';

export { ManagedProxy, type ProxyRef };

/** A dictionary held by a manager. */
export class DictProxy<K = unknown, V = unknown> extends ManagedProxy {
  get(key: K): Promise<V | undefined>;
  get(key: K, fallback: V): Promise<V>;
  get(key: K, fallback?: V): Promise<V | undefined> {
    return this.call('get', key, fallback);
  }
  set(key: K, value: V): Promise<void> {
    return this.call('set', key, value);
  }
  has(key: K): Promise<boolean> {
    return this.call('has', key);
  }
  delete(key: K): Promise<boolean> {
    return this.call('delete', key);
  }
  keys(): Promise<K[]> {
    return this.call('keys');
  }
  values(): Promise<V[]> {
    return this.call('values');
  }
  entries(): Promise<[K, V][]> {
    return this.call('entries');
  }
  size(): Promise<number> {
    return this.call('size');
  }
  clear(): Promise<void> {
    return this.call('clear');
  }
}

/** A list held by a manager. Negative indexes count from the end, as in Python. */
export class ListProxy<T = unknown> extends ManagedProxy {
  append(value: T): Promise<void> {
    return this.call('append', value);
  }
  extend(values: T[]): Promise<void> {
    return this.call('extend', values);
  }
  get(index: number): Promise<T> {
    return this.call('get', index);
  }
  set(index: number, value: T): Promise<void> {
    return this.call('set', index, value);
  }
  pop(): Promise<T> {
    return this.call('pop');
  }
  length(): Promise<number> {
    return this.call('length');
  }
  toArray(): Promise<T[]> {
    return this.call('toArray');
  }
}

/** A queue held by a manager: `get` rejects with `Empty`, `put` with `Full`, after `timeout` ms. */
export class QueueProxy<T = unknown> extends ManagedProxy {
  put(item: T, options?: BlockingOptions): Promise<void> {
    return this.call('put', item, options);
  }
  putNowait(item: T): Promise<void> {
    return this.call('putNowait', item);
  }
  get(options?: BlockingOptions): Promise<T> {
    return this.call('get', options);
  }
  getNowait(): Promise<T> {
    return this.call('getNowait');
  }
  qsize(): Promise<number> {
    return this.call('qsize');
  }
  empty(): Promise<boolean> {
    return this.call('empty');
  }
  full(): Promise<boolean> {
    return this.call('full');
  }
}

/** A lock held by a manager. */
export class LockProxy extends ManagedProxy {
  /** Resolves `false` if `timeout` ms pass first. */
  acquire(options?: BlockingOptions): Promise<boolean> {
    return this.call('acquire', options);
  }
  release(): Promise<void> {
    return this.call('release');
  }
  locked(): Promise<boolean> {
    return this.call('locked');
  }
  /** Runs `fn` holding the lock, and always releases it. */
  withLock<R>(fn: () => R | Promise<R>): Promise<Awaited<R>> {
    return withHeld(this, fn);
  }
}

/** A number (or bigint) held by a manager; `add`, `sub` and `compareExchange` return the previous value. */
export class ValueProxy<T extends TypeSpec = TypeSpec> extends ManagedProxy {
  get(): Promise<ValueOf<T>> {
    return this.call('get');
  }
  set(value: ValueOf<T>): Promise<void> {
    return this.call('set', value);
  }
  add(n: ValueOf<T>): Promise<ValueOf<T>> {
    return this.call('add', n);
  }
  sub(n: ValueOf<T>): Promise<ValueOf<T>> {
    return this.call('sub', n);
  }
  compareExchange(expected: ValueOf<T>, replacement: ValueOf<T>): Promise<ValueOf<T>> {
    return this.call('compareExchange', expected, replacement);
  }
}
