/**
 * The data objects a `Manager` holds beyond dict, list, Queue and Value:
 * `JoinableQueue`, `Array` (a typed array, as Python's `manager.Array`) and
 * `Namespace` (named values, read and written with `get`/`set`).
 */
import { MpError } from '../errors.js';
import { ManagedQueue, queueOperations, queueUndo, tableKind, type ManagedKind, type ObjectKind } from './manager-server.js';
import { park, timeoutOf, wake, type Waiter } from './manager-waiters.js';
import { checkElement, elementType, type ElementType, type TypeSpec } from './typecodes.js';
import { show } from './validate.js';

class ManagedJoinableQueue extends ManagedQueue {
  unfinished = 0;
  readonly joiners: Waiter[] = [];

  protected override entered(): void {
    this.unfinished++;
  }

  taskDone(): void {
    if (this.unfinished <= 0) throw new MpError('taskDone() called more times than there were items put on the JoinableQueue');
    if (--this.unfinished === 0) while (wake(this.joiners, true));
  }

  join(options?: unknown): unknown {
    return this.unfinished === 0 ? true : park(this.joiners, timeoutOf(options), () => false);
  }
}

/** @internal What `manager.Array()` sends to the manager: the type and the checked values or length. */
export interface ArrayInit {
  type: TypeSpec;
  values: (number | bigint)[] | undefined;
  length: number;
}

class ManagedArray {
  readonly t: ElementType;
  readonly cells: { [i: number]: number | bigint; length: number };
  constructor(init: ArrayInit) {
    this.t = elementType(init.type);
    // The same element types as SharedArray, over memory of the manager's own.
    this.cells = this.t.view(new ArrayBuffer(init.length * this.t.bytes) as unknown as SharedArrayBuffer, init.length);
    if (init.values) for (let i = 0; i < init.length; i++) this.cells[i] = init.values[i]!;
  }

  index(i: unknown): number {
    const n = this.cells.length;
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`index must be an integer, got ${show(i)}`);
    if (i < -n || i >= n) throw new RangeError(`index must be an integer from ${-n} to ${n - 1}, got ${show(i)}`);
    return i < 0 ? n + i : i;
  }
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new TypeError(`name must be a non-empty string, got ${show(name)}`);
  return name;
}

export const dataKinds: Partial<Record<ObjectKind, ManagedKind>> = {
  JoinableQueue: tableKind('JoinableQueue', (init) => new ManagedJoinableQueue(init as number), {
    ...queueOperations,
    taskDone: (q: ManagedJoinableQueue) => q.taskDone(),
    join: (q: ManagedJoinableQueue, options?: unknown) => q.join(options),
  }, (q: ManagedJoinableQueue) => [...q.getters, ...q.putters, ...q.joiners], queueUndo),
  Array: tableKind('Array', (init) => new ManagedArray(init as ArrayInit), {
    get: (a: ManagedArray, i: unknown) => a.cells[a.index(i)],
    set: (a: ManagedArray, i: unknown, value: unknown) => {
      a.cells[a.index(i)] = checkElement(a.t, value, 'value');
    },
    length: (a: ManagedArray) => a.cells.length,
    toArray: (a: ManagedArray) => Array.from(a.cells as ArrayLike<number | bigint>),
  }),
  Namespace: tableKind('Namespace', (init) => new Map(Object.entries((init ?? {}) as Record<string, unknown>)), {
    get: (ns: Map<string, unknown>, name: unknown) => ns.get(checkName(name)),
    set: (ns: Map<string, unknown>, name: unknown, value: unknown) => void ns.set(checkName(name), value),
    has: (ns: Map<string, unknown>, name: unknown) => ns.has(checkName(name)),
    delete: (ns: Map<string, unknown>, name: unknown) => ns.delete(checkName(name)),
    toObject: (ns: Map<string, unknown>) => Object.fromEntries(ns),
  }),
};
