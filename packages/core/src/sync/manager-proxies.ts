/**
 * Proxies to the objects a `Manager` holds. Every operation is a message to the
 * manager and returns a promise, so a proxy works wherever messages reach: in
 * the main program, in worker threads and in child processes. A proxy passed to
 * a worker (anywhere inside the arguments) arrives as the same proxy.
 */
import type { TypeSpec, ValueOf } from '../internal/typecodes.js';
import type { BlockingOptions } from '../internal/blocking-options.js';
import { isIterable, show } from '../internal/validate.js';
import { withHeld } from './with-lock.js';
import { ManagedProxy, type ProxyRef } from './managed-proxy.js';

export { ManagedProxy, type ProxyRef };

/** A dictionary held by a manager. */
export class DictProxy<K = unknown, V = unknown> extends ManagedProxy {
  /** The value under `key`, or `fallback` (default `undefined`) when there is none, like Python's `d.get(key, fallback)`. */
  get(key: K): Promise<V | undefined>;
  get(key: K, fallback: V): Promise<V>;
  get(key: K, fallback?: V): Promise<V | undefined> {
    return this.callNamed('get', ['key', 'fallback'], key, fallback);
  }
  /** Stores `value` under `key` (`d[key] = value`). */
  set(key: K, value: V): Promise<void> {
    return this.callNamed('set', ['key', 'value'], key, value);
  }
  /** Whether `key` is in the dict (`key in d`). */
  has(key: K): Promise<boolean> {
    return this.callNamed('has', ['key'], key);
  }
  /** Removes `key`; resolves `true` if it was there. */
  delete(key: K): Promise<boolean> {
    return this.callNamed('delete', ['key'], key);
  }
  /** A copy of the keys, in insertion order. */
  keys(): Promise<K[]> {
    return this.call('keys');
  }
  /** A copy of the values, in insertion order. */
  values(): Promise<V[]> {
    return this.call('values');
  }
  /** A copy of the `[key, value]` pairs, in insertion order. */
  entries(): Promise<[K, V][]> {
    return this.call('entries');
  }
  /** How many keys the dict holds (`len(d)`). */
  size(): Promise<number> {
    return this.call('size');
  }
  /** Removes every key. */
  clear(): Promise<void> {
    return this.call('clear');
  }
}

/** A list held by a manager. Negative indexes count from the end, as in Python. */
export class ListProxy<T = unknown> extends ManagedProxy {
  /** Adds `value` at the end. */
  append(value: T): Promise<void> {
    return this.callNamed('append', ['value'], value);
  }
  /** Adds every item of `values` (an array or any iterable, as Python's `l.extend`) at the end, in order. */
  async extend(values: Iterable<T>): Promise<void> {
    if (!isIterable(values)) throw new TypeError(`values must be an iterable, got ${show(values)}`);
    return this.callNamed('extend', ['values'], Array.from(values));
  }
  /** The item at `index` (negative counts from the end); rejects with `RangeError` outside the list. */
  get(index: number): Promise<T> {
    return this.callNamed('get', ['index'], index);
  }
  /** Replaces the item at `index` (negative counts from the end); rejects with `RangeError` outside the list. */
  set(index: number, value: T): Promise<void> {
    return this.callNamed('set', ['index', 'value'], index, value);
  }
  /** Removes and returns the last item; rejects with `RangeError` on an empty list. */
  pop(): Promise<T> {
    return this.call('pop');
  }
  /** How many items the list holds (`len(l)`). */
  length(): Promise<number> {
    return this.call('length');
  }
  /** A copy of the whole list. */
  toArray(): Promise<T[]> {
    return this.call('toArray');
  }
}

/** A queue held by a manager: `get` rejects with `Empty`, `put` with `Full`, after `timeout` ms. */
export class QueueProxy<T = unknown> extends ManagedProxy {
  /** Adds `item`, waiting for room; rejects with `Full` after `timeout` ms (or at once with `blocking: false`). */
  async put(item: T, options?: BlockingOptions): Promise<void> {
    this.waitOptions('put', options);
    return this.callNamed('put', ['item', 'options'], item, options);
  }
  /** Adds `item` only if there is room now; rejects with `Full` otherwise. */
  putNowait(item: T): Promise<void> {
    return this.callNamed('putNowait', ['item'], item);
  }
  /** Takes the next item, waiting for one; rejects with `Empty` after `timeout` ms (or at once with `blocking: false`). */
  async get(options?: BlockingOptions): Promise<T> {
    this.waitOptions('get', options);
    return this.callNamed('get', ['options'], options);
  }
  /** Takes the next item only if there is one now; rejects with `Empty` otherwise. */
  getNowait(): Promise<T> {
    return this.call('getNowait');
  }
  /** How many items are waiting. */
  qsize(): Promise<number> {
    return this.call('qsize');
  }
  /** Whether no item is waiting. */
  empty(): Promise<boolean> {
    return this.call('empty');
  }
  /** Whether the queue holds `maxsize` items. */
  full(): Promise<boolean> {
    return this.call('full');
  }
}

/** A lock held by a manager. */
export class LockProxy extends ManagedProxy {
  /** Resolves `false` if `timeout` ms pass first. */
  async acquire(options?: BlockingOptions): Promise<boolean> {
    this.waitOptions('acquire', options);
    return this.callNamed('acquire', ['options'], options);
  }
  /** Frees the lock; rejects if it is not held. */
  release(): Promise<void> {
    return this.call('release');
  }
  /** Whether someone holds the lock now. */
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
  /** The current value. */
  get(): Promise<ValueOf<T>> {
    return this.call('get');
  }
  /** Stores `value`. */
  set(value: ValueOf<T>): Promise<void> {
    return this.callNamed('set', ['value'], value);
  }
  /** Adds `n` atomically and returns the previous value (integer types). */
  add(n: ValueOf<T>): Promise<ValueOf<T>> {
    return this.callNamed('add', ['n'], n);
  }
  /** Subtracts `n` atomically and returns the previous value (integer types). */
  sub(n: ValueOf<T>): Promise<ValueOf<T>> {
    return this.callNamed('sub', ['n'], n);
  }
  /** Stores `replacement` if the value is `expected`; returns the previous value either way. */
  compareExchange(expected: ValueOf<T>, replacement: ValueOf<T>): Promise<ValueOf<T>> {
    return this.callNamed('compareExchange', ['expected', 'replacement'], expected, replacement);
  }
}
