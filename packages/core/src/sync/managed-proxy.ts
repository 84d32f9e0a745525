/**
 * The base of every manager proxy: where its object lives, how a call reaches
 * it (here or through the parent), and how it crosses to a worker.
 */
import { reviveError } from '../internal/error-wire.js';
import type { ObjectKind } from '../internal/manager-server.js';
import { callManager } from '../internal/rpc.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';
import { findUncloneable } from '../internal/validate.js';

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
