/**
 * A synchronous "can this be sent?" check for the `'process'` context. Deno's
 * `ChildProcess.send` (and `process.send` in the child) finds an uncloneable
 * value (a function, a symbol, a WeakMap…) only after it has started writing,
 * and the channel is then broken for good; Node throws at once. Checking the
 * message first keeps Node's behaviour: `send` throws, and core names the
 * position. Plain data is walked without copying; any other object is tried
 * with `structuredClone`.
 */
export function assertCloneable(value: unknown, seen = new Set<object>()): void {
  const t = typeof value;
  if (t === 'function' || t === 'symbol') throw new TypeError(`a ${t} could not be cloned`);
  if (t !== 'object' || value === null || seen.has(value as object)) return;
  const o = value as object;
  seen.add(o);
  if (Array.isArray(o)) {
    for (const item of o) assertCloneable(item, seen);
    return;
  }
  if (o instanceof Map) {
    for (const [k, v] of o) {
      assertCloneable(k, seen);
      assertCloneable(v, seen);
    }
    return;
  }
  if (o instanceof Set) {
    for (const v of o) assertCloneable(v, seen);
    return;
  }
  if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer || o instanceof Date || o instanceof RegExp) return;
  const proto = Object.getPrototypeOf(o) as object | null;
  if (proto === Object.prototype || proto === null || o instanceof Error) {
    for (const key of Object.keys(o)) assertCloneable((o as Record<string, unknown>)[key], seen);
    return;
  }
  // Anything else (a class instance, a WeakMap, a Promise…): let the platform say.
  structuredClone(o);
}
