/**
 * The base of every manager proxy: where its object lives, how a call reaches
 * it (here or through the parent), and how it crosses to a worker.
 */
import { reviveError } from '../internal/error-wire.js';
import type { ObjectKind } from '../internal/manager-server.js';
import { callManager } from '../internal/rpc.js';
import { SHARE, type ShareDescription } from '../internal/shared.js';

/** @internal Where a proxy's object lives. */
export interface ProxyRef {
  manager: string;
  object: number;
  kind: ObjectKind;
  /** For a registered type: its name and the methods its proxy may call. */
  typeid?: string;
  exposed?: readonly string[];
}

/** @internal Calls `method` on the object behind `ref`; rejects with the manager's error. */
export async function callRef<T>(ref: ProxyRef, method: string, args: unknown[]): Promise<T> {
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

  /** @internal */
  [SHARE](): ShareDescription {
    return { kind: 'ManagerProxy', state: this.#ref, sharedMemory: false };
  }
}
