/**
 * Passing mp's shared objects (locks, queues, values, manager proxies) to a
 * worker. Such an object knows how to describe itself as plain data (`[SHARE]`);
 * the sender replaces it by that description, the receiver rebuilds an object
 * over the same shared memory (or the same manager), so it is the same object on
 * both sides. Only containers that hold a shared object are copied.
 */

/** Implemented by every object that can cross to a worker as "the same object". */
export const SHARE = Symbol.for('mp.share');

/** The Manager method that offers the message-based twin of a shared-memory kind. */
const MANAGED: Record<string, string> = {
  Lock: 'Lock()',
  RLock: 'RLock()',
  Semaphore: 'Semaphore(value)',
  BoundedSemaphore: 'BoundedSemaphore(value)',
  Event: 'Event()',
  Condition: 'Condition()',
  Barrier: 'Barrier(parties)',
  Value: 'Value(type, initial)',
  SharedArray: 'Array(type, sizeOrValues)',
  Queue: 'Queue({ maxsize })',
  JoinableQueue: 'JoinableQueue({ maxsize })',
  SimpleQueue: 'Queue()',
  SharedMemory: "Array('u8', size)",
  ShareableList: 'list(values)',
};

/** The property that marks a description on the wire. */
const KIND = '__mpShared';

export interface ShareDescription {
  kind: string;
  state: unknown;
  /** True when the object needs memory shared with the receiver (a SharedArrayBuffer). */
  sharedMemory: boolean;
}

export interface Shareable {
  [SHARE](): ShareDescription;
}

/** How to rebuild each kind of shared object on the receiving side. */
export type Revivers = Readonly<Record<string, (state: unknown) => unknown>>;

function isShareable(value: object): value is Shareable {
  return typeof (value as Partial<Shareable>)[SHARE] === 'function';
}

function isPlainContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/** Where the value is going: whether that receiver shares memory with us. */
export interface Destination {
  sharesMemory: boolean;
  /** Named in the error when it does not, e.g. `context 'process' of node`. */
  describe: string;
}

/** Where work for `context` of `runtime` goes. */
export function destinationOf(runtime: { name: string; sharesMemory?(context: string): boolean }, context: string): Destination {
  return { sharesMemory: runtime.sharesMemory?.(context) ?? true, describe: `context '${context}' of ${runtime.name}` };
}

/**
 * Replaces shared objects inside `value` by their descriptions. Returns the same
 * value (untouched) when it holds none; `found` says whether any was replaced. Arrays, plain objects, Maps and Sets
 * are looked into; other objects (class instances) are sent as they are.
 */
export function encodeShared(value: unknown, to: Destination, path: string, out: { found: boolean }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isShareable(value)) {
    const d = value[SHARE]();
    if (d.sharedMemory && !to.sharesMemory) {
      const twin = MANAGED[d.kind];
      throw new TypeError(
        `${path} is a ${d.kind}, which lives in shared memory, and workers in ${to.describe} share no memory with this one; ` +
          `use a Manager instead: const manager = await Manager.start(); ` +
          (twin ? `const shared = await manager.${twin}` : 'it offers dict(), list(), Queue(), Lock(), Value() and the rest of Python\'s SyncManager'),
      );
    }
    out.found = true;
    // A description may hold other shared objects (a Condition's lock).
    return { [KIND]: d.kind, state: encodeShared(d.state, to, path, out) };
  }
  if (value instanceof Map) return encodeMap(value, to, path, out);
  if (value instanceof Set) return encodeSet(value, to, path, out);
  if (!isPlainContainer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const enc = encodeShared(item, to, `${path}[${i}]`, out);
      if (enc !== item) (copy ??= value.slice())[i] = enc;
    }
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const item = obj[key];
    const enc = encodeShared(item, to, `${path}.${key}`, out);
    if (enc !== item) (copy ??= { ...obj })[key] = enc;
  }
  return copy ?? value;
}

function keyText(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'object' && key !== null ? '{…}' : String(key);
}

/** A Map whose keys or values hold shared objects, copied with their descriptions. */
function encodeMap(map: Map<unknown, unknown>, to: Destination, path: string, out: { found: boolean }): Map<unknown, unknown> {
  let changed = false;
  const entries: [unknown, unknown][] = [];
  let i = 0;
  for (const [key, item] of map) {
    const k = encodeShared(key, to, `${path}.keys()[${i++}]`, out);
    const v = encodeShared(item, to, `${path}.get(${keyText(key)})`, out);
    if (k !== key || v !== item) changed = true;
    entries.push([k, v]);
  }
  return changed ? new Map(entries) : map;
}

/** A Set holding shared objects, copied with their descriptions. */
function encodeSet(set: Set<unknown>, to: Destination, path: string, out: { found: boolean }): Set<unknown> {
  let changed = false;
  const items: unknown[] = [];
  let i = 0;
  for (const item of set) {
    const enc = encodeShared(item, to, `${path}.values()[${i++}]`, out);
    if (enc !== item) changed = true;
    items.push(enc);
  }
  return changed ? new Set(items) : set;
}

/** Rebuilds the shared objects described inside `value` (in place for containers). */
export function decodeShared(value: unknown, revivers: Revivers): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const kind = (value as Record<string, unknown>)[KIND];
  if (typeof kind === 'string') {
    const revive = Object.prototype.hasOwnProperty.call(revivers, kind) ? revivers[kind] : undefined;
    if (!revive) throw new TypeError(`cannot rebuild a shared ${kind} here: this copy of mp does not know that kind`);
    return revive(decodeShared((value as { state: unknown }).state, revivers));
  }
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [decodeShared(k, revivers), decodeShared(v, revivers)] as const);
    value.clear();
    for (const [k, v] of entries) value.set(k, v);
    return value;
  }
  if (value instanceof Set) {
    const items = [...value].map((item) => decodeShared(item, revivers));
    value.clear();
    for (const item of items) value.add(item);
    return value;
  }
  if (!isPlainContainer(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeShared(value[i], revivers);
  } else {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = decodeShared(obj[key], revivers);
  }
  return value;
}
