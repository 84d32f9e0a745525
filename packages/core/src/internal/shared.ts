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

/** Whether `value` is one of mp's shared objects (it describes itself with `[SHARE]`). */
export function isShareable(value: object): value is Shareable {
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
 * How deep the walk goes before it takes `value` for a graph that may refer back to itself (structured clone
 * carries cycles, so arguments may hold them): it then starts again, keeping what it has seen.
 */
const DEEP = 128;
/** Thrown by the quick walk when it reaches DEEP (never leaves this module). */
class TooDeep extends Error {}
const TOO_DEEP = new TooDeep('too deep');

/**
 * Replaces shared objects inside `value` by their descriptions. Returns the same
 * value (untouched) when it holds none; `found` says whether any was replaced. Arrays, plain objects, Maps and Sets
 * are looked into; other objects (class instances) are sent as they are. A value nested deeper than DEEP (a cyclic
 * one) is walked again keeping each container it has seen, and then comes back as a copy whose cycles are kept.
 */
export function encodeShared(value: unknown, to: Destination, path: string, out: { found: boolean }): unknown {
  try {
    return encode(value, to, path, out, 0);
  } catch (error) {
    if (error !== TOO_DEEP) throw error;
    return encodeGraph(value, to, path, out, new Map());
  }
}

function describeShared(value: Shareable, to: Destination, path: string): ShareDescription {
  const d = value[SHARE]();
  if (d.sharedMemory && !to.sharesMemory) {
    const twin = MANAGED[d.kind];
    throw new TypeError(
      `${path} is ${/^[AEIOU]/.test(d.kind) ? 'an' : 'a'} ${d.kind}, which lives in shared memory, and workers in ${to.describe} share no memory with this one; ` +
        `use a Manager instead: const manager = await Manager.start(); ` +
        (twin ? `const shared = await manager.${twin}` : 'it offers dict(), list(), Queue(), Lock(), Value() and the rest of Python\'s SyncManager'),
    );
  }
  return d;
}

/** The quick walk: copies only the containers that hold a shared object; gives up (TOO_DEEP) past DEEP levels. */
function encode(value: unknown, to: Destination, path: string, out: { found: boolean }, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > DEEP) throw TOO_DEEP;
  if (isShareable(value)) {
    const d = describeShared(value, to, path);
    out.found = true;
    // A description may hold other shared objects (a Condition's lock).
    return { [KIND]: d.kind, state: encode(d.state, to, path, out, depth + 1) };
  }
  if (value instanceof Map) {
    let changed = false;
    const entries: [unknown, unknown][] = [];
    let i = 0;
    for (const [key, item] of value) {
      const k = encode(key, to, `${path}.keys()[${i++}]`, out, depth + 1);
      const v = encode(item, to, `${path}.get(${keyText(key)})`, out, depth + 1);
      if (k !== key || v !== item) changed = true;
      entries.push([k, v]);
    }
    return changed ? new Map(entries) : value;
  }
  if (value instanceof Set) {
    let changed = false;
    const items: unknown[] = [];
    let i = 0;
    for (const item of value) {
      const enc = encode(item, to, `${path}.values()[${i++}]`, out, depth + 1);
      if (enc !== item) changed = true;
      items.push(enc);
    }
    return changed ? new Set(items) : value;
  }
  if (!isPlainContainer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const enc = encode(item, to, `${path}[${i}]`, out, depth + 1);
      if (enc !== item) (copy ??= value.slice())[i] = enc;
    }
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const item = obj[key];
    const enc = encode(item, to, `${path}.${key}`, out, depth + 1);
    if (enc !== item) (copy ??= { ...obj })[key] = enc;
  }
  return copy ?? value;
}

/**
 * The walk for deep or cyclic values: every container is copied once (`seen` maps it to its copy, made before its
 * contents), so a reference back to a container becomes a reference to its copy and the cycle is kept. Iterative
 * where the depth comes from (each container's contents are queued, not recursed into).
 */
function encodeGraph(root: unknown, to: Destination, rootPath: string, out: { found: boolean }, seen: Map<object, unknown>): unknown {
  const work: (() => void)[] = [];
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (isShareable(value)) {
      const d = describeShared(value, to, path);
      out.found = true;
      const described: Record<string, unknown> = { [KIND]: d.kind, state: undefined };
      seen.set(value, described);
      work.push(() => (described.state = visit(d.state, path)));
      return described;
    }
    if (value instanceof Map) {
      const copy = new Map<unknown, unknown>();
      seen.set(value, copy);
      let i = 0;
      for (const [key, item] of value) {
        const at = i++;
        work.push(() => copy.set(visit(key, `${path}.keys()[${at}]`), visit(item, `${path}.get(${keyText(key)})`)));
      }
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set<unknown>();
      seen.set(value, copy);
      let i = 0;
      for (const item of value) {
        const at = i++;
        work.push(() => copy.add(visit(item, `${path}.values()[${at}]`)));
      }
      return copy;
    }
    if (!isPlainContainer(value)) return value;
    if (Array.isArray(value)) {
      const copy = value.slice();
      seen.set(value, copy);
      for (let i = 0; i < copy.length; i++) work.push(() => (copy[i] = visit(copy[i], `${path}[${i}]`)));
      return copy;
    }
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    seen.set(value, copy);
    for (const key of Object.keys(copy)) work.push(() => (copy[key] = visit(copy[key], `${path}.${key}`)));
    return copy;
  };
  const result = visit(root, rootPath);
  while (work.length > 0) work.pop()!();
  return result;
}

function keyText(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'object' && key !== null ? '{…}' : String(key);
}

/**
 * Rebuilds the shared objects described inside `value` (in place for containers). Each container is visited once,
 * so a value that refers back to itself (encodeGraph keeps cycles) ends.
 */
export function decodeShared(value: unknown, revivers: Revivers, seen = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const kind = (value as Record<string, unknown>)[KIND];
  if (typeof kind === 'string') {
    const revive = Object.prototype.hasOwnProperty.call(revivers, kind) ? revivers[kind] : undefined;
    if (!revive) throw new TypeError(`cannot rebuild a shared ${kind} here: this copy of mp does not know that kind`);
    return revive(decodeShared((value as { state: unknown }).state, revivers, seen));
  }
  if (seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [decodeShared(k, revivers, seen), decodeShared(v, revivers, seen)] as const);
    value.clear();
    for (const [k, v] of entries) value.set(k, v);
    return value;
  }
  if (value instanceof Set) {
    const items = [...value].map((item) => decodeShared(item, revivers, seen));
    value.clear();
    for (const item of items) value.add(item);
    return value;
  }
  if (!isPlainContainer(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeShared(value[i], revivers, seen);
  } else {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = decodeShared(obj[key], revivers, seen);
  }
  return value;
}
