/**
 * Call-site validation. Every message names the argument and shows the value
 * received, so a bad call is fixed from the error alone:
 * `processes must be an integer >= 1, got 0`.
 */

/** Renders a received value for an error message: `0`, `"4" (string)`, `NaN`, `function squ`. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'string':
      return `${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} (string)`;
    case 'bigint':
      return `${value}n (bigint)`;
    case 'boolean':
      return `${value} (boolean)`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return `${String(value)} (symbol)`;
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    default: {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      const name = typeof ctor?.name === 'string' && ctor.name !== 'Object' ? ctor.name : 'object';
      return `${name === 'object' ? 'an object' : `a ${name}`}`;
    }
  }
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object' || typeof value === 'function') {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    if (typeof value === 'function') return 'function';
    // A generator object's constructor has an empty name; its tag says 'Generator'.
    if (typeof ctor?.name === 'string' && ctor.name !== '') return ctor.name;
    return Object.prototype.toString.call(value).slice(8, -1) || 'object';
  }
  return typeof value;
}

export function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** Throws `RangeError` unless `value` is an integer >= `min` (a `TypeError` for a non-number). */
export function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be an integer >= ${min}, got ${show(value)}`);
  if (!isInteger(value, min)) throw new RangeError(`${name} must be an integer >= ${min}, got ${show(value)}`);
  return value;
}

/** Throws unless `value` is a finite number of milliseconds >= 0. */
export function checkTimeout(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of milliseconds >= 0, got ${show(value)}`);
  if (!(value >= 0) || value === Infinity) throw new RangeError(`${name} must be a finite number of milliseconds >= 0, got ${show(value)}`);
  return value;
}

export function checkOptions(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Refuses unknown option names, so a typo (`maxSize`) is not silently ignored. */
export function checkKnownOptions(what: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  const o = checkOptions('options', options);
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      throw new TypeError(`unknown option ${JSON.stringify(key)} for ${what}; the options are ${known.join(', ')}`);
    }
  }
  return o;
}

export function checkFunctionOption(name: string, value: unknown): ((...args: never[]) => unknown) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${show(value)}`);
  return value as (...args: never[]) => unknown;
}

export function checkSignal(name: string, value: unknown): AbortSignalLike | undefined {
  if (value === undefined) return undefined;
  const s = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw new TypeError(`${name} must be an AbortSignal, got ${show(value)}`);
  }
  return value as AbortSignalLike;
}

/** The part of `AbortSignal` mp uses; core has no DOM types. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return value != null && typeof (value as Record<symbol, unknown>)[Symbol.iterator] === 'function';
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value != null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * Finds the first part of `value` that cannot be structured-cloned and names its
 * path: `args[1].onDone could not be cloned (function)`. Returns undefined when
 * the value looks cloneable. Walks plain objects, arrays, Maps and Sets.
 */
export function findUncloneable(value: unknown, path: string, seen = new Set<object>()): string | undefined {
  const t = typeof value;
  if (t === 'function' || t === 'symbol') return `${path} could not be cloned (${t === 'function' ? 'function' : 'symbol'})`;
  if (t !== 'object' || value === null) return undefined;
  const obj = value as object;
  if (seen.has(obj)) return undefined;
  seen.add(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const found = findUncloneable(obj[i], `${path}[${i}]`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (obj instanceof Map) {
    for (const [k, v] of obj) {
      const found = findUncloneable(k, `${path}.<key>`, seen) ?? findUncloneable(v, `${path}.get(${String(k)})`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (obj instanceof Set) {
    for (const v of obj) {
      const found = findUncloneable(v, `${path}.<item>`, seen);
      if (found) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(obj)) {
      const found = findUncloneable((obj as Record<string, unknown>)[key], `${path}.${key}`, seen);
      if (found) return found;
    }
    return undefined;
  }
  try {
    structuredClone(obj);
    return undefined;
  } catch {
    return `${path} could not be cloned (${typeName(obj)})`;
  }
}

/** Cheap call-site check of the top level of an argument list: functions and symbols. */
export function checkArgsShallow(args: readonly unknown[], label: string): void {
  for (let i = 0; i < args.length; i++) {
    const t = typeof args[i];
    if (t === 'function' || t === 'symbol') throw new TypeError(`${label}[${i}] could not be cloned (${t})`);
  }
}
