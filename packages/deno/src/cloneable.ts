/**
 * A synchronous "can this be sent?" check for the `'process'` context. Deno's
 * `ChildProcess.send` finds an uncloneable value (a function, a symbol) only
 * after it has started writing, and the channel is then broken for good; Node
 * throws at once. Walking the message first keeps Node's behaviour: `send`
 * throws, and core names the argument's position.
 */
export function assertCloneable(value: unknown, seen = new Set<object>()): void {
  const t = typeof value;
  if (t === 'function' || t === 'symbol') throw new TypeError(`a ${t} could not be cloned`);
  if (t !== 'object' || value === null || seen.has(value as object)) return;
  seen.add(value as object);
  if (Array.isArray(value)) {
    for (const item of value) assertCloneable(item, seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      assertCloneable(k, seen);
      assertCloneable(v, seen);
    }
  } else if (value instanceof Set) {
    for (const v of value) assertCloneable(v, seen);
  } else if (!ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof Date) && !(value instanceof RegExp)) {
    for (const key of Object.keys(value as object)) assertCloneable((value as Record<string, unknown>)[key], seen);
  }
}
