/**
 * The objects a `Manager` holds, and the operations its proxies may call on
 * them. Blocking operations (a queue's `get`, a lock's `acquire`) wait here, in
 * the manager, as promises; their callers await the reply.
 */
import { Empty, Full, MpError } from '../errors.js';
import { checkElement, elementType, type ElementType, type TypeSpec } from './typecodes.js';
import { show } from './validate.js';
import { callingAs, Granted, park, rejectAll, timeoutOf, wake, type Caller, type Waiter } from './manager-waiters.js';

export type ObjectKind =
  | 'dict' | 'list' | 'Queue' | 'Lock' | 'Value'
  | 'Event' | 'RLock' | 'Condition' | 'Semaphore' | 'BoundedSemaphore' | 'Barrier'
  | 'JoinableQueue' | 'Array' | 'Namespace' | 'registered';

/** How a manager makes, serves and shuts down one kind of object. */
export interface ManagedKind {
  create(init: unknown): unknown;
  call(target: unknown, method: string, args: unknown[]): unknown;
  /** The callers parked on `target`, rejected at shutdown. */
  waiters?(target: unknown): Waiter[];
  /**
   * What takes back what `method` gave (`value`: an item, a lock, a permit) when the worker it went to ends before
   * receiving it; `undefined` when it gave nothing.
   */
  undo?(target: unknown, method: string, args: unknown[], value: unknown): (() => void) | undefined;
}

type Operation = (target: never, ...args: never[]) => unknown;
/** Takes back what a call gave: `(target, value, ...args)` as the call had them. */
type Undo = (target: never, value: never, ...args: never[]) => (() => void) | undefined;

/** A kind whose methods are a fixed table: nothing outside it can be called. `undo` says how to take back a grant. */
export function tableKind(
  name: string,
  create: (init: unknown) => unknown,
  table: Record<string, Operation>,
  waiters?: (target: never) => Waiter[],
  undo?: Record<string, Undo>,
): ManagedKind {
  return {
    create,
    call(target, method, args) {
      const op = Object.prototype.hasOwnProperty.call(table, method) ? table[method] : undefined;
      if (!op) throw new TypeError(`a managed ${name} has no method ${method}()`);
      return (op as (target: unknown, ...a: unknown[]) => unknown)(target, ...args);
    },
    ...(waiters ? { waiters } : {}),
    ...(undo
      ? {
          undo: (target: unknown, method: string, args: unknown[], value: unknown) =>
            (undo[method] as ((t: unknown, v: unknown, ...a: unknown[]) => (() => void) | undefined) | undefined)?.(target, value, ...args),
        }
      : {}),
  };
}

export class ManagedQueue {
  readonly items: unknown[] = [];
  readonly getters: Waiter[] = [];
  readonly putters: Waiter[] = [];
  /** The items of the waiting putters, in the same order as `putters`. */
  readonly pending = new Map<Waiter, unknown>();
  constructor(readonly maxsize: number) {}

  full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  /** Called each time an item enters the queue (or goes straight to a waiting get). */
  protected entered(): void {}

  put(item: unknown, options?: unknown): unknown {
    if (wake(this.getters, item)) {
      this.entered();
      return undefined;
    }
    if (!this.full()) {
      this.items.push(item);
      this.entered();
      return undefined;
    }
    if ((options as { blocking?: boolean } | undefined)?.blocking === false) throw new Full('the queue is full');
    const waiting = park(this.putters, timeoutOf(options), () => {
      throw new Full(`the queue stayed full for ${timeoutOf(options)} ms`);
    });
    const w = this.putters.at(-1)!;
    this.pending.set(w, item);
    return waiting.then(
      () => undefined,
      (error: unknown) => {
        this.pending.delete(w);
        throw error;
      },
    );
  }

  /** Puts back an item given to a worker that ended before receiving it: to the next get, before every other item. */
  giveBack(item: unknown): void {
    if (!wake(this.getters, item)) this.items.unshift(item);
  }

  get(options?: unknown): unknown {
    if (this.items.length > 0) {
      const item = this.items.shift();
      // The freed slot goes straight to the longest-waiting put, so no later put can take it.
      const putter = this.putters[0];
      if (putter) {
        this.items.push(this.pending.get(putter));
        this.pending.delete(putter);
        this.entered();
        wake(this.putters, undefined);
      }
      return item;
    }
    if ((options as { blocking?: boolean } | undefined)?.blocking === false) throw new Empty('the queue is empty');
    return park(this.getters, timeoutOf(options), () => {
      throw new Empty(`the queue stayed empty for ${timeoutOf(options)} ms`);
    });
  }
}

class ManagedLock {
  held = false;
  readonly waiters: Waiter[] = [];

  acquire(options?: unknown): unknown {
    if (!this.held) {
      this.held = true;
      return true;
    }
    if ((options as { blocking?: boolean } | undefined)?.blocking === false) return false;
    return park(this.waiters, timeoutOf(options), () => false);
  }

  release(): void {
    if (!this.held) throw new MpError('release() of a Lock that is not locked');
    if (!wake(this.waiters, true)) this.held = false;
  }
}

/**
 * One number of an element type, stored as a local `Value` stores it: in a one-element typed array (of the
 * manager's own memory, not shared), so integers wrap, `f32` rounds and 64-bit types hold bigints; `add`,
 * `sub` and `compareExchange` are the `Atomics` operations, which also work on unshared integer arrays.
 */
class ManagedValue {
  readonly t: ElementType;
  readonly cell: { [index: number]: number | bigint };
  constructor(type: TypeSpec, initial: number | bigint) {
    this.t = elementType(type);
    this.cell = this.t.view(new ArrayBuffer(8) as unknown as SharedArrayBuffer, 1);
    this.cell[0] = initial;
  }

  get value(): number | bigint {
    return this.cell[0]!;
  }

  set(value: unknown): void {
    this.cell[0] = checkElement(this.t, value, 'value');
  }

  integer(op: string): Int32Array {
    if (!this.t.integer) throw new TypeError(`${op}() needs an integer type; this Value holds '${this.t.name}'`);
    return this.cell as Int32Array;
  }
}

/** A list index as Python takes it: an integer (else a `TypeError`), negative from the end, inside the list (else a `RangeError`). */
function listIndex(a: unknown[], i: unknown): number {
  if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`index must be an integer, got ${show(i)}`);
  if (i < -a.length || i >= a.length) throw new RangeError(`list index out of range: ${i} (length ${a.length})`);
  return i < 0 ? a.length + i : i;
}

const operations = {
  dict: {
    get: (m: Map<unknown, unknown>, key: unknown, fallback?: unknown) => (m.has(key) ? m.get(key) : fallback),
    set: (m: Map<unknown, unknown>, key: unknown, value: unknown) => void m.set(key, value),
    has: (m: Map<unknown, unknown>, key: unknown) => m.has(key),
    delete: (m: Map<unknown, unknown>, key: unknown) => m.delete(key),
    keys: (m: Map<unknown, unknown>) => [...m.keys()],
    values: (m: Map<unknown, unknown>) => [...m.values()],
    entries: (m: Map<unknown, unknown>) => [...m.entries()],
    size: (m: Map<unknown, unknown>) => m.size,
    clear: (m: Map<unknown, unknown>) => m.clear(),
  },
  list: {
    append: (a: unknown[], value: unknown) => void a.push(value),
    extend: (a: unknown[], values: unknown) => {
      if (!Array.isArray(values)) throw new TypeError(`values must be an array, got ${show(values)}`);
      // One push per item: spreading a long array into push() overflows the stack.
      for (const v of values) a.push(v);
    },
    get: (a: unknown[], i: unknown) => a[listIndex(a, i)],
    set: (a: unknown[], i: unknown, value: unknown) => {
      a[listIndex(a, i)] = value;
    },
    pop: (a: unknown[]) => {
      if (a.length === 0) throw new RangeError('pop from an empty list');
      return a.pop();
    },
    length: (a: unknown[]) => a.length,
    toArray: (a: unknown[]) => a.slice(),
  },
  Queue: {
    put: (q: ManagedQueue, item: unknown, options?: unknown) => q.put(item, options),
    putNowait: (q: ManagedQueue, item: unknown) => q.put(item, { blocking: false }),
    get: (q: ManagedQueue, options?: unknown) => q.get(options),
    getNowait: (q: ManagedQueue) => q.get({ blocking: false }),
    qsize: (q: ManagedQueue) => q.items.length,
    empty: (q: ManagedQueue) => q.items.length === 0,
    full: (q: ManagedQueue) => q.full(),
  },
  Lock: {
    acquire: (l: ManagedLock, options?: unknown) => l.acquire(options),
    release: (l: ManagedLock) => l.release(),
    locked: (l: ManagedLock) => l.held,
  },
  Value: {
    get: (v: ManagedValue) => v.value,
    set: (v: ManagedValue, value: unknown) => v.set(value),
    add: (v: ManagedValue, n: unknown) => Atomics.add(v.integer('add'), 0, checkElement(v.t, n, 'n') as number),
    sub: (v: ManagedValue, n: unknown) => Atomics.sub(v.integer('sub'), 0, checkElement(v.t, n, 'n') as number),
    compareExchange: (v: ManagedValue, expected: unknown, replacement: unknown) => {
      const cell = v.integer('compareExchange');
      const e = checkElement(v.t, expected, 'expected') as number;
      return Atomics.compareExchange(cell, 0, e, checkElement(v.t, replacement, 'replacement') as number);
    },
  },
} satisfies Record<string, Record<string, Operation>>;

export const queueOperations: Record<string, Operation> = operations.Queue;

/** A queue's item goes back to its front; a lock taken is released. */
export const queueUndo: Record<string, Undo> = {
  get: (q: ManagedQueue, item: unknown) => () => q.giveBack(item),
  getNowait: (q: ManagedQueue, item: unknown) => () => q.giveBack(item),
};
const lockUndo: Record<string, Undo> = {
  acquire: (l: ManagedLock, got: unknown) =>
    got === true
      ? () => {
          if (l.held) l.release();
        }
      : undefined,
};

/** The kinds of section 5b; `manager-kinds.ts` adds the rest. */
export const baseKinds: Partial<Record<ObjectKind, ManagedKind>> = {
  dict: tableKind('dict', (init) => new Map(init as Iterable<[unknown, unknown]> | undefined), operations.dict),
  list: tableKind('list', (init) => [...((init as Iterable<unknown> | undefined) ?? [])], operations.list),
  Queue: tableKind('Queue', (init) => new ManagedQueue(init as number), operations.Queue, (q: ManagedQueue) => [...q.getters, ...q.putters], queueUndo),
  Lock: tableKind('Lock', () => new ManagedLock(), operations.Lock, (l: ManagedLock) => l.waiters, lockUndo),
  Value: tableKind('Value', (init) => {
    const { type, initial } = init as { type: TypeSpec; initial: number | bigint };
    return new ManagedValue(type, initial);
  }, operations.Value),
};

/** The state behind one manager: its objects by id. */
export class ManagerServer {
  readonly #objects = new Map<number, { kind: ManagedKind; target: unknown }>();
  readonly #kinds: Partial<Record<ObjectKind, ManagedKind>>;
  #next = 1;

  constructor(kinds: Partial<Record<ObjectKind, ManagedKind>> = baseKinds) {
    this.#kinds = kinds;
  }

  create(name: ObjectKind, init: unknown): number {
    const kind = this.#kinds[name];
    if (!kind) throw new TypeError(`this manager cannot make a ${name}`);
    const target = kind.create(init);
    const id = this.#next++;
    this.#objects.set(id, { kind, target });
    return id;
  }

  /** Runs a call; for a worker (`caller`), what it parks ends with the worker, and a grant comes back `Granted`. */
  call(object: number, method: string, args: unknown[], caller?: Caller): unknown {
    const entry = this.#objects.get(object);
    if (!entry) throw new MpError(`the manager holds no object ${object}: it was shut down, or the object never existed`);
    const { kind, target } = entry;
    const result = callingAs(caller, () => kind.call(target, method, args));
    if (!caller || !kind.undo) return result;
    return Promise.resolve(result).then((value) => {
      const undo = kind.undo!(target, method, args, value);
      return undo ? new Granted(value, undo) : value;
    });
  }

  /** Rejects everything still waiting; the manager is going away. */
  shutdown(): void {
    for (const { kind, target } of this.#objects.values()) {
      const waiters = kind.waiters?.(target) ?? [];
      rejectAll(waiters, new MpError('the manager was shut down while this call waited'));
    }
    this.#objects.clear();
  }
}
