/**
 * `Manager`: shared objects without shared memory, as Python's
 * `multiprocessing.Manager()`. The manager holds dicts, lists, queues, locks and
 * values in the program that started it, and hands out proxies whose every
 * operation is a message. They work where shared memory cannot: the `'process'`
 * context and pages that are not cross-origin isolated.
 */
import { ManagerServer, type ObjectKind } from '../internal/manager-server.js';
import { registerManager, unregisterManager } from '../internal/rpc.js';
import { checkElement, elementType, type TypeSpec, type ValueOf } from '../internal/typecodes.js';
import { checkInteger, checkOptions } from '../internal/validate.js';
import { DictProxy, ListProxy, LockProxy, QueueProxy, ValueProxy, type ProxyRef } from './manager-proxies.js';
import { MpError } from '../errors.js';
import { rejecting } from '../internal/rejecting.js';

let counter = 0;

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
    this.#server = new ManagerServer();
    registerManager(this.#id, this.#server);
  }

  /** Starts a manager in this program. */
  static start(): Promise<Manager> {
    return Promise.resolve(new Manager());
  }

  #make(kind: ObjectKind, init: unknown): ProxyRef {
    if (!this.#server) throw new MpError('the manager was shut down');
    return { manager: this.#id, object: this.#server.create(kind, init), kind };
  }

  /** A dictionary, optionally filled from `entries`. */
  dict<K = unknown, V = unknown>(entries?: Iterable<[K, V]>): Promise<DictProxy<K, V>> {
    return rejecting(() => Promise.resolve(new DictProxy<K, V>(this.#make('dict', entries))));
  }

  /** A list, optionally filled from `items`. */
  list<T = unknown>(items?: Iterable<T>): Promise<ListProxy<T>> {
    return rejecting(() => Promise.resolve(new ListProxy<T>(this.#make('list', items))));
  }

  /** A FIFO queue; `maxsize` 0 means unbounded. */
  Queue<T = unknown>(options?: { maxsize?: number }): Promise<QueueProxy<T>> {
    return rejecting(() => {
      const o = checkOptions('options', options);
      const maxsize = o.maxsize === undefined ? 0 : checkInteger('maxsize', o.maxsize, 0);
      return Promise.resolve(new QueueProxy<T>(this.#make('Queue', maxsize)));
    });
  }

  /** A lock. */
  Lock(): Promise<LockProxy> {
    return rejecting(() => Promise.resolve(new LockProxy(this.#make('Lock', undefined))));
  }

  /** A number (or a bigint for 64-bit types). */
  Value<T extends TypeSpec>(type: T, initial?: ValueOf<T>): Promise<ValueProxy<T>> {
    return rejecting(() => {
      const t = elementType(type);
      const value = initial === undefined ? (t.big ? 0n : 0) : checkElement(t, initial, 'initial');
      return Promise.resolve(new ValueProxy<T>(this.#make('Value', { type, initial: value })));
    });
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
