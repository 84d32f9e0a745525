/**
 * The base of every manager proxy: where its object lives, how a call reaches
 * it (here or through the parent), and how it crosses to a worker.
 */
import { deadlineFrom } from '../internal/blocking-options.js';
import { reviveError } from '../internal/error-wire.js';
import type { ObjectKind } from '../internal/manager-server.js';
import { callManager } from '../internal/rpc.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { checkKnownOptions, findUncloneable } from '../internal/validate.js';

/** @internal Where a proxy's object lives. */
export interface ProxyRef {
  manager: string;
  object: number;
  kind: ObjectKind;
  /** For a registered type: its name and the methods its proxy may call. */
  typeid?: string;
  exposed?: readonly string[];
}

/**
 * Throws (so the call rejects) a `TypeError` naming the first argument that could not cross to the manager
 * (`value could not be cloned (function)`), as a local Queue does: at the call, here or in a
 * worker, not later in whoever reads it back. `names` name the arguments (`args[i]` past them).
 */
function checkCloneable(args: readonly unknown[], names: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const found = findUncloneable(args[i], names[i] ?? `args[${i}]`);
    if (found) throw new TypeError(found);
  }
}

/** @internal Calls `method` on the object behind `ref`; rejects with the manager's error. */
export async function callRef<T>(ref: ProxyRef, method: string, args: unknown[], names: readonly string[] = []): Promise<T> {
  checkCloneable(args, names);
  const reply = await callManager(ref.manager, ref.object, method, args);
  if (!reply.ok) throw reviveError(reply.error);
  return reply.value as T;
}

export abstract class ManagedProxy {
  readonly #ref: ProxyRef;

  constructor(ref: ProxyRef) {
    this.#ref = ref;
    bindMethods(this);
  }

  /**
   * Checks a waiting call's options (`method`'s: `timeout`, and `blocking` unless `blocking` is false) by name, then
   * as the local objects check them; returns the deadline.
   */
  protected waitOptions(method: string, options: unknown, blocking = true): number {
    checkKnownOptions(`${this.#ref.kind}.${method}()`, options, blocking ? ['timeout', 'blocking'] : ['timeout']);
    return deadlineFrom(options, blocking);
  }

  protected call<T>(method: string, ...args: unknown[]): Promise<T> {
    return callRef<T>(this.#ref, method, args);
  }

  /** As `call`, with the arguments' names for the error of one that cannot be cloned: `callNamed('set', ['key', 'value'], k, v)`. */
  protected callNamed<T>(method: string, names: readonly string[], ...args: unknown[]): Promise<T> {
    return callRef<T>(this.#ref, method, args, names);
  }

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'ManagerProxy', state: this.#ref, sharedMemory: false };
  }
}

/**
 * Makes each method of a proxy its own, bound to it, as Python's bound methods: `items.map(list.append)` and
 * `const { put } = queue` work. A proxy has a dozen methods at most.
 */
function bindMethods(proxy: ManagedProxy): void {
  for (let o = Object.getPrototypeOf(proxy) as object | null; o !== null && o !== ManagedProxy.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name === 'constructor' || Object.prototype.hasOwnProperty.call(proxy, name)) continue;
      const method: unknown = Object.getOwnPropertyDescriptor(o, name)?.value;
      if (typeof method !== 'function') continue;
      Object.defineProperty(proxy, name, { value: (method as (...a: unknown[]) => unknown).bind(proxy), writable: true, configurable: true, enumerable: false });
    }
  }
}
